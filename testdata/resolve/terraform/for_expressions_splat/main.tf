variable "registries" {
  type = list(object({
    name = string
    tier = string
  }))
  default = [
    { name = "contosobuild", tier = "premium" },
    { name = "contosocache", tier = "standard" },
  ]
}

locals {
  # for expressions: a map by name, with the SKU spelled as the provider wants it.
  by_name = { for r in var.registries : r.name => title(r.tier) }
  names   = [for r in var.registries : r.name if r.name != ""]
}

resource "azurerm_container_registry" "acr" {
  count = length(local.names)

  name                          = local.names[count.index]
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  sku                           = local.by_name[local.names[count.index]]
  public_network_access_enabled = false
  export_policy_enabled         = false
}

locals {
  # Splat: the ids of every registry instance.
  registry_ids = azurerm_container_registry.acr[*].id
}

resource "azurerm_private_endpoint" "acr" {
  count = length(local.registry_ids)

  name                = "pe-${local.names[count.index]}"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "pe-${local.names[count.index]}"
    private_connection_resource_id = local.registry_ids[count.index]
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}
