param n int = 0

module b './b.bicep' = {
  name: 'b'
  params: {
    n: n + 1
  }
}
