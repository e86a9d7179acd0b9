variable "registry" {
  type = object({
    name           = string
    sku            = optional(string, "Premium")
    public         = optional(bool, true)
    admin_enabled  = optional(bool)
    anonymous_pull = optional(bool, false)
  })
  default = {
    name = "contosoopt"
  }
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-acr"
  location = "westeurope"
}

# public = true and anonymous_pull = false come from the optional() defaults; admin_enabled is
# null, so the provider default (false) applies.
resource "azurerm_container_registry" "acr" {
  name                          = var.registry.name
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  sku                           = var.registry.sku
  public_network_access_enabled = var.registry.public
  admin_enabled                 = var.registry.admin_enabled
  anonymous_pull_enabled        = var.registry.anonymous_pull
}
