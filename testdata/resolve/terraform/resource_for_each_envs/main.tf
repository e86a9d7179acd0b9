locals {
  environments = {
    dev  = { public = false, sku = "Premium" }
    prod = { public = true, sku = "Premium" }
  }
}

resource "azurerm_container_registry" "acr" {
  for_each = local.environments

  name                          = "contoso${each.key}"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  sku                           = each.value.sku
  public_network_access_enabled = each.value.public
  export_policy_enabled         = each.value.public
}

resource "azurerm_private_endpoint" "acr" {
  for_each = azurerm_container_registry.acr

  name                = "pe-${each.key}"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "pe-${each.key}"
    private_connection_resource_id = each.value.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}
