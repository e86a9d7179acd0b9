// Imports from b.bicep, which imports from this file.
import { fromB } from 'b.bicep'

@export()
var fromA = 'a${fromB}'
