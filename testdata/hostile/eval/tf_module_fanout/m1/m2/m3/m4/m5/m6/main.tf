module "a" {
  source = "./m7"
}

module "b" {
  source = "./m7"
}
