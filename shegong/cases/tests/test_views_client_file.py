"""The client file page: target groups and living situation, household members with masked
phones, the Taiwan compatriot checklist, consents and the person's cases in scope."""

import pytest
from django.test import Client

from shegong.accounts.services import token_issue
from shegong.cases.choices import ItemStatus, TaiwanItem
from shegong.cases.models import ClientFile, HouseholdMember, TaiwanFileItem, TargetGroup
from shegong.cases.tests.factories import CaseFactory, ClientFactory, TaiwanClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_person(world):
    return ClientFactory(name="陈阿婆")


def test_page_shows_the_file_cases_and_consents(client_for, client_person):
    case = CaseFactory(client=client_person)
    response = client_for("social_worker").get(f"/cases/clients/{client_person.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert case.number in html
    assert 'data-testid="client-consents"' in html
    assert f"/people/{client_person.pk}/consents/new/" in html
    assert 'data-testid="taiwan-checklist"' not in html


def test_saving_the_file(client_for, client_person):
    groups = list(TargetGroup.objects.order_by("sort_order")[:2])
    response = client_for("social_worker").post(
        f"/cases/clients/{client_person.pk}/",
        {
            "target_groups": [g.pk for g in groups],
            "address": "兴隆路12号",
            "living_situation": "独居",
            "notes": "行动不便",
        },
    )
    assert response.status_code == 302
    client_file = ClientFile.objects.get(person=client_person)
    assert set(client_file.target_groups.all()) == set(groups)
    assert client_file.living_situation == "独居"


def test_household_member_phone_is_masked(client_for, client_person):
    client = client_for("social_worker")
    client.post(
        f"/cases/clients/{client_person.pk}/household/",
        {"name": "陈大明", "relation": "儿子", "phone": "13912345678", "is_guardian": "on"},
    )
    member = HouseholdMember.objects.get(client_file__person=client_person)
    assert member.is_guardian
    html = client.get(f"/cases/clients/{client_person.pk}/").content.decode()
    assert "陈大明" in html
    assert "13912345678" not in html
    assert member.phone_masked in html


def test_bad_household_phone_shows_the_error_and_writes_nothing(client_for, client_person):
    response = client_for("social_worker").post(
        f"/cases/clients/{client_person.pk}/household/",
        {"name": "陈大明", "relation": "", "phone": "12345"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-field-error="phone"' in html
    assert 'data-field-error="relation"' in html
    assert 'value="陈大明"' in html
    assert not HouseholdMember.objects.filter(client_file__person=client_person).exists()
    assert not ClientFile.objects.filter(person=client_person).exists()


def test_removing_a_household_member(client_for, client_person):
    client = client_for("social_worker")
    client.post(
        f"/cases/clients/{client_person.pk}/household/", {"name": "陈大明", "relation": "儿子"}
    )
    member = HouseholdMember.objects.get(client_file__person=client_person)
    assert (
        client_for("social_worker_b")
        .post(f"/cases/clients/{client_person.pk}/household/{member.pk}/remove/")
        .status_code
        == 404
    )
    client.post(f"/cases/clients/{client_person.pk}/household/{member.pk}/remove/")
    assert not HouseholdMember.objects.filter(pk=member.pk).exists()


def test_taiwan_checklist_for_permit_holders(client_for, world):
    person = TaiwanClientFactory()
    client = client_for("social_worker")
    html = client.get(f"/cases/clients/{person.pk}/").content.decode()
    assert 'data-testid="taiwan-checklist"' in html
    for item in TaiwanItem:
        assert f'data-testid="taiwan-item-{item.value}"' in html
    client.post(
        f"/cases/clients/{person.pk}/taiwan/{TaiwanItem.SCHOOLING}/",
        {
            f"tw-{TaiwanItem.SCHOOLING}-status": ItemStatus.IN_PROGRESS,
            f"tw-{TaiwanItem.SCHOOLING}-note": "联系学校",
        },
    )
    entry = TaiwanFileItem.objects.get(person=person, item=TaiwanItem.SCHOOLING)
    assert entry.status == ItemStatus.IN_PROGRESS
    assert entry.note == "联系学校"


def test_no_taiwan_checklist_for_others(client_for, client_person):
    response = client_for("social_worker").post(
        f"/cases/clients/{client_person.pk}/taiwan/{TaiwanItem.DOCUMENTS}/",
        {f"tw-{TaiwanItem.DOCUMENTS}-status": ItemStatus.DONE},
        follow=True,
    )
    assert "台湾居民居住证" in response.content.decode()
    assert not TaiwanFileItem.objects.filter(person=client_person).exists()


def test_community_staff_reads_the_file_but_not_whose_cases_are_whose(client_for, client_person):
    # The case list shows the case exists but hides its client; the file must not tie them.
    case = CaseFactory(client=client_person)
    html = client_for("community_staff").get(f"/cases/clients/{client_person.pk}/").content.decode()
    assert case.number not in html
    assert str(case.worker) not in html
    assert case.presenting_problem not in html


@pytest.mark.parametrize("persona", ["social_worker_b", "volunteer", "auditor"])
def test_outsiders_get_404(client_for, client_person, persona):
    client = client_for(persona)
    assert client.get(f"/cases/clients/{client_person.pk}/").status_code == 404
    response = client.post(f"/cases/clients/{client_person.pk}/", {"address": "x"})
    assert response.status_code == 404
    assert not ClientFile.objects.filter(person=client_person).exists()


def test_a_volunteer_has_no_client_file_of_their_own(client_for, world):
    volunteer = world.users["volunteer"]
    person = ClientFactory()
    volunteer.person = person
    volunteer.save(update_fields=["person"])
    assert client_for("volunteer").get(f"/people/{person.pk}/").status_code == 200
    assert client_for("volunteer").get(f"/cases/clients/{person.pk}/").status_code == 404
    # Nor through the API.
    _token, raw = token_issue(user=volunteer, name="test")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    for path in ("file", "taiwan"):
        assert api.get(f"/api/v1/cases/clients/{person.pk}/{path}").status_code == 404
