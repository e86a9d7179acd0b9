locals {
  tags = {
    owner = "platform"
    env   = var.environment
  }
  zone_names = [for local in ["azurecr.io"] : "privatelink.${local}"]
  sku        = local.tier
}

module "naming" {
  source = "./modules/naming"
  prefix = "contoso"
}

resource "azurerm_container_registry" "acr" {
  name                = module.naming.registry
  resource_group_name = module.network.resource_group_name
  location            = var.location
  sku                 = "Premium"
  tags                = local.tags

  dynamic "georeplications" {
    for_each = var.replica_regions
    content {
      location = georeplications.value
      tags     = { for k, v in local.tags : k => v if k != var.skip_tag }
    }
  }
}
