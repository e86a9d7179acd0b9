variable "location" {
  type    = string
  default = "westeurope"
}

variable "registry_name" {
  type    = string
  default = "contosoprivateacr"
}
