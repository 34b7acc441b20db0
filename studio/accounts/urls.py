from django.contrib.auth import views as auth_views
from django.urls import path

from studio.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("team/switch/", views.team_switch, name="team_switch"),
]
