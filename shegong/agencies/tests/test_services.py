"""agency_create / agency_update: validation, scope and "nothing written" on failure."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.agencies.models import Agency
from shegong.agencies.services import agency_create, agency_update
from shegong.agencies.tests.factories import bad_checksum_uscc, valid_uscc
from shegong.places.models import Community


def test_street_admin_registers_agency_in_own_street(world):
    actor = world.users["street_admin"]
    agency = agency_create(
        actor=actor,
        name="新社工中心",
        uscc=valid_uscc(1),
        community=world.home_community,
        contact_phone="13900001111",
    )
    agency.refresh_from_db()
    assert agency.community == world.home_community
    assert agency.contact_phone_masked == "139****1111"
    entry = LogEntry.objects.get_for_object(agency).get()
    assert entry.actor == actor
    assert "13900001111" not in str(entry.changes_dict)


@pytest.mark.parametrize(
    ("value", "code"),
    [("52350206MJ000010", "format"), ("not-a-code", "format"), (None, "checksum")],
)
def test_invalid_uscc_is_refused_and_nothing_written(world, value, code):
    before = Agency.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        agency_create(
            actor=world.users["district_admin"],
            name="坏代码机构",
            uscc=value if value is not None else bad_checksum_uscc(),
            community=world.home_community,
        )
    assert "uscc" in excinfo.value.message_dict
    assert Agency.objects.count() == before


def test_duplicate_uscc_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        agency_create(
            actor=world.users["district_admin"],
            name="重复机构",
            uscc=world.agency_a.uscc,
            community=world.home_community,
        )
    assert "uscc" in excinfo.value.message_dict
    assert not Agency.objects.filter(name="重复机构").exists()


def test_street_admin_cannot_register_in_another_street(world):
    other = Community.objects.filter(street=world.other_street).first()
    with pytest.raises(ValidationError) as excinfo:
        agency_create(
            actor=world.users["street_admin"], name="越界机构", uscc=valid_uscc(2), community=other
        )
    assert "community" in excinfo.value.message_dict
    assert not Agency.objects.filter(name="越界机构").exists()


@pytest.mark.parametrize("persona", ["agency_admin", "social_worker", "community_staff"])
def test_only_place_admins_register_agencies(world, persona):
    with pytest.raises(PermissionDenied):
        agency_create(
            actor=world.users[persona],
            name="无权机构",
            uscc=valid_uscc(3),
            community=world.home_community,
        )
    assert not Agency.objects.filter(name="无权机构").exists()


def test_agency_admin_edits_own_agency_but_cannot_move_it(world):
    actor = world.users["agency_admin"]
    agency_update(actor=actor, agency=world.agency_a, address="新地址 1 号")
    world.agency_a.refresh_from_db()
    assert world.agency_a.address == "新地址 1 号"

    elsewhere = Community.objects.exclude(pk=world.agency_a.community_id).first()
    with pytest.raises(ValidationError) as excinfo:
        agency_update(actor=actor, agency=world.agency_a, community=elsewhere)
    assert "community" in excinfo.value.message_dict
    world.agency_a.refresh_from_db()
    assert world.agency_a.community == world.home_community


def test_agency_admin_cannot_deactivate_own_agency(world):
    with pytest.raises(ValidationError) as excinfo:
        agency_update(actor=world.users["agency_admin"], agency=world.agency_a, is_active=False)
    assert "is_active" in excinfo.value.message_dict
    world.agency_a.refresh_from_db()
    assert world.agency_a.is_active


def test_agency_admin_cannot_edit_another_agency(world):
    with pytest.raises(PermissionDenied):
        agency_update(actor=world.users["agency_admin"], agency=world.agency_b, address="x")
    world.agency_b.refresh_from_db()
    assert world.agency_b.address != "x"


def test_bad_phone_on_update_writes_nothing(world):
    with pytest.raises(ValidationError) as excinfo:
        agency_update(
            actor=world.users["street_admin"],
            agency=world.agency_a,
            name="改名",
            contact_phone="12345",
        )
    assert "contact_phone" in excinfo.value.message_dict
    world.agency_a.refresh_from_db()
    assert world.agency_a.name != "改名"
