resource "azurerm_resource_group" "rg" {
  name     = "rg-acr"
  location = "westeurope"
}

resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.rg.name
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = azurerm_resource_group.rg.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "hub" {
  name                  = "link-hub"
  resource_group_name   = azurerm_resource_group.rg.name
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.hub.id
  registration_enabled  = false
}

resource "azurerm_container_registry" "a" {
  name                          = "contosoacra"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  admin_enabled                 = false
  anonymous_pull_enabled        = false
  export_policy_enabled         = false
}

resource "azurerm_private_endpoint" "a" {
  name                = "pe-acr-a"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "pe-acr-a"
    private_connection_resource_id = azurerm_container_registry.a.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}

# The endpoint's own records, one per DNS configuration, known only after apply.
resource "azurerm_private_dns_a_record" "a" {
  for_each            = { for c in azurerm_private_endpoint.a.custom_dns_configs : c.fqdn => c }
  name                = replace(each.key, ".azurecr.io", "")
  zone_name           = azurerm_private_dns_zone.acr.name
  resource_group_name = azurerm_private_dns_zone.acr.resource_group_name
  ttl                 = 300
  records             = each.value.ip_addresses
}

resource "azurerm_container_registry" "b" {
  name                          = "contosoacrb"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  admin_enabled                 = false
  anonymous_pull_enabled        = false
  export_policy_enabled         = false
}

resource "azurerm_private_endpoint" "b" {
  name                = "pe-acr-b"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "pe-acr-b"
    private_connection_resource_id = azurerm_container_registry.b.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}

# The endpoint's own records, one per DNS configuration, known only after apply.
resource "azurerm_private_dns_a_record" "b" {
  for_each            = { for c in azurerm_private_endpoint.b.custom_dns_configs : c.fqdn => c }
  name                = replace(each.key, ".azurecr.io", "")
  zone_name           = azurerm_private_dns_zone.acr.name
  resource_group_name = azurerm_private_dns_zone.acr.resource_group_name
  ttl                 = 300
  records             = each.value.ip_addresses
}
