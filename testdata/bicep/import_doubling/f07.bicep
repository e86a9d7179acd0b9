// Imports the next file twice: each import lowers it (and its imports) again.
import { x as a } from 'f08.bicep'
import { x as b } from 'f08.bicep'

@export()
var x = '${a}${b}'
