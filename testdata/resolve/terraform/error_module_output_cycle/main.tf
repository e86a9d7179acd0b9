# The module's input is its own output: a cycle through the module boundary.
module "loop" {
  source = "./loop"
  public = module.loop.public
}
