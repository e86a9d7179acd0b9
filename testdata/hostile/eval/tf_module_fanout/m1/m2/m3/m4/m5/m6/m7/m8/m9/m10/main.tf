module "a" {
  source = "./m11"
}

module "b" {
  source = "./m11"
}
