"""Units, users, roles, sign-in, API tokens and the permission policy."""
