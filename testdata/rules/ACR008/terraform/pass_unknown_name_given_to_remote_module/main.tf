variable "registry_name" {
  type = string
}

# A remote module that is not downloaded, given the input that names the registry: it may create
# the registry's endpoint where acrlint cannot see.
module "endpoint" {
  source       = "example/private-endpoint/azurerm"
  version      = "~> 1.0"
  azure_region = "eastus"
  target_name  = var.registry_name
}

resource "azurerm_container_registry" "acr" {
  name                          = var.registry_name
  resource_group_name           = "rg-acr"
  location                      = "eastus"
  sku                           = "Premium"
  public_network_access_enabled = false
  export_policy_enabled         = false
}
