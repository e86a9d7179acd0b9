# The one valid file of this folder: its registry is still analysed.
resource "azurerm_container_registry" "acr" {
  name                = "contosoacr01"
  resource_group_name = "rg-acr"
  location            = "westeurope"
  sku                 = "Premium"
}
