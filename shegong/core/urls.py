from django.urls import path

from shegong.core import views

app_name = "core"

urlpatterns = []

root_urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
]
