from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IndustryConfig(AppConfig):
    name = "studio.industry"
    label = "industry"
    verbose_name = "Industry templates"

    def ready(self):
        from studio.industry.services import templates_sync_from_catalog

        # The shipped templates are loaded after every migrate (a changed file becomes a new version).
        post_migrate.connect(lambda **kwargs: templates_sync_from_catalog(), sender=self, weak=False)
