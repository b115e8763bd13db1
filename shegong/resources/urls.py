from django.urls import path

from shegong.resources import views

app_name = "resources"

urlpatterns = [
    path("needs/", views.need_list, name="need_list"),
    path("needs/export.xlsx", views.need_export, name="need_export"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/dispatch/", views.need_dispatch, name="need_dispatch"),
    path("needs/<int:pk>/claim/", views.need_claim, name="need_claim"),
    path("needs/<int:pk>/decline/", views.need_decline, name="need_decline"),
    path("needs/<int:pk>/deliver/", views.need_deliver, name="need_deliver"),
    path("needs/<int:pk>/rate/", views.need_rate, name="need_rate"),
    path("", views.resource_list, name="resource_list"),
    path("export.xlsx", views.resource_export, name="resource_export"),
    path("new/", views.resource_create, name="resource_create"),
    path("<int:pk>/", views.resource_detail, name="resource_detail"),
    path("<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/export.xlsx", views.project_export, name="project_export"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("wishes/", views.wish_list, name="wish_list"),
    path("wishes/export.xlsx", views.wish_export, name="wish_export"),
    path("wishes/new/", views.wish_create, name="wish_create"),
    path("wishes/<int:pk>/", views.wish_detail, name="wish_detail"),
    path("wishes/<int:pk>/fulfil/", views.wish_fulfil, name="wish_fulfil"),
]
