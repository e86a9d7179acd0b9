variable "subnet_id" {
      type    = string
      default = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets/snet-pe"
    }

    # The registries of the shared resource group: known only when Terraform reads them.
    data "azurerm_resources" "registries" {
      type                = "Microsoft.ContainerRegistry/registries"
      resource_group_name = "rg-shared"
    }

    resource "azurerm_private_endpoint" "acr" {
      for_each = { for r in data.azurerm_resources.registries.resources : r.name => r.id }

      name                = "pe-${each.key}"
      location            = "westeurope"
      resource_group_name = "rg-acr"
      subnet_id           = var.subnet_id

      private_service_connection {
        name                           = "pe-${each.key}"
        private_connection_resource_id = each.value
        subresource_names              = ["registry"]
        is_manual_connection           = false
      }
    }
    