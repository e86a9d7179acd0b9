locals {
  prefix = "contoso"
  name   = "${local.prefix-acr"
}

locals {
  sku = "Premium"
}
