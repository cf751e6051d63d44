"""Accounts and roles: who may do what, for which partnership or organisation."""
