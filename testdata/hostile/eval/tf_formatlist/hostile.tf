locals {
  x = formatlist("%999999s", range(100000))
}

resource "azurerm_resource_group" "hostile" {
  name     = local.x[0]
  location = "westeurope"
}
