# A build cache someone made public, with the admin user on.
resource "azurerm_container_registry" "build_cache" {
  name                = "${var.prefix}buildcache"
  resource_group_name = azurerm_resource_group.rg.name
  location            = var.location
  sku                 = "Standard"
  admin_enabled       = true
}

# Production: private, reached through a private endpoint in the app VNet.
resource "azurerm_container_registry" "prod" {
  name                          = "${var.prefix}prodacr"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = var.location
  sku                           = "Premium"
  public_network_access_enabled = false
  admin_enabled                 = false
  export_policy_enabled         = false
}

resource "azurerm_private_endpoint" "prod" {
  name                = "pe-${azurerm_container_registry.prod.name}"
  location            = var.location
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = azurerm_subnet.app_pe.id

  private_service_connection {
    name                           = "prod-registry"
    private_connection_resource_id = azurerm_container_registry.prod.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "acr"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}

# Staging: private too, but its endpoint sits in the staging VNet.
resource "azurerm_container_registry" "staging" {
  name                          = "${var.prefix}stagingacr"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = var.location
  sku                           = "Premium"
  public_network_access_enabled = false
  export_policy_enabled         = false
}

resource "azurerm_private_endpoint" "staging" {
  name                = "pe-${azurerm_container_registry.staging.name}"
  location            = var.location
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = azurerm_subnet.staging_pe.id

  private_service_connection {
    name                           = "staging-registry"
    private_connection_resource_id = azurerm_container_registry.staging.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "acr"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}
