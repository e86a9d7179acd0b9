variable "location" {
  type    = string
  default = "westeurope"
}

variable "replica_regions" {
  type    = list(string)
  default = ["northeurope"]
}
