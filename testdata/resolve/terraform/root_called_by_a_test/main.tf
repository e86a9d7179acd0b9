# A deployable root that a test harness (test/) also calls as a module. Without values it is
# analysed through the harness: no registry (count 0). `--var private_registry=true` sets this
# root's variable, as `terraform apply -var` would, so it is analysed as a root with that value.
variable "private_registry" {
  type    = bool
  default = false
}

resource "azurerm_container_registry" "acr" {
  count                         = var.private_registry ? 1 : 0
  name                          = "contosoacr01"
  resource_group_name           = "rg-acr"
  location                      = "westeurope"
  sku                           = "Premium"
  admin_enabled                 = true
  public_network_access_enabled = false
}
