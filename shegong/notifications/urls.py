from django.urls import path

from shegong.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_index, name="list"),
    path("bell/", views.bell, name="bell"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("<int:pk>/open/", views.notification_open, name="open"),
]
