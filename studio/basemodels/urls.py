from django.urls import path

from studio.basemodels import views

app_name = "basemodels"
urlpatterns = [
    path("", views.base_model_index, name="index"),
    path("<int:base_model_id>/", views.base_model_detail, name="detail"),
    path("<int:base_model_id>/prepare/", views.base_model_prepare, name="prepare"),
]
