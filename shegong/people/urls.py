from django.urls import path

from shegong.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
]
