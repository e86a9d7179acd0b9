# The endpoint's region is a variable that is null by default (a module that infers it elsewhere
# for the registry, but not for the endpoint): Terraform rejects the plan until it is set, and the
# registry zone is right or wrong depending on the cloud.
variable "location" {
  type    = string
  default = null
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = "rg-acr"
  location                      = coalesce(var.location, "westeurope")
  sku                           = "Premium"
  public_network_access_enabled = false
  admin_enabled                 = false
  anonymous_pull_enabled        = false
  export_policy_enabled         = false
}

data "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg-dns-hub"
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  resource_group_name = "rg-acr"
  location            = var.location
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe"

  private_service_connection {
    name                           = "pe-acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [data.azurerm_private_dns_zone.acr.id]
  }
}
