// Imports the next file twice: each import lowers it (and its imports) again.
import { x as a } from 'f01.bicep'
import { x as b } from 'f01.bicep'

@export()
var x = '${a}${b}'
