from django.contrib import admin

from studio.basemodels.models import BaseModel
from studio.basemodels.services import base_model_request_preparation


@admin.register(BaseModel)
class BaseModelAdmin(admin.ModelAdmin):
    list_display = ["name", "source", "architecture", "parameter_count", "status", "license"]
    list_filter = ["source", "status"]
    readonly_fields = [
        "architecture",
        "parameter_count",
        "linear_module_names",
        "config",
        "local_path",
        "status",
        "status_changed_at",
        "error",
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # A newly registered model is prepared by a worker at once.
            base_model_request_preparation(base_model=obj, actor=request.user, team=None)
