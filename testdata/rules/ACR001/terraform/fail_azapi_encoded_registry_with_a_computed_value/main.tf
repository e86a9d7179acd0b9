# An azapi 1.x registry whose body is encoded with jsonencode() around a value known only after
# apply (a tag): that value is unknown, not the body. Public network access is on.

resource "azurerm_user_assigned_identity" "ci" {
  name                = "id-ci"
  location            = "westeurope"
  resource_group_name = "rg-acr"
}

resource "azapi_resource" "acr" {
  type      = "Microsoft.ContainerRegistry/registries@2023-07-01"
  name      = "contosoacr01"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-acr"
  body = jsonencode({
    tags = {
      pusher = azurerm_user_assigned_identity.ci.principal_id
    }
    sku = {
      name = "Premium"
    }
    properties = {
      publicNetworkAccess  = "Enabled"
      adminUserEnabled     = false
      anonymousPullEnabled = false
      policies = {
        exportPolicy = {
          status = "disabled"
        }
      }
    }
  })
}
