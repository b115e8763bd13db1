from django.urls import path

from shegong.core import checkin_views, views

app_name = "core"

urlpatterns = [
    path("audit/", views.audit_changes, name="audit"),
    path("audit/access/", views.audit_access, name="audit_access"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/new/", views.calendar_new, name="calendar_new"),
    path("calendar/<int:pk>/delete/", views.calendar_delete, name="calendar_delete"),
]

root_urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("c/<str:token>/", checkin_views.checkin_page, name="checkin"),
]
