variable "registry_name" {
  type = string
}

# A remote module that is not downloaded, given only a region: it cannot name the registry, so
# it cannot create its endpoint, whatever the registry's name turns out to be.
module "region" {
  source       = "example/regions-lookup/azurerm"
  version      = "~> 1.0"
  azure_region = "eastus"
}

resource "azurerm_container_registry" "acr" {
  name                          = var.registry_name
  resource_group_name           = "rg-acr"
  location                      = "eastus"
  sku                           = "Premium"
  public_network_access_enabled = false
  export_policy_enabled         = false
}
