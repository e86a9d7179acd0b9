variable "environments" {
  type = map(object({
    public = bool
  }))
  default = {
    dev = {
      public = false
    }
    prod = {
      public = true
    }
    test = {
      public = false
    }
  }
}

module "env" {
  source   = "./env"
  for_each = var.environments

  name           = "contoso${each.key}"
  public         = each.value.public
  location       = azurerm_resource_group.rg.location
  resource_group = azurerm_resource_group.rg.name
  subnet_id      = azurerm_subnet.pe.id
  dns_zone_id    = azurerm_private_dns_zone.acr.id
}
