"""People pages: what each persona sees, masks, export, reveal, registering and consents."""

import datetime
import html
import io
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from stdnum.cn import ric

from shegong.core.models import AccessLog
from shegong.people.choices import ConsentKind, ConsentScope, IdType
from shegong.people.models import Consent, Person
from shegong.people.tests.factories import PersonFactory, mobile, resident_id
from shegong.places.models import Community


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


def field_errors(response, field: str) -> list[str]:
    content = response.content.decode()
    pattern = rf'data-field-error="{field}">(.*?)</div>'
    return [html.unescape(m) for m in re.findall(pattern, content, re.S)]


@pytest.fixture
def home_person(world):
    return PersonFactory(name="张三", community=world.home_community, owner_agency=world.agency_a)


@pytest.fixture
def other_person(world):
    """Lives in 金山街道, registered by the second agency: outside 殿前 and agency A."""
    community = Community.objects.filter(street=world.other_street).order_by("code").first()
    return PersonFactory(name="李四", community=community, owner_agency=world.agency_b)


# List, filter, export


def test_list_shows_masked_values_only(client_for, home_person):
    response = client_for("district_admin").get("/people/")
    content = response.content.decode()
    assert response.status_code == 200
    assert home_person.id_number_masked in content
    assert home_person.mobile_masked in content
    assert home_person.id_number not in content
    assert home_person.mobile not in content


def test_list_follows_scope(client_for, home_person, other_person):
    names = lambda who: {p.name for p in client_for(who).get("/people/").context["page_obj"]}  # noqa: E731
    assert names("district_admin") == {"张三", "李四"}
    assert names("street_admin") == {"张三"}
    assert names("community_staff") == {"张三"}
    assert names("social_worker") == {"张三"}
    assert names("social_worker_b") == {"李四"}


def menu_urls(client) -> list[str]:
    return [item["url"] for item in client.get("/").context["nav_items"]]


def test_volunteer_has_no_people_list_or_menu_but_reads_their_own_record(
    client_for, world, home_person
):
    volunteer = world.users["volunteer"]
    volunteer.person = home_person
    volunteer.save(update_fields=["person"])
    client = client_for("volunteer")
    assert client.get("/people/").status_code == 404
    assert client.get("/people/export.xlsx").status_code == 404
    assert "/people/" not in menu_urls(client)
    assert client.get(f"/people/{home_person.pk}/").status_code == 200
    assert "/people/" in menu_urls(client_for("social_worker_b"))


def test_personas_without_people_roles_cannot_open_the_list(client_for, home_person):
    assert client_for("auditor").get("/people/").status_code == 404
    assert client_for("training_admin").get("/people/export.xlsx").status_code == 404


def test_filters_search_community_gender_and_age(client_for, world, home_person, other_person):
    client = client_for("district_admin")

    def names(**params):
        return {p.name for p in client.get("/people/", params).context["page_obj"]}

    assert names(q="zs") == {"张三"}
    assert names(q="zhangsan") == {"张三"}
    assert names(q=other_person.id_number) == {"李四"}
    assert names(community=world.home_community.pk) == {"张三"}
    assert names(gender=home_person.gender) == {
        p.name for p in (home_person, other_person) if p.gender == home_person.gender
    }
    age = home_person.age()
    assert "张三" in names(age_min=age, age_max=age)
    assert "张三" not in names(age_min=age + 1)
    assert "张三" not in names(age_max=age - 1)
    born = home_person.birth_date.isoformat()
    assert "张三" in names(born_from=born, born_to=born)


def test_community_filter_offers_only_communities_in_scope(client_for, world, other_person):
    field = client_for("community_staff").get("/people/").context["filter"].form["community"]
    offered = {c.pk for c in field.field.queryset}
    assert offered == {world.home_community.pk}


def test_list_is_sorted_and_paginated(client_for, world):
    for n in range(30):
        PersonFactory(name=f"居民{n:02d}", community=world.home_community)
    client = client_for("community_staff")
    page = client.get("/people/", {"sort": "name"}).context["page_obj"]
    assert [person.name for person in page.object_list][:2] == ["居民00", "居民01"]
    assert page.paginator.count == 30 and len(page.object_list) == 25
    second = client.get("/people/", {"sort": "name", "page": 2}).context["page_obj"]
    assert len(second.object_list) == 5


