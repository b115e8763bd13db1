"""``manage.py seed_demo``: the demo world a developer clicks through, loaded idempotently."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings
from stdnum.cn import ric, uscc

from shegong.accounts.models import RoleAssignment, User
from shegong.agencies.models import Agency
from shegong.cases.choices import CaseStatus, ReferralStatus, ReviewKind, ReviewStatus
from shegong.cases.models import Case, Referral, Review
from shegong.cases.selectors import referral_inbox
from shegong.core.demo import DEMO_PASSWORD
from shegong.core.registry import todos_for
from shegong.core.testing.personas import PERSONAS
from shegong.notifications.models import Notification
from shegong.people.choices import Gender, IdType
from shegong.people.demo import DEMO_PEOPLE_COUNT
from shegong.people.models import Person
from shegong.people.validators import validate_id_number, validate_mobile
from shegong.places.models import Community

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            Community,
            Agency,
            User,
            RoleAssignment,
            Person,
            Case,
            Review,
            Referral,
            Notification,
        )
    }


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """The small demo district, loaded once for the tests that read it: ``seed_demo`` runs in a
    transaction rolled back after the class's last test (each test's own transaction is a
    savepoint inside it, so what a test adds is gone before the next)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        output = seed()
        yield output, counts()
        transaction.set_rollback(True)


def test_unknown_scale_is_refused():
    with pytest.raises(CommandError, match="scale"):
        seed("--scale", "galactic")
    assert Person.objects.count() == 0


def test_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    before = counts()
    with pytest.raises(CommandError, match="production"):
        seed()
    assert counts() == before


def test_the_personas_world_has_no_stories(world):
    # Tests run against places, agencies and logins only: the stories are for seed_demo.
    assert not Person.objects.exists()
    assert not Case.objects.exists()
    assert not User.objects.filter(username="agency_admin_b").exists()


class TestTheSeededDistrict:
    def test_running_twice_creates_nothing_new(self, seeded):
        first_output, first = seeded
        second_output = seed()
        assert counts() == first
        # The synthetic residents, and the Taiwan compatriot of the case stories; besides them
        # the training academy's learners, who enrolled themselves (many from a remote site).
        learners = Person.objects.filter(training_enrolments__isnull=False).distinct().count()
        assert first["Person"] == DEMO_PEOPLE_COUNT["small"] + 1 + learners
        assert f"{DEMO_PEOPLE_COUNT['small']:,} created" in first_output
        assert "0 created" in second_output

    def test_every_demo_person_has_a_valid_resident_id_and_mobile(self, seeded):
        people = list(
            Person.objects.filter(id_type=IdType.RESIDENT_ID, training_enrolments__isnull=True)
        )
        assert len(people) == DEMO_PEOPLE_COUNT["small"]
        assert len({p.id_number for p in people}) == len(people)
        for person in people:
            facts = validate_id_number(person.id_type, person.id_number)
            assert ric.is_valid(person.id_number)
            assert person.id_number.startswith("3502")
            assert facts.birth_date == person.birth_date
            assert facts.gender == person.gender
            assert validate_mobile(person.mobile) == person.mobile
            assert person.search_text

    def test_demo_people_are_spread_over_communities_and_agencies(self, seeded):
        people = Person.objects.all()
        assert people.values("community").distinct().count() >= 40
        assert people.exclude(owner_agency=None).values("owner_agency").distinct().count() >= 6
        assert people.filter(owner_agency=None).exists()
        assert people.filter(gender=Gender.MALE).exists()
        assert people.filter(gender=Gender.FEMALE).exists()
        # The demo home community and its agency have people to show on their lists.
        assert people.filter(
            community__name="兴隆社区", owner_agency__name__contains="开心"
        ).exists()

    def test_personal_data_is_encrypted_in_the_database(self, seeded):
        from django.db import connection

        person = Person.objects.order_by("pk").first()
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number, mobile FROM people_person WHERE id = %s", [person.pk])
            raw_id, raw_mobile = cursor.fetchone()
        assert person.id_number not in raw_id
        assert person.mobile not in raw_mobile

    def test_demo_logins_work_with_the_documented_password(self, seeded, client):
        for username in PERSONAS:
            user = User.objects.get(username=username)
            assert user.check_password(DEMO_PASSWORD), username
            assert user.role_assignments.exists(), username
        response = client.post(
            "/accounts/login/", {"username": "district_admin", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302

    def test_ten_urban_villages_and_eight_agencies_with_valid_codes(self, seeded):
        assert Community.objects.filter(urban_village=True).count() == 10
        agencies = Agency.objects.all()
        assert agencies.count() >= 8
        assert all(uscc.is_valid(agency.uscc) for agency in agencies)

    def test_if_empty_leaves_a_database_with_users_alone(self, seeded):
        _output, before = seeded
        output = seed("--if-empty")
        assert "not loaded" in output
        assert counts() == before

    def test_the_demo_agency_has_cases_at_every_step_of_the_lifecycle(self, seeded, world):
        cases = Case.objects.filter(agency=world.agency_a, worker=world.users["social_worker"])
        statuses = set(cases.values_list("status", flat=True))
        assert statuses == set(CaseStatus)
        assert cases.filter(is_taiwan_service=True, client__id_type=IdType.TAIWAN_PERMIT).exists()
        assert cases.aggregate(total=Sum("person_times"))["total"] > 0
        pending = Review.objects.filter(case__agency=world.agency_a, status=ReviewStatus.PENDING)
        assert set(pending.values_list("kind", flat=True)) == {ReviewKind.PLAN, ReviewKind.CLOSURE}

    def test_a_referral_waits_for_the_second_agency_which_has_leads_to_answer_it(
        self, seeded, world
    ):
        referral = Referral.objects.get(to_agency=world.agency_b)
        assert referral.status == ReferralStatus.PENDING
        assert referral.case.agency == world.agency_a
        for agency in Agency.objects.all():
            roles = set(
                RoleAssignment.objects.filter(agency=agency, is_active=True).values_list(
                    "role", flat=True
                )
            )
            assert {"agency_admin", "supervisor"} <= roles, agency.name
        inbox = referral_inbox(User.objects.get(username="agency_admin_b"))
        assert list(inbox) == [referral]

    def test_every_demo_login_lands_on_a_workbench_with_something_to_do(self, seeded):
        for user in User.objects.filter(role_assignments__isnull=False).distinct():
            todos = todos_for(user)
            assert any(todo.count for todo in todos), user.username

    def test_the_demo_worker_has_overdue_tasks_and_a_quiet_client(self, seeded, world):
        counts = {t.testid: t.count for t in todos_for(world.users["social_worker"])}
        assert counts["overdue"] >= 1
        assert counts["no-contact"] >= 1
        lead = {t.testid: t.count for t in todos_for(world.users["supervisor"])}
        assert lead["approvals"] == 2
