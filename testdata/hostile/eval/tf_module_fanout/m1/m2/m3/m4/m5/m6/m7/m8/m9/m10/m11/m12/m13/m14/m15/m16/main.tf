module "a" {
  source = "./m17"
}

module "b" {
  source = "./m17"
}
