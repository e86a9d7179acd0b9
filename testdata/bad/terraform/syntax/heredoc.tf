locals {
  policy = <<-EOT
    {
      "allow": ["pull"]
    }
  EOF
}

locals {
  region = "westeurope"
}
