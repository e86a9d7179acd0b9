locals {
  a0 = "aaaaaaaaaaaaaaaa"
  a1 = replace(local.a0, "a", local.a0)
  a2 = replace(local.a1, "a", local.a1)
  a3 = replace(local.a2, "a", local.a2)
  a4 = replace(local.a3, "a", local.a3)
  a5 = replace(local.a4, "a", local.a4)
}

resource "azurerm_resource_group" "hostile" {
  name     = local.a5
  location = "westeurope"
}
