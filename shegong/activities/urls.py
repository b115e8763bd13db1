from django.urls import path

from shegong.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("export.xlsx", views.activity_export, name="export"),
    path("new/", views.activity_create_view, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/stage/", views.activity_stage, name="stage"),
    path("<int:pk>/sessions/new/", views.session_create_view, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/qr/", views.session_qr, name="session_qr"),
    path("sessions/<int:pk>/mark/", views.session_mark, name="session_mark"),
    path("sessions/<int:pk>/walk-in/", views.session_walk_in, name="session_walk_in"),
    path("sessions/<int:pk>/register/", views.session_register, name="session_register"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
]
