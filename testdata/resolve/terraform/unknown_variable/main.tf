variable "allow_public" {
  description = "Set per environment in the pipeline."
  type        = bool
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-acr"
  location = "westeurope"
}

# Public access depends on a variable without a default: undetermined, never a finding.
resource "azurerm_container_registry" "acr" {
  name                          = "contosounknown"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  sku                           = "Premium"
  public_network_access_enabled = var.allow_public
  export_policy_enabled         = false
}
