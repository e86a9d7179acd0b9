import { fromA } from 'a.bicep'

@export()
var fromB = 'b${fromA}'
