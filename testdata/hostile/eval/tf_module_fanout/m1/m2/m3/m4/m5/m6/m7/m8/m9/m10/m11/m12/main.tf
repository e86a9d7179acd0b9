module "a" {
  source = "./m13"
}

module "b" {
  source = "./m13"
}
