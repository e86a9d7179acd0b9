# Empty: the module creates no DNS zone group. This default is the mistake, written in this
# file only, so a run on this file alone (a commit hook) must report it.
variable "registry_zone_ids" {
  description = "Ids of the privatelink.azurecr.io zones for the endpoint; empty for none."
  type        = list(string)
  default     = []
}

module "registry" {
  source            = "./registry"
  registry_zone_ids = var.registry_zone_ids
}
