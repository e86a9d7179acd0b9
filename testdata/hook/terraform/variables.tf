variable "sku" {
  description = "The registry SKU; private networking needs Premium."
  type        = string
  default     = "Premium"
}
