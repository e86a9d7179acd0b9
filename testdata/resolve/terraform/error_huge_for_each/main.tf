# One hundred million instances: expansion is capped with an error instead of running away.
resource "azurerm_container_registry" "many" {
  for_each = toset([for i in range(100000000) : tostring(i)])

  name                = "contoso${each.key}"
  resource_group_name = "rg-acr"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = true
}

resource "azurerm_container_registry" "counted" {
  count = 100000000

  name                = "contosocounted${count.index}"
  resource_group_name = "rg-acr"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = true
}

# Still analysed.
resource "azurerm_container_registry" "acr" {
  name                = "contosobig"
  resource_group_name = "rg-acr"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = true
}
