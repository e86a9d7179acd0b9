// Each network is named after the previous one's id, twice: the last id would be 2^40 times
// as long as the first. It is unknown past the length an expression can have, and the registry
// whose public access depends on it is undetermined.
resource r0 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'a'
  location: 'westeurope'
}
resource r1 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r0.id}${r0.id}'
  location: 'westeurope'
}
resource r2 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r1.id}${r1.id}'
  location: 'westeurope'
}
resource r3 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r2.id}${r2.id}'
  location: 'westeurope'
}
resource r4 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r3.id}${r3.id}'
  location: 'westeurope'
}
resource r5 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r4.id}${r4.id}'
  location: 'westeurope'
}
resource r6 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r5.id}${r5.id}'
  location: 'westeurope'
}
resource r7 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r6.id}${r6.id}'
  location: 'westeurope'
}
resource r8 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r7.id}${r7.id}'
  location: 'westeurope'
}
resource r9 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r8.id}${r8.id}'
  location: 'westeurope'
}
resource r10 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r9.id}${r9.id}'
  location: 'westeurope'
}
resource r11 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r10.id}${r10.id}'
  location: 'westeurope'
}
resource r12 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r11.id}${r11.id}'
  location: 'westeurope'
}
resource r13 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r12.id}${r12.id}'
  location: 'westeurope'
}
resource r14 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r13.id}${r13.id}'
  location: 'westeurope'
}
resource r15 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r14.id}${r14.id}'
  location: 'westeurope'
}
resource r16 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r15.id}${r15.id}'
  location: 'westeurope'
}
resource r17 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r16.id}${r16.id}'
  location: 'westeurope'
}
resource r18 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r17.id}${r17.id}'
  location: 'westeurope'
}
resource r19 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r18.id}${r18.id}'
  location: 'westeurope'
}
resource r20 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r19.id}${r19.id}'
  location: 'westeurope'
}
resource r21 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r20.id}${r20.id}'
  location: 'westeurope'
}
resource r22 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r21.id}${r21.id}'
  location: 'westeurope'
}
resource r23 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r22.id}${r22.id}'
  location: 'westeurope'
}
resource r24 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r23.id}${r23.id}'
  location: 'westeurope'
}
resource r25 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r24.id}${r24.id}'
  location: 'westeurope'
}
resource r26 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r25.id}${r25.id}'
  location: 'westeurope'
}
resource r27 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r26.id}${r26.id}'
  location: 'westeurope'
}
resource r28 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r27.id}${r27.id}'
  location: 'westeurope'
}
resource r29 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r28.id}${r28.id}'
  location: 'westeurope'
}
resource r30 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r29.id}${r29.id}'
  location: 'westeurope'
}
resource r31 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r30.id}${r30.id}'
  location: 'westeurope'
}
resource r32 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r31.id}${r31.id}'
  location: 'westeurope'
}
resource r33 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r32.id}${r32.id}'
  location: 'westeurope'
}
resource r34 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r33.id}${r33.id}'
  location: 'westeurope'
}
resource r35 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r34.id}${r34.id}'
  location: 'westeurope'
}
resource r36 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r35.id}${r35.id}'
  location: 'westeurope'
}
resource r37 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r36.id}${r36.id}'
  location: 'westeurope'
}
resource r38 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r37.id}${r37.id}'
  location: 'westeurope'
}
resource r39 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r38.id}${r38.id}'
  location: 'westeurope'
}
resource r40 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${r39.id}${r39.id}'
  location: 'westeurope'
}
resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr02'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: contains(r40.id, 'vnet') ? 'Enabled' : 'Disabled'
  }
}
