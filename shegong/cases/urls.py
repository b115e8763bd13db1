from django.urls import path

from shegong.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.xlsx", views.case_export, name="export"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("my/", views.my_work, name="my_work"),
    path("my/export.xlsx", views.my_work_export, name="my_work_export"),
    path("new/", views.case_create, name="create"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/<int:review_pk>/decide/", views.review_decide, name="review_decide"),
    path("referrals/", views.referral_inbox, name="referrals"),
    path("referrals/<int:referral_pk>/decide/", views.referral_decide, name="referral_decide"),
    path("clients/<int:person_pk>/", views.client_file, name="client_file"),
    path("clients/<int:person_pk>/household/", views.household_add, name="household_add"),
    path(
        "clients/<int:person_pk>/household/<int:member_pk>/remove/",
        views.household_remove,
        name="household_remove",
    ),
    path("clients/<int:person_pk>/taiwan/<slug:item>/", views.taiwan_item, name="taiwan_item"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/print/", views.case_print, name="print"),
    path("<int:pk>/assessment/new/", views.assessment_create, name="assessment_new"),
    path("<int:pk>/plans/new/", views.plan_create, name="plan_new"),
    path("<int:pk>/plans/<int:plan_pk>/submit/", views.plan_submit, name="plan_submit"),
    path("<int:pk>/tasks/<int:task_pk>/done/", views.task_done, name="task_done"),
    path("<int:pk>/notes/new/", views.note_create, name="note_new"),
    path("<int:pk>/notes/<int:note_pk>/comment/", views.note_comment, name="note_comment"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("<int:pk>/evaluation/new/", views.evaluation_create, name="evaluation_new"),
    path("<int:pk>/closure/", views.closure_create, name="closure"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    path("<int:pk>/referrals/new/", views.referral_create, name="referral_new"),
]
