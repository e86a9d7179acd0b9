module "a" {
  source = "./m15"
}

module "b" {
  source = "./m15"
}
