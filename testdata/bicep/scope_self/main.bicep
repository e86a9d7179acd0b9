// A lock scoped to itself: the compiler rejects it.
resource self 'Microsoft.Authorization/locks@2020-05-01' = {
  name: 'self'
  scope: self
  properties: { level: 'CanNotDelete' }
}
