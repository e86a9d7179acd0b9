module "a" {
  source = "./modules/acr"
  name   = "acra"
}
module "b" {
  source = "./modules/acr"
  name   = "acrb"
}
