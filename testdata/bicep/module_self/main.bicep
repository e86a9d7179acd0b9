param depth int = 0

module again './main.bicep' = {
  name: 'again-${depth}'
  params: {
    depth: depth + 1
  }
}
