# Whether the registry exists depends on a variable nobody set: a public registry that may not be
# created is undetermined, not a finding.
variable "create_registry" {
  type = bool
}

resource "azurerm_container_registry" "maybe" {
  count                         = var.create_registry ? 1 : 0
  name                          = "contosomaybe"
  resource_group_name           = "rg-acr"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = true
}
