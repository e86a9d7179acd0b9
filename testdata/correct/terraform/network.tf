resource "azurerm_resource_group" "platform" {
  name     = "rg-platform"
  location = var.location
}

resource "azurerm_virtual_network" "workloads" {
  name                = "vnet-workloads"
  location            = azurerm_resource_group.platform.location
  resource_group_name = azurerm_resource_group.platform.name
  address_space       = ["10.20.0.0/16"]
}

resource "azurerm_subnet" "endpoints" {
  name                 = "snet-private-endpoints"
  resource_group_name  = azurerm_resource_group.platform.name
  virtual_network_name = azurerm_virtual_network.workloads.name
  address_prefixes     = ["10.20.1.0/24"]
}
