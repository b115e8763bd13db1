"""The people API: same scope, services and masks as the pages, with JSON errors."""

import datetime

import pytest
from django.db import connection

from shegong.core import crypto
from shegong.core.demo import DEMO_PASSWORD
from shegong.core.models import AccessLog
from shegong.people.models import Consent, Person
from shegong.people.tests.factories import PersonFactory, mobile, resident_id
from shegong.places.models import Community


@pytest.fixture
def api_for(client, world):
    """``api_for("persona")`` → a client sending that persona's bearer token."""

    class Api:
        def __init__(self, token):
            self.headers = {"Authorization": f"Bearer {token}"}

        def get(self, path, params=None):
            return client.get(f"/api/v1{path}", params or {}, headers=self.headers)

        def post(self, path, body=None):
            return client.post(
                f"/api/v1{path}", body or {}, content_type="application/json", headers=self.headers
            )

        def patch(self, path, body):
            return client.patch(
                f"/api/v1{path}", body, content_type="application/json", headers=self.headers
            )

    def make(username):
        response = client.post(
            "/api/v1/auth/token",
            {"username": username, "password": DEMO_PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 201
        return Api(response.json()["token"])

    return make


@pytest.fixture
def home_person(world):
    return PersonFactory(name="张三", community=world.home_community, owner_agency=world.agency_a)


@pytest.fixture
def other_person(world):
    community = Community.objects.filter(street=world.other_street).order_by("code").first()
    return PersonFactory(name="李四", community=community, owner_agency=world.agency_b)


def new_person(world, n=900, **overrides):
    body = {
        "name": "王小明",
        "id_type": "resident_id",
        "id_number": resident_id(n, birth_date=datetime.date(1991, 1, 2), male=False),
        "mobile": mobile(n),
        "community_id": world.home_community.pk,
    }
    body.update(overrides)
    return body


# Reading


def test_list_is_scoped_paginated_and_masked(api_for, home_person, other_person):
    response = api_for("community_staff").get("/people")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["name"] == "张三"
    assert item["id_number_masked"] == home_person.id_number_masked
    assert item["mobile_masked"] == home_person.mobile_masked
    assert "id_number" not in item and "mobile" not in item
    assert home_person.id_number not in response.content.decode()


def test_list_uses_the_same_filters_as_the_page(api_for, world, home_person, other_person):
    api = api_for("district_admin")

    def names(**params):
        return {item["name"] for item in api.get("/people", params).json()["items"]}

    assert names() == {"张三", "李四"}
    assert names(q="zs") == {"张三"}
    assert names(q="lisi") == {"李四"}
    assert names(q=other_person.id_number) == {"李四"}
    assert names(community=world.home_community.pk) == {"张三"}
    assert names(age_min=home_person.age(), age_max=home_person.age()) >= {"张三"}


def test_list_paginates(api_for, world):
    for _ in range(60):
        PersonFactory(community=world.home_community)
    api = api_for("community_staff")
    first = api.get("/people").json()
    assert first["count"] == 60 and len(first["items"]) == 50
    assert len(api.get("/people", {"page": 2}).json()["items"]) == 10


def test_list_sorts_like_the_page(api_for, world):
    for name in ("乙", "甲", "丙"):
        PersonFactory(name=name, community=world.home_community)
    api = api_for("community_staff")

    def names(sort):
        return [item["name"] for item in api.get("/people", {"sort": sort}).json()["items"]]

    assert names("name") == sorted(names("name"))
    assert names("-name") == names("name")[::-1]
    bad = api.get("/people", {"sort": "id_number"})  # encrypted: not a sort key
    assert bad.status_code == 400 and "sort" in bad.json()["errors"]


def test_bad_filter_is_a_json_error(api_for):
    response = api_for("district_admin").get("/people", {"age_min": "old"})
    assert response.status_code == 422
    assert "age_min" in response.json()["errors"]


def test_detail_is_masked_and_scoped(api_for, home_person, other_person):
    body = api_for("community_staff").get(f"/people/{home_person.pk}").json()
    assert body["id_number_masked"] == home_person.id_number_masked
    assert body["birth_date"] == home_person.birth_date.isoformat()
    assert body["community_name"] == "兴隆社区"
    response = api_for("community_staff").get(f"/people/{other_person.pk}")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_second_agency_gets_404_for_agency_a_person(api_for, world):
    person = PersonFactory(owner_agency=world.agency_a)
    api = api_for("social_worker_b")
    assert api.get(f"/people/{person.pk}").status_code == 404
    assert api.patch(f"/people/{person.pk}", {"name": "改"}).status_code == 404
    assert api.post(f"/people/{person.pk}/reveal").status_code == 404
    assert api.get(f"/people/{person.pk}/consents").status_code == 404
    assert api_for("social_worker").get(f"/people/{person.pk}").status_code == 200


def test_no_token_is_401(client, home_person):
    assert client.get("/api/v1/people").status_code == 401


def test_roles_without_people_access_are_refused(api_for, home_person):
    assert api_for("auditor").get("/people").status_code == 404
    assert api_for("auditor").get(f"/people/{home_person.pk}").status_code == 404


# Reveal


def test_reveal_returns_full_values_and_is_logged(api_for, world, home_person):
    response = api_for("community_staff").post(f"/people/{home_person.pk}/reveal")
    assert response.status_code == 200
    assert response.json() == {
        "id": home_person.pk,
        "id_number": home_person.id_number,
        "mobile": home_person.mobile,
    }
    entry = AccessLog.objects.get(action=AccessLog.Action.UNMASK)
    assert entry.user == world.users["community_staff"]
    assert entry.object_id == str(home_person.pk)


def test_reveal_without_permission_is_404_and_not_logged(api_for, world, home_person):
    volunteer = world.users["volunteer"]
    volunteer.person = home_person
    volunteer.save(update_fields=["person"])
    api = api_for("volunteer")
    assert api.get(f"/people/{home_person.pk}").status_code == 200  # own record, masked
    assert api.post(f"/people/{home_person.pk}/reveal").status_code == 404
    assert not AccessLog.objects.exists()


# Writing


def test_create_returns_201_masked_with_derived_facts(api_for, world):
    response = api_for("social_worker").post("/people", new_person(world))
    assert response.status_code == 201
    body = response.json()
    assert body["gender"] == "female"
    assert body["birth_date"] == "1991-01-02"
    assert body["owner_agency_id"] == world.agency_a.pk
    assert "*" in body["id_number_masked"]
    assert Person.objects.get(pk=body["id"]).created_by == world.users["social_worker"]


def test_raw_database_holds_no_plaintext_after_api_creates(api_for, world):
    api = api_for("community_staff")
    secrets = []
    for n in range(910, 915):
        body = new_person(world, n=n, name=f"居民{n}")
        assert api.post("/people", body).status_code == 201
        secrets += [body["id_number"], body["mobile"]]
    assert Person.objects.count() == 5

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM people_person")
        raw_columns = cursor.fetchall()
        assert len(raw_columns) == 5
        # Each column holds ciphertext that only the field keys turn back into the value.
        assert all(
            value not in secrets and crypto.decrypt(value) in secrets
            for row in raw_columns
            for value in row
        )
        # Every table: the audit history, access log and sessions must not leak them either.
        dump = []
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from introspection
            dump.extend(str(row) for row in cursor.fetchall())
    everything = "\n".join(dump)
    for secret in secrets:
        assert secret not in everything
        assert secret[-10:] not in everything


def _impossible_date_number() -> str:
    from stdnum.cn import ric

    body = "35020619990230001"
    return body + ric.calc_check_digit(body + "0")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_number", resident_id(920)[:-1] + ("1" if resident_id(920)[-1] != "1" else "2")),
        ("id_number", _impossible_date_number()),
        ("mobile", "1380000"),
        ("mobile", "23800000000"),
    ],
    ids=["bad-checksum", "impossible-date", "short-mobile", "malformed-mobile"],
)
def test_bad_input_is_a_json_4xx_and_nothing_is_written(api_for, world, field, value):
    response = api_for("community_staff").post("/people", new_person(world, **{field: value}))
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert list(body["errors"]) == [field]
    assert value not in response.content.decode()
    assert not Person.objects.exists()


