public_access = true
admin_enabled = true
