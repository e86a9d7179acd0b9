# Names that a diagram must carry as they are: quotes, brackets, braces, markup, entity-like
# text, a backslash, backticks, a pipe and unicode.
locals {
  name = "q\"uo[te]s] {x} <b>&amp; #quot; \\N `tick` | ünï € 🚀"
}

resource "azurerm_container_registry" "acr" {
  for_each                      = toset([local.name])
  name                          = each.key
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "pe" {
  for_each            = azurerm_container_registry.acr
  name                = "pe ${each.key}"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v\"n[e]t ü/subnets/s<1>"

  private_service_connection {
    name                           = "c"
    private_connection_resource_id = each.value.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}
