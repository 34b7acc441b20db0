from django.urls import path

from studio.datasets import views

app_name = "datasets"
urlpatterns = [
    path("", views.dataset_index, name="index"),
    path("jobs/<int:job_id>/", views.dataset_job_detail, name="job"),
    path("<int:dataset_id>/", views.dataset_detail, name="detail"),
    path("<int:dataset_id>/delete/", views.dataset_remove, name="delete"),
    path("versions/<int:version_id>/", views.version_detail, name="version"),
    path("versions/<int:version_id>/rows/", views.version_rows, name="rows"),
    path("versions/<int:version_id>/clean/", views.version_clean, name="clean"),
    path("versions/<int:version_id>/augment/", views.version_augment, name="augment"),
    path("versions/<int:version_id>/approve/", views.version_approve, name="approve"),
]
