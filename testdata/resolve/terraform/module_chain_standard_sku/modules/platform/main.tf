variable "registry_name" {
  type = string
}

variable "sku" {
  type    = string
  default = "Premium"
}

variable "location" {
  type = string
}

variable "resource_group" {
  type = string
}

variable "subnet_id" {
  type = string
}

variable "dns_zone_id" {
  type = string
}

module "registry" {
  source = "../registry"

  name           = var.registry_name
  sku            = var.sku
  location       = var.location
  resource_group = var.resource_group
  subnet_id      = var.subnet_id
  dns_zone_id    = var.dns_zone_id
}
