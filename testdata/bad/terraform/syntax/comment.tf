locals {
  /* The registry's replicas, one per region.
  replicas = ["westeurope", "northeurope"]
}

locals {
  owner = "platform"
}
