locals {
  s = join("", formatlist("%999999s", range(16)))
  l = [for i in range(100) : local.s]
}

resource "azurerm_resource_group" "hostile" {
  name     = local.l[99]
  location = "westeurope"
}
