from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cplan.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
