// Imports the next file twice: each import lowers it (and its imports) again.
import { x as a } from 'f23.bicep'
import { x as b } from 'f23.bicep'

@export()
var x = '${a}${b}'
