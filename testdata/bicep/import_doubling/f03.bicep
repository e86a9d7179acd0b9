// Imports the next file twice: each import lowers it (and its imports) again.
import { x as a } from 'f04.bicep'
import { x as b } from 'f04.bicep'

@export()
var x = '${a}${b}'