def test_column_headers_sort_and_keep_the_filters(client_for, world):
    for name in ("居民甲", "居民乙", "居民丙"):
        PersonFactory(name=name, community=world.home_community)
    response = client_for("community_staff").get("/people/", {"q": "居民", "sort": "-name"})
    names = [person.name for person in response.context["page_obj"]]
    assert names == sorted(names, reverse=True) and len(names) == 3
    content = response.content.decode()
    assert names[0] in content and content.index(names[0]) < content.index(names[-1])
    assert 'href="?q=%E5%B1%85%E6%B0%91&amp;sort=name" class="table-sort desc"' in content
    assert 'href="?q=%E5%B1%85%E6%B0%91&amp;sort=age" class="table-sort"' in content
    assert "sort=id_number" not in content and "sort=mobile" not in content  # encrypted


def test_age_sorts_youngest_first(client_for, world):
    old = PersonFactory(name="年长", community=world.home_community)
    young = PersonFactory(name="年轻", community=world.home_community)
    old.birth_date, young.birth_date = datetime.date(1940, 1, 1), datetime.date(2000, 1, 1)
    Person.objects.bulk_update([old, young], ["birth_date"])
    client = client_for("community_staff")
    ages = lambda sort: [p.name for p in client.get("/people/", {"sort": sort}).context["page_obj"]]  # noqa: E731
    assert ages("age") == ["年轻", "年长"]
    assert ages("-age") == ["年长", "年轻"]


def test_per_page_shows_the_next_rows(client_for, world):
    for n in range(5):
        PersonFactory(name=f"居民{n:02d}", community=world.home_community)
    client = client_for("community_staff")
    response = client.get("/people/", {"sort": "name", "per_page": 2, "page": 2})
    assert [person.name for person in response.context["page_obj"]] == ["居民02", "居民03"]
    content = response.content.decode()
    assert 'href="?sort=name&amp;per_page=2&amp;page=3" data-testid="page-next"' in content
    assert 'data-testid="page-previous"' in content


