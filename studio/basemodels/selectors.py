from django.db.models import QuerySet

from studio.basemodels.models import BaseModel


def base_model_list() -> QuerySet[BaseModel]:
    """Base models are site-wide: every team sees the same registry."""
    return BaseModel.objects.all()
