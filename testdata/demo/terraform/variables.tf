variable "location" {
  description = "Azure region for every resource."
  type        = string
  default     = "westeurope"
}

variable "prefix" {
  description = "Name prefix; registry names must be globally unique."
  type        = string
  default     = "contoso"
}
