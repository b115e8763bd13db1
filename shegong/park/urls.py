from django.urls import path

from shegong.park import views

app_name = "park"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("arrears.xlsx", views.arrears_export, name="arrears_export"),
    path("new/", views.park_new, name="park_new"),
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_new, name="unit_new"),
    path("units/<int:pk>/status/", views.unit_status, name="unit_status"),
    path("contracts/", views.contract_list, name="contracts"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract"),
    path("contracts/<int:pk>/activate/", views.contract_activate_view, name="contract_activate"),
    path("contracts/<int:pk>/end/", views.contract_end_view, name="contract_end"),
    path("contracts/<int:pk>/cancel/", views.contract_cancel_view, name="contract_cancel"),
    path("contracts/<int:pk>/terminate/", views.contract_terminate_view, name="contract_terminate"),
    path("contracts/<int:pk>/payments/new/", views.payment_new, name="payment_new"),
    path(
        "contracts/<int:pk>/payments/<int:payment_pk>/reverse/",
        views.payment_reverse_view,
        name="payment_reverse",
    ),
]
