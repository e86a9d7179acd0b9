locals {
  # Each local needs the other: a cycle, which Terraform rejects.
  public = local.open
  open   = !local.public

  admin = local.admin
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoloop"
  resource_group_name           = "rg-acr"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = local.public
  admin_enabled                 = local.admin
}

# Still analysed.
resource "azurerm_container_registry" "other" {
  name                   = "contosoother"
  resource_group_name    = "rg-acr"
  location               = "westeurope"
  sku                    = "Premium"
  anonymous_pull_enabled = true

  network_rule_set {
    default_action = "Deny"
  }
}
