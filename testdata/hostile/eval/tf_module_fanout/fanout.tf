module "a" {
  source = "./m1"
}

module "b" {
  source = "./m1"
}
