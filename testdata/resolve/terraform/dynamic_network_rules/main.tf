variable "allowed_ips" {
  type    = list(string)
  default = ["203.0.113.10/32", "198.51.100.0/24"]
}

variable "firewall" {
  type = object({
    enabled = bool
    ranges  = list(string)
  })
  default = {
    enabled = true
    ranges  = ["192.0.2.0/24"]
  }
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-acr"
  location = "westeurope"
}

# IP rules from a list under default action Allow: they restrict nothing.
resource "azurerm_container_registry" "allow" {
  name                = "contosoallow"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  sku                 = "Premium"

  network_rule_set {
    default_action = "Allow"

    dynamic "ip_rule" {
      for_each = var.allowed_ips
      content {
        action   = "Allow"
        ip_range = ip_rule.value
      }
    }
  }
}

# Nested dynamic blocks with an iterator: the rule set exists and denies by default, so the
# public endpoint is restricted to the firewall only.
resource "azurerm_container_registry" "firewall" {
  name                = "contosofirewall"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  sku                 = "Premium"

  dynamic "network_rule_set" {
    for_each = var.firewall.enabled ? [var.firewall] : []
    iterator = fw
    content {
      default_action = "Deny"

      dynamic "ip_rule" {
        for_each = fw.value.ranges
        iterator = range
        content {
          action   = "Allow"
          ip_range = range.value
        }
      }
    }
  }
}

# A dynamic block over an empty list produces no rule set: nothing restricts the registry.
resource "azurerm_container_registry" "none" {
  name                = "contosonone"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  sku                 = "Premium"

  dynamic "network_rule_set" {
    for_each = []
    content {
      default_action = "Deny"
    }
  }
}
