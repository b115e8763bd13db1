"""The academy's pages: public enrolment and feedback, staff pages, the coordinator's view."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from shegong.core.checkin import checkin_path, issue_token
from shegong.people.models import Person
from shegong.training import services
from shegong.training.models import Attendance, Enrolment
from shegong.training.tests.factories import (
    admin,
    enrol,
    learner_data,
    make_class,
    make_coordinator,
    make_session,
    make_site,
    make_teacher,
)


def _post_enrolment(klass, data, site=None):
    body = {**data, "klass": klass.pk, "site": site.pk if site else ""}
    return Client().post(reverse("training:enrol"), body)


def test_public_enrolment_without_an_account_ends_on_the_confirmation(world):
    klass = make_class(world)
    site = make_site(world)
    response = _post_enrolment(klass, learner_data(1), site)
    assert response.status_code == 302
    page = Client().get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="enrolled-confirmed"' in text
    assert learner_data(1)["id_number"] not in text  # masked
    enrolment = Enrolment.objects.get()
    assert enrolment.site == site


def test_a_crowd_opening_the_enrolment_link_costs_one_query_each(world, django_assert_num_queries):
    klass = make_class(world, title="初级班")
    url = reverse("training:enrol") + f"?class={klass.pk}"
    first = Client().get(url).content.decode()
    # The next visitors: only their address's rate is read; the classes and the blank form
    # are the ones drawn for the first.
    with django_assert_num_queries(1):
        second = Client().get(url).content.decode()
    assert second == first.replace(_csrf(first), _csrf(second))
    assert "初级班" in second and f'<option value="{klass.pk}" selected>' in second
    assert _post_enrolment(klass, learner_data(1)).status_code == 302


def _csrf(page: str) -> str:
    return page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def test_full_class_confirmation_says_waitlist_position(world):
    klass = make_class(world, capacity=1)
    enrol(klass, 1)
    response = _post_enrolment(klass, learner_data(2))
    page = Client().get(response["Location"])
    assert 'data-testid="enrolled-waitlisted"' in page.content.decode()


def test_public_enrolment_errors_are_shown_by_field_and_nothing_is_written(world):
    klass = make_class(world)
    data = learner_data(1, id_number="350206199001011234", mobile="123")
    response = _post_enrolment(klass, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "is-invalid" in text
    assert Person.objects.count() == 0 and Enrolment.objects.count() == 0


def test_duplicate_enrolment_is_refused_on_the_page(world):
    klass = make_class(world)
    enrol(klass, 1)
    response = _post_enrolment(klass, learner_data(1))
    assert response.status_code == 200
    assert Enrolment.objects.count() == 1


def test_forged_confirmation_link_is_not_found(world):
    assert Client().get(reverse("training:enrolled", args=["forged"])).status_code == 404


def _check_in(url, enrolment):
    page = Client().get(url).content.decode()
    nonce = re.search(r'name="nonce" value="([^"]+)"', page).group(1)
    data = {"name": enrolment.person.name, "mobile": enrolment.mobile, "nonce": nonce}
    return Client().post(url, data)


@pytest.mark.django_db(transaction=True)  # the attendance's missing session shows at commit
def test_a_session_deleted_while_its_check_in_is_sent_is_refused_and_writes_nothing(world):
    klass = make_class(world)
    session = make_session(world, klass)
    url = checkin_path(issue_token(session))
    first, second = enrol(klass, 1), enrol(klass, 2)
    assert 'data-testid="checkin-done"' in _check_in(url, first).content.decode()
    # The session the first check-in read is kept for the crowd; it is gone by the time the
    # second one is recorded.
    session.delete()
    refused = _check_in(url, second)
    assert refused.status_code == 404
    assert 'data-testid="checkin-invalid"' in refused.content.decode()
    assert not Attendance.objects.exists()


def test_staff_pages_open_for_the_training_admin(world, client_for):
    klass = make_class(world)
    session = make_session(world, klass, teacher=make_teacher(world))
    enrolment = enrol(klass, 1)
    client = client_for("training_admin")
    for url in (
        reverse("training:classes"),
        reverse("training:class_detail", args=[klass.pk]),
        reverse("training:session_detail", args=[session.pk]),
        reverse("training:enrolments"),
        reverse("training:enrolment_detail", args=[enrolment.pk]),
        reverse("training:teachers") + "?expertise=督导",
        reverse("training:courses"),
        reverse("training:sites"),
        reverse("training:figures"),
    ):
        assert client.get(url).status_code == 200, url
    export = client.get(reverse("training:enrolment_export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_teacher_search_by_expertise(world, client_for):
    make_teacher(world, name="林老师", expertise="个案工作、督导")
    make_teacher(world, name="黄老师", expertise="小组工作")
    page = client_for("training_admin").get(reverse("training:teachers"), {"expertise": "督导"})
    text = page.content.decode()
    assert "林老师" in text and "黄老师" not in text


def test_coordinator_sees_only_their_sites_learners(world):
    coordinator = make_coordinator(world)
    site = make_site(world, coordinators=[coordinator])
    other = make_site(world, name="另一站点")
    klass = make_class(world)
    mine = enrol(klass, 1, site=site)
    theirs = enrol(klass, 2, site=other)
    client = Client()
    client.force_login(coordinator)
    listing = client.get(reverse("training:enrolments")).content.decode()
    assert "学员1" in listing and "学员2" not in listing
    assert client.get(reverse("training:enrolment_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("training:enrolment_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("training:site_detail", args=[other.pk])).status_code == 404
    page = client.get(reverse("training:site_detail", args=[site.pk]))
    assert page.status_code == 200
    assert client.get(reverse("training:class_create")).status_code == 404


def test_feedback_page_with_the_session_code(world):
    klass = make_class(world)
    session = make_session(world, klass)
    enrolment = enrol(klass, 1)
    services.attendance_check_in(session, name="学员1", mobile=enrolment.mobile)
    url = reverse("training:feedback", args=[issue_token(session)])
    response = Client().post(url, {"name": "学员1", "mobile": enrolment.mobile, "rating": 4})
    assert 'data-testid="feedback-done"' in response.content.decode()
    assert session.feedback.get().rating == 4


def test_learner_with_an_account_sees_their_record_and_certificate(world, client_for):
    klass = make_class(world)
    session = make_session(world, klass, starts_in=datetime.timedelta(hours=-1))
    enrolment = enrol(klass, 1)
    services.attendance_mark(actor=admin(world), session=session, enrolment=enrolment)
    (completion,) = services.completions_record(actor=admin(world), klass=klass)
    user = world.users["volunteer"]
    user.person = enrolment.person
    user.save(update_fields=["person"])
    client = Client()
    client.force_login(user)
    page = client.get(reverse("training:mine")).content.decode()
    assert completion.certificate_number in page
    certificate = client.get(reverse("training:certificate", args=[completion.pk]))
    assert certificate.status_code == 200
    # Someone else's certificate: not found.
    other = Client()
    other.force_login(world.users["social_worker"])
    assert other.get(reverse("training:certificate", args=[completion.pk])).status_code == 404


def test_class_edit_says_a_backwards_period_on_its_field(world, client_for):
    klass = make_class(world)
    client = client_for("training_admin")
    response = client.post(
        reverse("training:class_edit", args=[klass.pk]),
        {
            "title": klass.title,
            "capacity": klass.capacity,
            "completion_percent": klass.completion_percent,
            "cpd_hours": klass.cpd_hours,
            "starts_on": klass.starts_on.isoformat(),
            "ends_on": (klass.starts_on - datetime.timedelta(days=1)).isoformat(),
            "enrolment_open": "on",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"ends_on": ["The class cannot end before it starts."]}
    klass.refresh_from_db()
    assert klass.ends_on > klass.starts_on


def test_digits_that_are_not_numbers_are_no_error(world, client_for):
    # "²" is a digit to str.isdigit() but no number to int(): a 500 before.
    klass = make_class(world)
    session = make_session(world, klass)
    client = client_for("training_admin")
    assert client.get(reverse("training:figures") + "?year=²").status_code == 200
    response = client.post(
        reverse("training:attendance_mark", args=[session.pk]), {"enrolment": "²"}
    )
    assert response.status_code == 302
    assert not session.attendances.exists()


def test_class_form_with_a_course_id_past_the_database_integers_is_a_field_error(world, client_for):
    # A multiple choice of rows whose id is beyond 64 bits failed in the database driver (a
    # 500): the field says it is no valid choice, as for any unknown id.
    client = client_for("training_admin")
    response = client.post(
        reverse("training:class_create"),
        {"title": "班", "courses": ["99999999999999999999"], "capacity": "10"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "courses" in response.context["form"].errors
