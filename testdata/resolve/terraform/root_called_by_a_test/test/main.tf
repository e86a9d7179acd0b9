# The test harness: calls the root with its defaults.
module "root" {
  source = "../"
}
