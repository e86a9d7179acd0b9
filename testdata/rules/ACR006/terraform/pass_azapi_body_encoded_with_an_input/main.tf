variable "dns_forwarder_ip" {
  description = "Private IP of the hub DNS forwarder (e.g. Azure Firewall DNS proxy)."
  type        = string
}

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

# Spoke VNet via azapi 1.x (body is a JSON string); it uses a custom DNS server in the hub.
resource "azapi_resource" "spoke" {
  type      = "Microsoft.Network/virtualNetworks@2022-07-01"
  name      = "vnet-spoke"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-acr"
  body = jsonencode({
    properties = {
      addressSpace = { addressPrefixes = ["10.1.0.0/16"] }
      dhcpOptions  = { dnsServers = [var.dns_forwarder_ip] }
    }
  })
}

resource "azapi_resource" "spoke_pe_subnet" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2022-07-01"
  name      = "pe"
  parent_id = azapi_resource.spoke.id
  body = jsonencode({
    properties = { addressPrefix = "10.1.1.0/24" }
  })
}

resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg-acr"
}

# The zone is linked to the hub, where the DNS forwarder lives.
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
  subnet_id           = azapi_resource.spoke_pe_subnet.id

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
