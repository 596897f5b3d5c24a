"""App config of accounts and roles."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "geoportal.accounts"
    label = "accounts"
    verbose_name = "Облікові записи"
