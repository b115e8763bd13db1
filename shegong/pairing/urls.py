from django.urls import path

from shegong.pairing import views

app_name = "pairing"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("export.xlsx", views.agreement_export, name="export"),
    path("new/", views.agreement_create, name="create"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/transition/", views.agreement_transition, name="transition"),
    path("<int:pk>/commitments/", views.commitment_add, name="commitment_add"),
    path(
        "<int:pk>/commitments/<int:commitment_pk>/done/",
        views.commitment_mark,
        name="commitment_mark",
    ),
    path("<int:pk>/reviews/new/", views.review_new, name="review_new"),
]
