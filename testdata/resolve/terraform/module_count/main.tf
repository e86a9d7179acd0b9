module "registry" {
  source = "./registry"
  count  = 2

  name           = "contosoacr${count.index}"
  admin_enabled  = count.index == 0
  location       = azurerm_resource_group.rg.location
  resource_group = azurerm_resource_group.rg.name
  subnet_id      = azurerm_subnet.pe.id
  dns_zone_id    = azurerm_private_dns_zone.acr.id
}
