import io

import openpyxl
import pytest

from shegong.volunteers import services
from shegong.volunteers.models import ServiceHours, ShiftSignup
from shegong.volunteers.tests.factories import make_shift, make_volunteer, past_date

pytestmark = pytest.mark.django_db


def _pending(world, volunteer, activity):
    return services.hours_enter(
        actor=world.users["community_staff"],
        volunteer=volunteer,
        activity=activity,
        served_on=past_date(),
        hours=2,
        reason="补录",
    )


def test_list_filters_exports_and_hides_id_numbers(world, client_for):
    volunteer = make_volunteer(world)
    make_volunteer(world, team=volunteer.team, name="李四")
    client = client_for("street_admin")
    page = client.get("/volunteers/", {"q": volunteer.number})
    body = page.content.decode()
    assert volunteer.person.name in body and "李四" not in body
    assert volunteer.person.id_number not in body
    bad = client.get("/volunteers/", {"status": "sleeping"})
    assert volunteer.number not in bad.content.decode()
    export = client.get("/volunteers/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row}
    assert volunteer.number in cells and volunteer.person.id_number not in cells


def test_the_volunteer_sees_their_own_profile_only(world, client_for):
    own = make_volunteer(world, user=world.users["volunteer"])
    other = make_volunteer(world, team=own.team, name="李四")
    client = client_for("volunteer")
    assert client.get("/volunteers/me/").url == f"/volunteers/{own.pk}/"
    page = client.get(f"/volunteers/{own.pk}/")
    assert page.status_code == 200 and 'data-testid="volunteer-points"' in page.content.decode()
    assert client.get(f"/volunteers/{other.pk}/").status_code == 404
    assert client.get("/volunteers/").status_code == 404


def test_volunteer_signs_up_and_cancels_on_the_phone_page(world, client_for):
    make_volunteer(world, user=world.users["volunteer"])
    shift = make_shift(world, capacity=3)
    client = client_for("volunteer")
    page = client.get("/volunteers/shifts/")
    assert shift.title in page.content.decode()
    client.post(f"/volunteers/shifts/{shift.pk}/sign-up/")
    signup = ShiftSignup.objects.get()
    assert 'data-testid="signed-up"' in client.get("/volunteers/shifts/").content.decode()
    client.post(f"/volunteers/signups/{signup.pk}/cancel/")
    signup.refresh_from_db()
    assert signup.status == "cancelled"


def test_staff_approve_and_reject_in_the_queue(world, client_for):
    volunteer = make_volunteer(world)
    activity = make_shift(world).session.activity
    first, second = _pending(world, volunteer, activity), _pending(world, volunteer, activity)
    client = client_for("community_staff")
    queue = client.get("/volunteers/hours/").content.decode()
    assert queue.count('data-testid="hours-pending-row"') == 2
    client.post(f"/volunteers/hours/{first.pk}/decide/", {"to": "approved"})
    refused = client.post(f"/volunteers/hours/{second.pk}/decide/", {"to": "rejected"}, follow=True)
    assert "请说明驳回原因。" in refused.content.decode()
    assert ServiceHours.objects.get(pk=second.pk).status == "pending"
    assert ServiceHours.objects.get(pk=first.pk).status == "approved"
    # The street looks on: the queue is not theirs.
    assert client_for("street_admin").get("/volunteers/hours/").status_code == 404


def test_certificate_issued_from_the_profile_and_printed(world, client_for):
    volunteer = make_volunteer(world, user=world.users["volunteer"])
    hours = _pending(world, volunteer, make_shift(world).session.activity)
    services.hours_decide(actor=world.users["community_staff"], hours=hours, to="approved")
    staff = client_for("community_staff")
    empty = staff.post(f"/volunteers/{volunteer.pk}/certificates/new/", {})
    assert empty.status_code == 200 and not volunteer.certificates.exists()
    done = staff.post(
        f"/volunteers/{volunteer.pk}/certificates/new/",
        {
            "cert-person_in_charge": "李建华",
            "cert-handler": "陈晓燕",
            "cert-handler_contact": "0592",
        },
    )
    certificate = volunteer.certificates.get()
    assert done.url == f"/volunteers/certificates/{certificate.pk}/"
    page = client_for("volunteer").get(done.url).content.decode()
    assert "志愿服务记录证明" in page and certificate.number in page
    assert volunteer.person.id_number_masked in page and volunteer.person.id_number not in page
    assert "@media print" in page


def test_staff_add_a_shift_and_see_its_sign_ups(world, client_for):
    from shegong.activities.tests.factories import make_activity, make_session
    from shegong.volunteers.models import VolunteerShift

    session = make_session(world, make_activity(world))
    client = client_for("community_staff")
    empty = client.post(
        "/volunteers/shifts/new/", {"session": session.pk, "title": "", "capacity": 0}
    )
    assert empty.status_code == 200 and not VolunteerShift.objects.exists()
    made = client.post(
        "/volunteers/shifts/new/", {"session": session.pk, "title": "引导员", "capacity": 2}
    )
    shift = VolunteerShift.objects.get()
    assert made.url == f"/volunteers/shifts/{shift.pk}/"
    volunteer = make_volunteer(world)
    services.signup_assign(actor=world.users["community_staff"], shift=shift, volunteer=volunteer)
    page = client.get(made.url).content.decode()
    assert volunteer.number in page and 'data-testid="shift-qr-page"' in page
    assert shift.title in client.get("/volunteers/shifts/").content.decode()
    # Another agency's staff neither see the shift nor add shifts to this session.
    other = client_for("social_worker_b")
    assert other.get(made.url).status_code == 404
    assert other.get("/volunteers/shifts/new/").status_code == 404
