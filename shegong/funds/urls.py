from django.urls import path

from shegong.funds import views

app_name = "funds"

urlpatterns = [
    path("", views.fund_list, name="list"),
    path("export.xlsx", views.fund_export, name="export"),
    path("new/", views.fund_create, name="create"),
    path("<int:pk>/", views.fund_detail, name="detail"),
    path("<int:pk>/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("<int:pk>/donations/new/", views.donation_new, name="donation_new"),
    path("<int:pk>/disbursements/new/", views.disbursement_new, name="disbursement_new"),
    path("<int:pk>/entries/<int:entry_pk>/reverse/", views.reversal_new, name="reversal_new"),
]
