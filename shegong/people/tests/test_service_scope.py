"""The people services check the actor's scope themselves, before reading or writing: a page,
the API, an import and a command get the same refusal, a 404-like ``OutOfScope``."""

import datetime

import pytest

from shegong.core.models import AccessLog
from shegong.core.scope import OutOfScope
from shegong.people.services import (
    consent_record,
    consent_withdraw,
    person_reveal,
    person_update,
)
from shegong.people.tests.factories import ConsentFactory, PersonFactory


@pytest.fixture
def home_person(world):
    """兴隆社区, registered by agency A: outside agency B and the other street."""
    return PersonFactory(name="甲乙", community=world.home_community, owner_agency=world.agency_a)


OUTSIDERS = ["social_worker_b", "volunteer", "auditor", "training_admin"]


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_an_outsider_cannot_update_and_nothing_is_saved(world, home_person, persona):
    with pytest.raises(OutOfScope):
        person_update(actor=world.users[persona], person=home_person, name="改名")
    home_person.refresh_from_db()
    assert home_person.name == "甲乙"


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_an_outsider_cannot_reveal_and_nothing_is_logged(world, home_person, persona):
    with pytest.raises(OutOfScope):
        person_reveal(actor=world.users[persona], person=home_person)
    assert not AccessLog.objects.filter(object_id=str(home_person.pk)).exists()


def test_reveal_needs_the_unmasking_permission_and_the_scope(world, home_person):
    revealed = person_reveal(actor=world.users["community_staff"], person=home_person)
    assert revealed["id_number"] == home_person.id_number
    assert AccessLog.objects.filter(
        action=AccessLog.Action.UNMASK, object_id=str(home_person.pk)
    ).exists()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_an_outsider_cannot_record_or_withdraw_consents(world, home_person, persona):
    actor = world.users[persona]
    consent = ConsentFactory(person=home_person, recorded_by=world.users["community_staff"])
    with pytest.raises(OutOfScope):
        consent_record(
            actor=actor,
            person=home_person,
            kind="separate",
            scope="personal_data",
            given_on=datetime.date(2026, 1, 5),
            given_by="甲乙",
        )
    with pytest.raises(OutOfScope):
        consent_withdraw(actor=actor, consent=consent, withdrawn_on=datetime.date.today())
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert home_person.consents.count() == 1
