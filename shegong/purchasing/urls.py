from django.urls import path

app_name = "purchasing"
urlpatterns = []
