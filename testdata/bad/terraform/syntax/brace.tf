resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg-dns"

  tags = {
    owner = "platform"

}

resource "azurerm_private_dns_zone_virtual_network_link" "acr" {
  name                  = "link-acr"
  resource_group_name   = "rg-dns"
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = "/subscriptions/0000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet"
}
