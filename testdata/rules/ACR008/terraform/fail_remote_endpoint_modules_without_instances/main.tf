variable "endpoints" {
  type    = any
  default = {}
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = "rg-acr"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  export_policy_enabled         = false
}

# for_each over an empty map: the module has no instances and creates nothing
module "private_endpoint" {
  source   = "github.com/example/terraform-azurerm-private-endpoint.git?ref=v1.0.1"
  for_each = var.endpoints

  private_connection_resource_id = azurerm_container_registry.acr.id
}

# count = 0: likewise
module "private_endpoint_b" {
  source = "github.com/example/terraform-azurerm-private-endpoint.git?ref=v1.0.1"
  count  = 0

  private_connection_resource_id = azurerm_container_registry.acr.id
}
