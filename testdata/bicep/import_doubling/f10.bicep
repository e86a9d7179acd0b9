// Imports the next file twice: each import lowers it (and its imports) again.
import { x as a } from 'f11.bicep'
import { x as b } from 'f11.bicep'

@export()
var x = '${a}${b}'
