resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = "rg-acr"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  export_policy_enabled         = false
}

resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = "westeurope"
  resource_group_name = "rg-acr"
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_firewall" "hub" {
  name                = "fw-hub"
  location            = "westeurope"
  resource_group_name = "rg-acr"
  sku_name            = "AZFW_VNet"
  sku_tier            = "Standard"

  ip_configuration {
    name                 = "cfg"
    subnet_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-acr/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/AzureFirewallSubnet"
    public_ip_address_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-acr/providers/Microsoft.Network/publicIPAddresses/pip-fw"
  }
}

# Spoke uses the hub firewall's DNS proxy as its DNS server.
# The firewall block is written in full, but its private_ip_address is computed by the provider:
# known after apply, and one DNS server either way.
resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  location            = "westeurope"
  resource_group_name = "rg-acr"
  address_space       = ["10.1.0.0/16"]
  dns_servers         = [azurerm_firewall.hub.ip_configuration[0].private_ip_address]
}

resource "azurerm_subnet" "pe" {
  name                 = "pe"
  resource_group_name  = "rg-acr"
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.1.0/24"]
}

resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg-acr"
}

resource "azurerm_private_dns_zone_virtual_network_link" "hub" {
  name                  = "hub"
  resource_group_name   = "rg-acr"
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.hub.id
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = "rg-acr"
  subnet_id           = azurerm_subnet.pe.id

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }

  private_service_connection {
    name                           = "pe-acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}
