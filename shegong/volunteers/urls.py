from django.urls import path

from shegong.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.volunteer_list, name="list"),
    path("export.xlsx", views.volunteer_export, name="export"),
    path("new/", views.volunteer_register, name="register"),
    path("me/", views.my_profile, name="me"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_create, name="team_create"),
    path("<int:pk>/", views.volunteer_detail, name="detail"),
    path("<int:pk>/edit/", views.volunteer_edit, name="edit"),
    path("<int:pk>/hours/new/", views.hours_enter, name="hours_enter"),
    path("<int:pk>/exchange/", views.points_exchange, name="exchange"),
    path("<int:pk>/certificates/new/", views.certificate_issue, name="certificate_issue"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate"),
    path("shifts/", views.shift_list, name="shifts"),
    path("shifts/new/", views.shift_create, name="shift_create"),
    path("shifts/<int:pk>/", views.shift_detail, name="shift"),
    path("shifts/<int:pk>/sign-up/", views.shift_sign_up, name="shift_sign_up"),
    path("shifts/<int:pk>/qr/", views.shift_qr, name="shift_qr"),
    path("signups/<int:pk>/cancel/", views.signup_cancel, name="signup_cancel"),
    path("hours/", views.hours_queue, name="hours_queue"),
    path("hours/<int:pk>/decide/", views.hours_decide, name="hours_decide"),
]
