from django.urls import path

from shegong.imports import registry, views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
    path("<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
    path("<int:pk>/cancel/", views.job_cancel, name="cancel"),
    path("<int:pk>/report.xlsx", views.job_report, name="report"),
]
# Each registered kind has its upload page and template ("imports:people_new",
# "imports:people_template"); apps register kinds in ready(), before URLs are loaded.
for _kind in registry.kinds():
    urlpatterns += [
        path(f"{_kind.code}/new/", views.job_new, {"kind": _kind.code}, name=f"{_kind.code}_new"),
        path(
            f"{_kind.code}/template.xlsx",
            views.job_template,
            {"kind": _kind.code},
            name=f"{_kind.code}_template",
        ),
    ]
