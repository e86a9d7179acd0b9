# The spoke resolves through the hub's DNS forwarder: its DNS servers are set by an
# azurerm_virtual_network_dns_servers resource rather than inside the VNet.
resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.0.0.0/24"]
}

resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.1.0.0/24"]
}

# spoke resolves through the hub's DNS forwarder
resource "azurerm_virtual_network_dns_servers" "spoke" {
  virtual_network_id = azurerm_virtual_network.spoke.id
  dns_servers        = ["10.0.0.4"]
}

resource "azurerm_subnet" "pe" {
  name                 = "pe"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.0.0/26"]
}

resource "azurerm_container_registry" "acr" {
  name                          = "acrspoke01"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  export_policy_enabled         = false
}

resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg"
}

resource "azurerm_private_dns_zone_virtual_network_link" "hub" {
  name                  = "hub"
  resource_group_name   = "rg"
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.hub.id
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = azurerm_subnet.pe.id
  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    is_manual_connection           = false
    subresource_names              = ["registry"]
  }
  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}
