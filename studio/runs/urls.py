from django.urls import path

from studio.runs import views

app_name = "runs"
urlpatterns = [
    path("", views.run_index, name="index"),
    path("new/", views.run_new, name="new"),
    path("search/new/", views.run_new, {"search": True}, name="search_new"),
    path("new/import/", views.run_import, name="import"),
    path("new/estimate/", views.run_estimate, name="estimate"),
    path("compare/", views.run_compare, name="compare"),
    path("<int:run_id>/", views.run_detail, name="detail"),
    path("<int:run_id>/config.yaml", views.run_config_download, name="config_yaml"),
    path("<int:run_id>/cancel/", views.run_cancel_view, name="cancel"),
    path("<int:run_id>/resume/", views.run_resume_view, name="resume"),
    path("<int:run_id>/launch-best/", views.run_search_launch_best, name="search_launch_best"),
]
