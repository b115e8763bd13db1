from django.urls import path

from shegong.agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_list, name="list"),
]
