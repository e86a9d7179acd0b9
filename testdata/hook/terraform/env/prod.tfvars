# The change under test: production downgraded to Standard, which has no private networking.
sku = "Standard"
