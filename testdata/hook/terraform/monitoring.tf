# Unrelated to the registry's private networking.
resource "azurerm_log_analytics_workspace" "ops" {
  name                = "log-ops"
  location            = "westeurope"
  resource_group_name = "rg-ops"
  sku                 = "PerGB2018"
  retention_in_days   = 30
}
