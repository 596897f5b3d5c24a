"""App config of accounts and roles."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "geoportal.accounts"
    label = "accounts"
    verbose_name = "Облікові записи"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import grant_role_permissions

        # after every app's migrate, when the permissions of new models exist
        post_migrate.connect(grant_role_permissions, dispatch_uid="accounts-role-permissions")
