from django.urls import path

from shegong.talent import cpd_views, policy_views, views

app_name = "talent"

urlpatterns = [
    path("", views.me, name="me"),
    path("qualify/", views.qualify, name="qualify"),
    path("cpd/new/", views.cpd_new, name="cpd_new"),
    path("notices/", views.notices, name="notices"),
    path("profiles/", views.profile_list, name="profile_list"),
    path("profiles/new/", views.profile_create, name="profile_create"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile_detail"),
    path("profiles/<int:pk>/employment/new/", views.employment_new, name="employment_new"),
    path(
        "profiles/<int:pk>/cpd/<int:entry_pk>/evidence/",
        cpd_views.cpd_evidence,
        name="cpd_evidence",
    ),
    path("profiles/<int:pk>/cpd/<int:entry_pk>/review/", cpd_views.cpd_review, name="cpd_review"),
    path("profiles/<int:pk>/titles/new/", views.title_new, name="title_new"),
    path(
        "profiles/<int:pk>/qualifications/new/",
        views.qualification_new,
        name="qualification_new",
    ),
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/new/", views.policy_create, name="policy_create"),
    path("policies/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("policies/<int:pk>/edit/", policy_views.policy_edit, name="policy_edit"),
    path("policies/<int:pk>/apply/", views.apply, name="apply"),
    path(
        "policies/<int:pk>/approved.xlsx",
        views.policy_approved_export,
        name="policy_approved_export",
    ),
    path(
        "policies/<int:pk>/payments.xlsx",
        views.policy_payments_export,
        name="policy_payments_export",
    ),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/attachment/",
        views.application_attachment,
        name="application_attachment",
    ),
    path("applications/<int:pk>/review/", views.application_review, name="application_review"),
    path(
        "applications/<int:pk>/resubmit/", views.application_resubmit, name="application_resubmit"
    ),
    path("applications/<int:pk>/amount/", views.application_amount, name="application_amount"),
    path("applications/<int:pk>/objections/new/", views.objection_new, name="objection_new"),
    path(
        "applications/<int:pk>/objections/<int:objection_pk>/resolve/",
        views.objection_resolve,
        name="objection_resolve",
    ),
    path("applications/<int:pk>/close-notice/", views.notice_close, name="notice_close"),
    path(
        "applications/<int:pk>/payments/<int:payment_pk>/record/",
        views.payment_record,
        name="payment_record",
    ),
]
