# The registry's settings sit in one object beside a name that a function makes of a
# random suffix: the name is known after apply, the settings are not.
resource "random_string" "suffix" {
  length  = 5
  special = false
}

locals {
  acr = {
    name   = lower("acr${random_string.suffix.result}")
    public = true
    sku    = "Standard"
  }
}

resource "azurerm_container_registry" "acr" {
  name                          = local.acr.name
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = local.acr.sku
  public_network_access_enabled = local.acr.public
  admin_enabled                 = false
}
