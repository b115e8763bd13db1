from django.urls import path

from shegong.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("people/new/", views.people_new, name="people_new"),
    path("people/template.xlsx", views.people_template, name="people_template"),
    path("cases/new/", views.cases_new, name="cases_new"),
    path("cases/template.xlsx", views.cases_template, name="cases_template"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
    path("<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("<int:pk>/cancel/", views.job_cancel, name="cancel"),
    path("<int:pk>/report.xlsx", views.job_report, name="report"),
]
