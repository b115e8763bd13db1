from django.urls import path

from shegong.training import views

app_name = "training"

urlpatterns = [
    path("", views.class_list, name="classes"),
    path("classes.xlsx", views.class_export, name="class_export"),
    path("classes/new/", views.class_create, name="class_create"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("classes/<int:pk>/complete/", views.class_complete, name="class_complete"),
    path("classes/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/mark/", views.attendance_mark, name="attendance_mark"),
    path("courses/", views.course_list, name="courses"),
    path("courses/new/", views.course_create, name="course_create"),
    path("learners/", views.enrolment_list, name="enrolments"),
    path("learners.xlsx", views.enrolment_export, name="enrolment_export"),
    path("learners/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("learners/<int:pk>/cancel/", views.enrolment_cancel, name="enrolment_cancel"),
    path("certificates/<int:pk>/", views.certificate, name="certificate"),
    path("mine/", views.mine, name="mine"),
    path("teachers/", views.teacher_list, name="teachers"),
    path("teachers.xlsx", views.teacher_export, name="teacher_export"),
    path("teachers/new/", views.teacher_create, name="teacher_create"),
    path("teachers/<int:pk>/", views.teacher_detail, name="teacher_detail"),
    path("teachers/<int:pk>/edit/", views.teacher_edit, name="teacher_edit"),
    path("sites/", views.site_list, name="sites"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("figures/", views.figures, name="figures"),
    # Public, no account: open enrolment, its confirmation, and session feedback.
    path("enrol/", views.enrol, name="enrol"),
    path("enrol/<str:token>/", views.enrolled, name="enrolled"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
]
