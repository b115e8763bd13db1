from django.urls import path

from shegong.places import views

app_name = "places"

urlpatterns = [
    path("", views.tree, name="tree"),
    path(
        "communities/<int:pk>/urban-village/",
        views.toggle_urban_village,
        name="toggle_urban_village",
    ),
]
