from django.urls import path

from studio.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("", views.evaluation_index, name="index"),
    path("new/", views.evaluation_new, name="new"),
    path("<int:evaluation_id>/", views.evaluation_detail, name="detail"),
    path("<int:evaluation_id>/report.json", views.evaluation_report_file, {"kind": "json"}, name="report_json"),
    path("<int:evaluation_id>/report.html", views.evaluation_report_file, {"kind": "html"}, name="report_html"),
    path("runs/<int:run_id>/", views.run_evaluation_section, name="run_section"),
    path("runs/<int:run_id>/evaluate/", views.run_evaluate, name="run_evaluate"),
]
