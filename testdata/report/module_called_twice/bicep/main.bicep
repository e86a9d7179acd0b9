module a './acr.bicep' = {
  name: 'a'
  params: { name: 'acra' }
}
module b './acr.bicep' = {
  name: 'b'
  params: { name: 'acrb' }
}
