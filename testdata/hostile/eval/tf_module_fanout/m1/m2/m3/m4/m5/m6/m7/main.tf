module "a" {
  source = "./m8"
}

module "b" {
  source = "./m8"
}
