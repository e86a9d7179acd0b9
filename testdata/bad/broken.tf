resource "azurerm_container_registry" "acr" {
  name = "contosoacr01"
  sku  = "Premium"
  public_network_access_enabled = = false
