"""Registering talent profiles, qualifications, employment and titles through the pages and
the API: in scope only, with field errors and nothing written on bad input."""

import datetime

import pytest
from django.test import Client

from shegong.accounts.services import token_issue
from shegong.talent.models import Qualification, TalentProfile, TitleGrant
from shegong.talent.tests.factories import make_person, make_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(world):
    def make(persona: str) -> Client:
        _token, raw = token_issue(user=world.users[persona], name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def test_the_director_registers_their_worker(client_for, world):
    person = make_person(world, name="新社工", owner_agency=world.agency_a)
    response = client_for("agency_admin").post(
        "/talent/profiles/new/",
        {"person": person.pk, "agency": world.agency_a.pk, "user": world.users["social_worker"].pk},
    )
    profile = TalentProfile.objects.get()
    assert response.status_code == 302
    assert (profile.person, profile.agency, profile.user) == (
        person,
        world.agency_a,
        world.users["social_worker"],
    )
    assert profile.community == world.agency_a.community


def test_another_agency_cannot_be_chosen(client_for, world):
    person = make_person(world, name="新社工", owner_agency=world.agency_a)
    response = client_for("agency_admin").post(
        "/talent/profiles/new/", {"person": person.pk, "agency": world.agency_b.pk}
    )
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert not TalentProfile.objects.exists()


def test_a_second_profile_for_one_person_is_refused(api_for, world):
    profile = make_worker(world)
    response = api_for("district_admin").post(
        "/api/v1/talent/profiles",
        {"person_id": profile.person_id, "agency_id": world.agency_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "person" in response.json()["errors"]
    assert TalentProfile.objects.count() == 1


def test_a_certificate_on_record_is_refused(api_for, world):
    profile = make_worker(world)
    number = profile.qualifications.get().certificate_no
    response = api_for("agency_admin").post(
        f"/api/v1/talent/profiles/{profile.pk}/qualifications",
        {"level": "intermediate", "certificate_no": number, "obtained_on": "2020-06-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["certificate_no"] == ["此证书已登记。"]
    assert Qualification.objects.count() == 1


def test_only_the_district_grants_titles(api_for, client_for, world):
    profile = make_worker(world)
    body = {"title": "top", "tier": "district", "year": datetime.date.today().year}
    url = f"/api/v1/talent/profiles/{profile.pk}/titles"
    assert (
        api_for("agency_admin").post(url, body, content_type="application/json").status_code == 404
    )
    assert not TitleGrant.objects.exists()
    response = api_for("district_admin").post(url, body, content_type="application/json")
    assert response.status_code == 201
    page = client_for("social_worker").get("/talent/")
    assert page.status_code == 200


def test_hours_without_evidence_are_refused(api_for, world):
    make_worker(world, user=world.users["social_worker"])
    response = api_for("social_worker").post(
        "/api/v1/talent/me/cpd", {"date": "2026-01-05", "hours": "6", "label": "讲座"}
    )
    assert response.status_code == 400
    assert "evidence" in response.json()["errors"]