def test_htmx_filter_returns_only_the_table(client_for, home_person):
    response = client_for("district_admin").get(
        "/people/", {"q": "zs"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert 'data-testid="person-table"' in content
    assert "<html" not in content


def test_export_is_what_is_filtered_masked_and_logged(client_for, world, home_person, other_person):
    user = world.users["district_admin"]
    response = client_for("district_admin").get("/people/export.xlsx", {"q": home_person.id_number})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2  # header + 张三 only
    flat = " ".join(str(cell) for row in rows for cell in row)
    assert home_person.id_number_masked in flat and home_person.mobile_masked in flat
    assert home_person.id_number not in flat and home_person.mobile not in flat
    assert other_person.name not in flat

    entry = AccessLog.objects.get(user=user, action=AccessLog.Action.EXPORT)
    assert entry.object_type == "people.Person"
    assert entry.detail.startswith("1 rows")
    assert "q=" in entry.detail
    assert home_person.id_number not in entry.detail  # the search term is masked in the log


def test_export_respects_scope(client_for, home_person, other_person):
    response = client_for("social_worker_b").get("/people/export.xlsx")
    names = {
        row[1]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    }
    assert names == {"李四"}


# Detail and reveal


def test_detail_shows_masked_identity_and_derived_facts(client_for, home_person):
    response = client_for("community_staff").get(f"/people/{home_person.pk}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert home_person.id_number_masked in content
    assert home_person.mobile_masked in content
    assert home_person.id_number not in content and home_person.mobile not in content
    assert home_person.birth_date.strftime("%Y-%m-%d") in content
    assert "兴隆社区" in content and "开心社会工作服务中心" in content
    assert 'data-testid="reveal-button"' in content
    assert not AccessLog.objects.exists()


def test_reveal_shows_full_values_and_writes_the_access_log(client_for, world, home_person):
    client = client_for("community_staff")
    response = client.post(f"/people/{home_person.pk}/reveal/", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert home_person.id_number in content and home_person.mobile in content
    assert "<html" not in content  # a fragment swapped in by htmx
    entry = AccessLog.objects.get()
    assert entry.user == world.users["community_staff"]
    assert entry.action == AccessLog.Action.UNMASK
    assert entry.object_id == str(home_person.pk)
    assert home_person.id_number not in entry.detail + entry.object_label


def test_reveal_needs_post(client_for, home_person):
    assert client_for("community_staff").get(f"/people/{home_person.pk}/reveal/").status_code == 405


def test_user_without_the_unmask_permission_sees_no_button_and_gets_404(
    client_for, world, home_person
):
    volunteer = world.users["volunteer"]
    volunteer.person = home_person  # a volunteer may read their own record, masked
    volunteer.save(update_fields=["person"])
    client = client_for("volunteer")
    detail = client.get(f"/people/{home_person.pk}/")
    assert detail.status_code == 200
    assert 'data-testid="reveal-button"' not in detail.content.decode()
    assert client.post(f"/people/{home_person.pk}/reveal/").status_code == 404
    assert not AccessLog.objects.exists()


def test_community_staff_gets_404_for_a_person_of_another_community(client_for, other_person):
    client = client_for("community_staff")
    for url in ("", "edit/", "consents/new/"):
        assert client.get(f"/people/{other_person.pk}/{url}").status_code == 404
    assert client.post(f"/people/{other_person.pk}/reveal/").status_code == 404
    assert not AccessLog.objects.exists()


def test_second_agency_gets_404_for_agency_a_person(client_for, world):
    person = PersonFactory(owner_agency=world.agency_a)  # no community: agency scope only
    client = client_for("social_worker_b")
    assert client.get(f"/people/{person.pk}/").status_code == 404
    assert client.post(f"/people/{person.pk}/reveal/").status_code == 404
    assert client_for("social_worker").get(f"/people/{person.pk}/").status_code == 200


def test_missing_person_is_404(client_for):
    assert client_for("district_admin").get("/people/999999/").status_code == 404


# Create and edit


def form_data(world, **overrides):
    data = {
        "name": "王小明",
        "id_type": IdType.RESIDENT_ID,
        "id_number": resident_id(501, birth_date=datetime.date(1992, 4, 5), male=True),
        "gender": "unknown",
        "birth_date": "",
        "mobile": mobile(501),
        "community": world.home_community.pk,
    }
    data.update(overrides)
    return data


def test_create_registers_and_derives_facts(client_for, world):
    response = client_for("community_staff").post("/people/new/", form_data(world))
    person = Person.objects.get(name="王小明")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert person.birth_date == datetime.date(1992, 4, 5)
    assert person.gender == "male"
    assert person.owner_agency is None  # a place role registers for the community


def test_the_id_number_is_marked_required_and_refused_when_empty(client_for, world):
    client = client_for("community_staff")
    form = client.get("/people/new/").content.decode()
    assert re.search(r'<label class="form-label required" for="id_id_number">', form)
    response = client.post("/people/new/", form_data(world, id_number=""))
    assert field_errors(response, "id_number") == ["请输入证件号码。"]
    assert not Person.objects.filter(name="王小明").exists()


def test_editing_keeps_the_stored_id_number_when_left_empty(client_for, world, home_person):
    client = client_for("community_staff")
    form = client.get(f"/people/{home_person.pk}/edit/").content.decode()
    assert '<label class="form-label" for="id_id_number">' in form  # not required on edit
    data = form_data(world, name=home_person.name, id_number="", mobile="")
    response = client.post(f"/people/{home_person.pk}/edit/", data)
    assert response.status_code == 302
    stored = home_person.id_number
    home_person.refresh_from_db()
    assert home_person.id_number == stored


def test_agency_worker_registers_for_their_agency(client_for, world):
    client_for("social_worker").post("/people/new/", form_data(world))
    assert Person.objects.get(name="王小明").owner_agency == world.agency_a


def _bad_checksum() -> str:
    good = resident_id(777, birth_date=datetime.date(1992, 3, 5))
    return good[:-1] + ("1" if good[-1] != "1" else "2")


def _impossible_date() -> str:
    body = "35020619990230001"  # 30 February 1999, with a correct check digit
    return body + ric.calc_check_digit(body + "0")


BAD_INPUTS = [
    ("id_number", _bad_checksum(), "The ID number's check digit is wrong."),
    ("id_number", _impossible_date(), "The birth date in the ID number does not exist."),
    ("mobile", "1380000", "A mobile number is 11 digits starting with 13 to 19."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUTS)
def test_bad_input_shows_the_chinese_field_error_keeps_input_and_writes_nothing(
    client_for, world, field, value, message
):
    before = Person.objects.count()
    response = client_for("community_staff").post(
        "/people/new/", form_data(world, **{field: value})
    )
    assert response.status_code == 200
    assert field_errors(response, field) == [zh(message)]
    content = response.content.decode()
    assert 'value="王小明"' in content  # nothing the user typed is lost
    assert f'value="{value}"' in content
    assert Person.objects.count() == before


def test_missing_name_is_a_chinese_required_error(client_for, world):
    response = client_for("community_staff").post("/people/new/", form_data(world, name=""))
    assert field_errors(response, "name") == ["这个字段是必填项。"]
    assert not Person.objects.exists()


def test_duplicate_is_refused_naming_the_existing_masked_id(client_for, world, home_person):
    before = Person.objects.count()
    response = client_for("community_staff").post(
        "/people/new/", form_data(world, id_number=home_person.id_number)
    )
    errors = field_errors(response, "id_number")
    assert len(errors) == 1 and home_person.id_number_masked in errors[0]
    assert Person.objects.count() == before


def test_community_choices_are_limited_to_scope(client_for, world, other_person):
    form = client_for("community_staff").get("/people/new/").context["form"]
    assert {c.pk for c in form.fields["community"].queryset} == {world.home_community.pk}
    response = client_for("community_staff").post(
        "/people/new/", form_data(world, community=other_person.community.pk)
    )
    assert field_errors(response, "community")
    assert not Person.objects.filter(name="王小明").exists()


def test_edit_never_prints_the_full_values_and_empty_keeps_them(client_for, home_person):
    id_number, mobile_number = home_person.id_number, home_person.mobile
    client = client_for("community_staff")
    page = client.get(f"/people/{home_person.pk}/edit/").content.decode()
    assert home_person.id_number not in page and home_person.mobile not in page
    assert home_person.id_number_masked in page
    response = client.post(
        f"/people/{home_person.pk}/edit/",
        {
            "name": "张三改",
            "id_type": IdType.RESIDENT_ID,
            "id_number": "",
            "gender": home_person.gender,
            "mobile": "",
            "community": home_person.community_id,
        },
    )
    assert response.status_code == 302
    home_person.refresh_from_db()
    assert home_person.name == "张三改"
    assert (home_person.id_number, home_person.mobile) == (id_number, mobile_number)


def test_edit_with_bad_mobile_changes_nothing(client_for, home_person):
    original_mobile = home_person.mobile
    response = client_for("community_staff").post(
        f"/people/{home_person.pk}/edit/",
        {
            "name": "改名",
            "id_type": IdType.RESIDENT_ID,
            "gender": "unknown",
            "mobile": "999",
            "community": home_person.community_id,
        },
    )
    assert field_errors(response, "mobile")
    home_person.refresh_from_db()
    assert (home_person.name, home_person.mobile) == ("张三", original_mobile)


# Consents


def test_record_and_withdraw_consent(client_for, world, home_person):
    client = client_for("community_staff")
    today = datetime.date.today().isoformat()
    response = client.post(
        f"/people/{home_person.pk}/consents/new/",
        {
            "kind": ConsentKind.SEPARATE,
            "scope": ConsentScope.SENSITIVE_DATA,
            "given_on": today,
            "given_by": "张三",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(person=home_person)
    detail = client.get(f"/people/{home_person.pk}/").content.decode()
    assert zh("Sensitive data (health, minors)") in detail

    client.post(
        f"/people/{home_person.pk}/consents/{consent.pk}/withdraw/", {"withdrawn_on": today}
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on == datetime.date.today()


def test_minor_without_guardian_consent_shows_the_error(client_for, world):
    today = datetime.date.today()
    minor = PersonFactory(
        community=world.home_community, birth_date=today.replace(year=today.year - 8, day=1)
    )
    response = client_for("community_staff").post(
        f"/people/{minor.pk}/consents/new/",
        {
            "kind": ConsentKind.SEPARATE,
            "scope": ConsentScope.PERSONAL_DATA,
            "given_on": today.isoformat(),
            "given_by": "小朋友",
        },
    )
    assert field_errors(response, "kind") == [
        zh("This person is under 14: a guardian must give the consent.")
    ]
    assert not Consent.objects.exists()


def test_other_agency_cannot_withdraw_a_consent(client_for, world, home_person):
    consent = Consent.objects.create(
        person=home_person,
        kind=ConsentKind.SEPARATE,
        scope=ConsentScope.PERSONAL_DATA,
        given_on=datetime.date(2024, 1, 1),
        given_by="张三",
        recorded_by=world.users["community_staff"],
    )
    response = client_for("social_worker_b").post(
        f"/people/{home_person.pk}/consents/{consent.pk}/withdraw/", {"withdrawn_on": "2024-02-01"}
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.is_active
