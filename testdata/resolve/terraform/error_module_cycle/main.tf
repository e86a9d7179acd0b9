# a calls b, and b calls a again: a cycle that Terraform itself rejects.
module "a" {
  source = "./a"
}

# Still analysed: the admin user is enabled.
resource "azurerm_container_registry" "acr" {
  name                = "contosocycle"
  resource_group_name = "rg-acr"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = true

  network_rule_set {
    default_action = "Deny"
  }
  public_network_access_enabled = false
  export_policy_enabled         = false
}
