"""Training objects, created through the services by the demo logins."""

import datetime
from decimal import Decimal

from django.utils import timezone

from shegong.people.tests.factories import mobile, resident_id
from shegong.training import services
from shegong.training.choices import ClassLevel, EmployerType, SessionMode


def admin(world):
    return world.users["training_admin"]


def make_course(world, subject="社会工作综合能力", level=ClassLevel.JUNIOR, hours="12"):
    from shegong.training.models import Course

    found = Course.objects.filter(subject=subject, level=level).first()
    if found:
        return found
    return services.course_create(
        actor=admin(world), subject=subject, level=level, hours=Decimal(hours)
    )


def make_class(world, *, capacity=30, courses=None, level=ClassLevel.JUNIOR, **extra):
    today = timezone.localdate()
    courses = courses if courses is not None else [make_course(world, level=level)]
    values = {
        "title": f"{today.year}年初级班",
        "year": today.year,
        "level": level,
        "capacity": capacity,
        "starts_on": today - datetime.timedelta(days=30),
        "ends_on": today + datetime.timedelta(days=60),
        "courses": courses,
    }
    values.update(extra)
    return services.class_create(actor=admin(world), **values)


def make_teacher(world, name="林老师", expertise="个案工作、督导"):
    return services.teacher_create(actor=admin(world), name=name, expertise=expertise)


def make_session(world, klass, *, starts_in=None, course=None, teacher=None, mode="offline"):
    starts = timezone.now() + (starts_in if starts_in is not None else datetime.timedelta(0))
    return services.session_create(
        actor=admin(world),
        klass=klass,
        course=course or klass.courses.first(),
        teacher=teacher,
        mode=mode,
        venue="湖里区社会工作促进会" if mode != SessionMode.ONLINE else "",
        live_url="https://live.example.org/room/1" if mode != SessionMode.OFFLINE else "",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )


def learner_data(n: int, *, name=None, **extra) -> dict:
    data = {
        "name": name or f"学员{n}",
        "id_type": "resident_id",
        "id_number": resident_id(7000 + n),
        "mobile": mobile(5000 + n),
        "employer_type": EmployerType.SOCIAL_ORG,
        "employer_name": "湖里区某社工机构",
    }
    data.update(extra)
    return data


def enrol(klass, n: int, *, site=None, **extra):
    return services.enrolment_create(klass=klass, site=site, **learner_data(n, **extra))


def make_site(world, name="闽宁镇", coordinators=()):
    return services.site_create(
        actor=admin(world), name=name, region="宁夏永宁县", coordinators=coordinators
    )


def make_coordinator(world, username="mn_coordinator"):
    from shegong.accounts.services import role_grant, user_create
    from shegong.core.demo import DEMO_PASSWORD

    district_admin = world.users["district_admin"]
    user = user_create(
        actor=district_admin, username=username, password=DEMO_PASSWORD, display_name="闽宁协调员"
    )
    role_grant(actor=district_admin, user=user, role="site_coordinator", node=world.district)
    return user
