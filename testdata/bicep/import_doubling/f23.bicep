@export()
var x = 'e'
