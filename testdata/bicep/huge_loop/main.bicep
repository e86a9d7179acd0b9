// A loop of two billion registries, and one of four quintillion through nested ranges.
resource many 'Microsoft.ContainerRegistry/registries@2025-11-01' = [for i in range(0, 2000000000): {
  name: 'contosoacr${i}'
  location: 'westeurope'
  sku: {
    name: 'Basic'
  }
}]

var squared = [for i in range(0, 2000000000): [for j in range(0, 2000000000): i * j]]
