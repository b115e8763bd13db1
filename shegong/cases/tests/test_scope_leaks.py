"""What a place role or another agency can learn about a client through cases: nothing more
than the case list shows (the case exists, its number), whichever way they ask.

- Searching cases matches client names, ID numbers and mobiles only in the cases the user may
  read inside; place roles search by case number only.
- Opening a case for a person outside the scope answers exactly as for a person who does not
  exist, whatever that person's ID type.
- The client file lists only the cases the user may read inside.
"""

import json

import pytest

from shegong.accounts.services import token_issue
from shegong.cases.tests.factories import CaseFactory, ClientFactory, TaiwanClientFactory
from shegong.people.tests.factories import resident_id


@pytest.fixture
def secret_case(world):
    """Agency A's case of a client in 兴隆社区: place roles of 兴隆 / 殿前 see that it exists."""
    client = ClientFactory(name="隐秘客户", id_number=resident_id(4242), mobile="13966660001")
    return CaseFactory(client=client)


def api(world, persona):
    _token, raw = token_issue(user=world.users[persona])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def api_case_ids(client, world, persona, **params) -> set[int]:
    response = client.get("/api/v1/cases", params, **api(world, persona))
    assert response.status_code == 200
    return {row["id"] for row in response.json()["items"]}


def client_terms(case) -> dict[str, str]:
    return {
        "name": case.client.name,
        "pinyin": "yinmikehu",
        "id_number": case.client.id_number,
        "mobile": case.client.mobile,
    }


@pytest.mark.parametrize("persona", ["community_staff", "street_admin", "district_admin"])
def test_place_roles_find_a_case_by_its_number_but_not_by_whose_it_is(
    client, world, secret_case, persona
):
    assert secret_case.pk in api_case_ids(client, world, persona)
    assert secret_case.pk in api_case_ids(client, world, persona, q=secret_case.number)
    for kind, term in client_terms(secret_case).items():
        assert secret_case.pk not in api_case_ids(client, world, persona, q=term), kind


@pytest.mark.parametrize("persona", ["community_staff", "street_admin"])
def test_the_case_list_page_search_tells_place_roles_nothing_about_the_client(
    client_for, secret_case, persona
):
    page = client_for(persona)
    link = f"/cases/{secret_case.pk}/"
    assert link in page.get("/cases/", {"q": secret_case.number}).content.decode()
    for kind, term in client_terms(secret_case).items():
        body = page.get("/cases/", {"q": term}).content.decode()
        assert link not in body, kind


def test_the_case_team_still_finds_its_cases_by_client(client, world, secret_case):
    for persona in ("social_worker", "supervisor", "agency_admin"):
        for kind, term in client_terms(secret_case).items():
            found = api_case_ids(client, world, persona, q=term)
            assert secret_case.pk in found, (persona, kind)


def test_filtering_by_worker_only_finds_cases_one_may_read_inside(client, world, secret_case):
    worker_id = secret_case.worker_id
    # The worker filter's choices are the workers of readable cases: a place role has none.
    response = client.get("/api/v1/cases", {"worker": worker_id}, **api(world, "community_staff"))
    assert response.status_code == 400
    assert "worker" in response.json()["errors"]
    assert secret_case.pk in api_case_ids(client, world, "supervisor", worker=worker_id)


def open_case_answer(client, world, persona, client_id, **extra):
    body = {
        "client_id": client_id,
        "source": "walk_in",
        "presenting_problem": "探查",
        "risk_level": "low",
        "intake_date": "2026-01-05",
        **extra,
    }
    response = client.post(
        "/api/v1/cases", json.dumps(body), content_type="application/json", **api(world, persona)
    )
    return response.status_code, response.json()


@pytest.mark.parametrize("taiwan_service", [False, True])
def test_opening_a_case_for_an_unseen_person_answers_like_a_missing_one(
    client, world, taiwan_service
):
    # Agency A's clients in 兴隆社区: outside agency B's scope. One holds a Taiwan permit.
    ordinary = ClientFactory()
    taiwanese = TaiwanClientFactory()
    missing = max(ordinary.pk, taiwanese.pk) + 1000
    extra = {"is_taiwan_service": taiwan_service}
    answers = {
        open_case_answer(client, world, "social_worker_b", pk, **extra)
        .__repr__()
        .replace(str(pk), "ID")
        for pk in (ordinary.pk, taiwanese.pk, missing)
    }
    assert len(answers) == 1, answers
    status, body = open_case_answer(client, world, "social_worker_b", missing, **extra)
    assert status == 400
    assert list(body["errors"]) == ["client_id"]


def test_the_service_refuses_an_unseen_client_before_describing_them(world):
    from django.core.exceptions import ValidationError

    from shegong.cases import services

    taiwanese = TaiwanClientFactory()
    with pytest.raises(ValidationError) as info:
        services.case_open(
            actor=world.users["social_worker_b"],
            client=taiwanese,
            source="walk_in",
            presenting_problem="探查",
            risk_level="low",
            intake_date=None,
            is_taiwan_service=False,
        )
    assert list(info.value.message_dict) == ["client"]


def test_the_client_file_lists_only_cases_one_may_read_inside(client_for, secret_case):
    path = f"/cases/clients/{secret_case.client_id}/"
    for persona in ("community_staff", "street_admin", "district_admin"):
        response = client_for(persona).get(path)
        assert response.status_code == 200, persona
        body = response.content.decode()
        assert secret_case.number not in body, persona
        assert f"/cases/{secret_case.pk}/" not in body, persona
    body = client_for("social_worker").get(path).content.decode()
    assert secret_case.number in body


def test_filtering_by_target_group_needs_the_client_file_in_scope(client, world, secret_case):
    from shegong.cases import services
    from shegong.cases.models import TargetGroup
    from shegong.people.models import Person
    from shegong.places.models import Community

    group = TargetGroup.objects.filter(is_active=True).first()
    services.client_file_save(
        actor=world.users["social_worker"], person=secret_case.client, target_groups=[group]
    )
    assert secret_case.pk in api_case_ids(client, world, "community_staff", target_group=group.pk)
    # The client moves to another street: the case stays in 兴隆社区, the file leaves its scope.
    away = Community.objects.filter(street=world.other_street).first()
    Person.objects.filter(pk=secret_case.client_id).update(community=away)
    assert secret_case.pk in api_case_ids(client, world, "community_staff")
    assert secret_case.pk not in api_case_ids(
        client, world, "community_staff", target_group=group.pk
    )
    assert secret_case.pk in api_case_ids(client, world, "supervisor", target_group=group.pk)
