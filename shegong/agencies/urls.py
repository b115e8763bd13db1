from django.urls import path

from shegong.agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_list, name="list"),
    path("export.xlsx", views.agency_export, name="export"),
    path("new/", views.agency_create_view, name="create"),
    path("<int:pk>/", views.agency_detail, name="detail"),
    path("<int:pk>/edit/", views.agency_edit, name="edit"),
]
