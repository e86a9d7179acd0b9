# A module given only the endpoint's subnet id links the zone to the VNet it rebuilds from that id
# (join("/", slice(split("/", var.subnet_id), 0, 9))): the endpoint's VNet, whatever the root's
# var.subnet_id is.
variable "subnet_id" { type = string }

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  export_policy_enabled         = false
}

module "endpoint" {
  source      = "./modules/endpoint"
  subnet_id   = var.subnet_id
  registry_id = azurerm_container_registry.acr.id
}
