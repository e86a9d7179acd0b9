module "a" {
  source = "./m6"
}

module "b" {
  source = "./m6"
}
