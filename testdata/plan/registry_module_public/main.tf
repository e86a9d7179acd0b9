resource "azurerm_resource_group" "rg" {
      name     = "rg-acr"
      location = "westeurope"
    }

    # From the Terraform Registry: `terraform init` downloads it; acrlint reads what the plan says.
    module "registry" {
      source  = "Azure/avm-res-containerregistry-registry/azurerm"
      version = "0.4.0"

      name                = "contosoacr"
      location            = "westeurope"
      resource_group_name = azurerm_resource_group.rg.name
    }
    