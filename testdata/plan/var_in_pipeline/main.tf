variable "public_access" {
      type        = bool
      description = "Set by the pipeline (-var)."
    }

    resource "azurerm_resource_group" "rg" {
      name     = "rg-acr"
      location = "westeurope"
    }

    resource "azurerm_container_registry" "acr" {
      name                          = "contosoacr01"
      resource_group_name           = azurerm_resource_group.rg.name
      location                      = "westeurope"
      sku                           = "Premium"
      public_network_access_enabled = var.public_access
    }
    