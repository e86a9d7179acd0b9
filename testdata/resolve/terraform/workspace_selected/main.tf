# Settings per Terraform workspace. `terraform workspace select prod` recorded the workspace in
# .terraform/environment: prod's registry is private (no endpoint here: ACR008), where the
# default workspace's would be public.
locals {
  settings = {
    default = { public = true }
    prod    = { public = false }
  }
  env = local.settings[terraform.workspace]
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-acr-${terraform.workspace}"
  location = "westeurope"
}

resource "azurerm_container_registry" "acr" {
  name                          = "contoso${terraform.workspace}"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  sku                           = "Premium"
  public_network_access_enabled = local.env.public
  admin_enabled                 = false
  anonymous_pull_enabled        = false
  export_policy_enabled         = false
}
