param n int

module a './a.bicep' = {
  name: 'a'
  params: {
    n: n + 1
  }
}
