variable "prefix" {
  type = string
}

output "registry_name" {
  value = "${var.prefix}acr${var.suffix}"
}
