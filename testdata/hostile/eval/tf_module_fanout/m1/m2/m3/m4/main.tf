module "a" {
  source = "./m5"
}

module "b" {
  source = "./m5"
}
