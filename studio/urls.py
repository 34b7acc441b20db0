from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("studio.core.urls")),
    path("accounts/", include("studio.accounts.urls")),
    path("audit/", include("studio.audit.urls")),
    path("base-models/", include("studio.basemodels.urls")),
    path("datasets/", include("studio.datasets.urls")),
    path("runs/", include("studio.runs.urls")),
    path("evaluations/", include("studio.evaluations.urls")),
    path("admin/", admin.site.urls),
]
