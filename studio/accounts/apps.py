from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "studio.accounts"
    label = "accounts"

    def ready(self):
        from studio.accounts.services import roles_sync

        # After every migrate (and every test-database flush) the role groups exist with their permissions.
        post_migrate.connect(lambda **kwargs: roles_sync(), sender=self, weak=False)
