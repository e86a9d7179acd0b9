variable "subnet_id" {
  type = string
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = "rg-acr"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  admin_enabled                 = false
  anonymous_pull_enabled        = false
  export_policy_enabled         = false
}

# The registry's endpoint comes from a registry module that `terraform init` has not downloaded.
module "registry_endpoint" {
  source  = "Azure/avm-res-network-privateendpoint/azurerm"
  version = "0.2.0"

  name                           = "pe-acr"
  location                       = "westeurope"
  resource_group_name            = "rg-acr"
  network_interface_name         = "nic-pe-acr"
  subnet_resource_id             = var.subnet_id
  private_connection_resource_id = azurerm_container_registry.acr.id
  subresource_names              = ["registry"]
}
