import pytest

from shegong.volunteers import demo
from shegong.volunteers.models import Certificate, PointsEntry, ServiceHours, VolunteerProfile
from shegong.volunteers.workbench import volunteer_todos

pytestmark = pytest.mark.django_db


def test_demo_leaves_the_volunteer_login_a_living_record_once(world):
    demo.build(world)
    profile = VolunteerProfile.objects.get(user=world.users["volunteer"])
    assert profile.points_balance == 20  # 3 approved hours → 30 points, 10 exchanged
    statuses = sorted(
        ServiceHours.objects.filter(volunteer=profile).values_list("status", flat=True)
    )
    assert statuses == ["approved", "pending"]
    assert Certificate.objects.filter(volunteer=profile).count() == 1
    mine = {t.testid: t.count for t in volunteer_todos(world.users["volunteer"])}
    assert mine == {"volunteer-my-shifts": 1}
    staff = {t.testid: t.count for t in volunteer_todos(world.users["community_staff"])}
    assert staff["volunteer-hours-pending"] == 1
    counts = (VolunteerProfile.objects.count(), PointsEntry.objects.count())
    demo.build(world)
    assert (VolunteerProfile.objects.count(), PointsEntry.objects.count()) == counts
