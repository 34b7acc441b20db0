from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BaseModelsConfig(AppConfig):
    name = "studio.basemodels"
    label = "basemodels"

    def ready(self):
        from studio.basemodels.services import base_model_register_embedded

        # The embedded model is registered out of the box, after every migrate or flush.
        post_migrate.connect(lambda **kwargs: base_model_register_embedded(), sender=self, weak=False)
