from django.urls import path

from shegong.exams import views

app_name = "exams"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.attempt_start_view, name="attempt_start"),
    path("attempts/", views.attempt_list, name="attempts"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path("questions/", views.question_list, name="questions"),
    path("questions/export.xlsx", views.question_export, name="question_export"),
    path("questions/new/", views.question_create_view, name="question_create"),
    path("questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/retire/", views.question_retire_view, name="question_retire"),
    path("results/", views.result_list, name="results"),
    path("results/export.xlsx", views.result_export, name="result_export"),
    path("results/new/", views.result_create_view, name="result_create"),
    path("results/<int:pk>/", views.result_edit, name="result_edit"),
    path("pass-rates/", views.pass_rate_view, name="pass_rates"),
]
