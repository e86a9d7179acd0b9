module "a" {
  source = "./m18"
}

module "b" {
  source = "./m18"
}
