// Imports the next file twice: each import lowers it (and its imports) again.
import { x as a } from 'f12.bicep'
import { x as b } from 'f12.bicep'

@export()
var x = '${a}${b}'
