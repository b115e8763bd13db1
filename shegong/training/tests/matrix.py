"""Training objects and sentinels for the authorization matrix (tests/test_authorization_matrix.py).

Objects: a class with a course, a session happening now, a teacher, a remote site, a learner
who attended and completed (with a certificate), the signed confirmation link of the public
enrolment and the session's check-in token. Sentinels: two learners, one at another remote site
and one at the academy itself; only the academy's staff and the district's administrators may
find them (site coordinators are checked in training's own tests).
"""

from django.core import signing
from django.urls import reverse

from shegong.core.checkin import issue_token
from shegong.core.testing.matrix import Sentinel
from shegong.people.tests.factories import mobile, resident_id
from shegong.training import services
from shegong.training.tests.factories import (
    admin,
    enrol,
    make_class,
    make_session,
    make_site,
    make_teacher,
)
from shegong.training.views import ENROLLED_SALT

ACADEMY_VIEWERS = frozenset({"training_admin", "district_admin"})


def training_objects(world) -> dict:
    teacher = make_teacher(world, name="矩阵讲师")
    site = make_site(world, name="矩阵站点")
    klass = make_class(world, title="矩阵培训班")
    session = make_session(world, klass, teacher=teacher)
    enrolment = enrol(klass, 901, name="矩阵学员", site=site)
    services.attendance_mark(actor=admin(world), session=session, enrolment=enrolment)
    (completion,) = services.completions_record(actor=admin(world), klass=klass)
    return {
        "training_class_a": klass.pk,
        "training_session_a": session.pk,
        "training_teacher_a": teacher.pk,
        "training_site_a": site.pk,
        "training_enrolment_a": enrolment.pk,
        "training_completion_a": completion.pk,
        "training_enrolled_token": signing.dumps(enrolment.pk, salt=ENROLLED_SALT),
        "training_checkin_token": issue_token(session),
    }


def training_sentinels(world) -> list[Sentinel]:
    site = make_site(world, name="哨兵站点")
    klass = make_class(world, title="哨兵培训班")
    marks = []
    for key, n, name, where in (
        ("training_remote", 931, "哨兵远程学员", site),
        ("training_local", 932, "哨兵本地学员", None),
    ):
        enrolment = enrol(klass, n, name=name, site=where)
        marks.append(
            Sentinel(
                key=key,
                kind="training_learner",
                pk=enrolment.pk,
                path=reverse("training:enrolment_detail", args=[enrolment.pk]),
                texts=(name,),
                visible_to=ACADEMY_VIEWERS,
                searches={
                    name: ACADEMY_VIEWERS,
                    resident_id(7000 + n): ACADEMY_VIEWERS,
                    mobile(5000 + n): ACADEMY_VIEWERS,
                },
            )
        )
    return marks
