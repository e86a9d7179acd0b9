// Two locks, each scoped to the other: the compiler rejects it.
resource a 'Microsoft.Authorization/locks@2020-05-01' = {
  name: 'a'
  scope: b
  properties: { level: 'CanNotDelete' }
}

resource b 'Microsoft.Authorization/locks@2020-05-01' = {
  name: 'b'
  scope: a
  properties: { level: 'CanNotDelete' }
}
