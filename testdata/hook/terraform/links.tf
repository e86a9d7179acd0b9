# The change under test: the zone's link points at the management VNet, not at the VNet of the
# registry's private endpoint (azurerm_virtual_network.app).
resource "azurerm_private_dns_zone_virtual_network_link" "acr" {
  name                  = "link-acr"
  resource_group_name   = azurerm_resource_group.acr.name
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.mgmt.id
  registration_enabled  = false
}
