# Local sources that do not exist: the modules are unknown, with an error entry.
module "missing" {
  source = "./modules/does-not-exist"
}

module "outside" {
  source = "../../../../../../../../../../../../../../../../../../../../../../no/such/module"
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosomissing"
  resource_group_name           = "rg-acr"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = module.missing.public_access
  admin_enabled                 = true
}
