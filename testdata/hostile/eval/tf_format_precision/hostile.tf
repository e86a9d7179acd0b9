locals {
  x = format("%.70000f", 1)
}

resource "azurerm_resource_group" "hostile" {
  name     = local.x
  location = "westeurope"
}
