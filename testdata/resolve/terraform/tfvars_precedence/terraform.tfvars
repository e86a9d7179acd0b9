public_access  = false
anonymous_pull = true
