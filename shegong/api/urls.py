from django.urls import path

from shegong.api.api import api

urlpatterns = [path("", api.urls)]