def test_duplicate_is_refused_naming_the_masked_existing_record(api_for, world, home_person):
    response = api_for("community_staff").post(
        "/people", new_person(world, id_number=home_person.id_number)
    )
    assert response.status_code == 400
    [message] = response.json()["errors"]["id_number"]
    assert home_person.id_number_masked in message
    assert home_person.id_number not in response.content.decode()
    assert Person.objects.count() == 1


def test_community_outside_scope_is_refused(api_for, world, other_person):
    response = api_for("community_staff").post(
        "/people", new_person(world, community_id=other_person.community_id)
    )
    assert response.status_code == 400
    assert "community_id" in response.json()["errors"]
    assert Person.objects.count() == 1


def test_unknown_id_type_is_a_schema_error(api_for, world):
    response = api_for("community_staff").post("/people", new_person(world, id_type="licence"))
    assert response.status_code == 422
    assert "id_type" in response.json()["errors"]
    assert not Person.objects.exists()


def test_patch_changes_only_what_is_sent(api_for, home_person):
    id_number = home_person.id_number
    response = api_for("community_staff").patch(
        f"/people/{home_person.pk}", {"name": "张三丰", "mobile": "139 0000 0000"}
    )
    assert response.status_code == 200
    assert response.json()["mobile_masked"] == "139****0000"
    home_person.refresh_from_db()
    assert (home_person.name, home_person.mobile, home_person.id_number) == (
        "张三丰",
        "13900000000",
        id_number,
    )


def test_patch_with_bad_value_changes_nothing(api_for, home_person):
    response = api_for("community_staff").patch(
        f"/people/{home_person.pk}", {"name": "新", "mobile": "12"}
    )
    assert response.status_code == 400
    home_person.refresh_from_db()
    assert home_person.name == "张三"


# Consents


def test_consents_list_create_and_withdraw(api_for, home_person):
    api = api_for("community_staff")
    today = datetime.date.today().isoformat()
    response = api.post(
        f"/people/{home_person.pk}/consents",
        {"kind": "separate", "scope": "photos", "given_on": today, "given_by": "张三"},
    )
    assert response.status_code == 201
    consent_id = response.json()["id"]
    assert [c["scope"] for c in api.get(f"/people/{home_person.pk}/consents").json()] == ["photos"]
    response = api.post(
        f"/people/{home_person.pk}/consents/{consent_id}/withdraw", {"withdrawn_on": today}
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_minor_consent_needs_guardian(api_for, world):
    today = datetime.date.today()
    minor = PersonFactory(
        community=world.home_community, birth_date=today.replace(year=today.year - 6, day=1)
    )
    response = api_for("community_staff").post(
        f"/people/{minor.pk}/consents",
        {
            "kind": "separate",
            "scope": "personal_data",
            "given_on": today.isoformat(),
            "given_by": "小朋友",
        },
    )
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]
    assert not Consent.objects.exists()
