module "a" {
  source = "./m12"
}

module "b" {
  source = "./m12"
}
