"""Agency pages: scoped list with filters and export, detail, create and edit."""

from io import BytesIO

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from shegong.agencies.models import Agency
from shegong.agencies.tests.factories import AgencyFactory, bad_checksum_uscc, valid_uscc
from shegong.core.models import AccessLog
from shegong.places.models import Community

# Not allowed looks exactly like missing (DESIGN §4.2).
REFUSED = 404


def _names(response):
    return {agency.name for agency in response.context["page_obj"].object_list}


def test_street_admin_lists_only_agencies_in_own_street(client_for, world):
    response = client_for("street_admin").get("/agencies/")
    assert response.status_code == 200
    names = _names(response)
    assert world.agency_a.name in names
    assert world.agency_b.name not in names


def test_list_filters_by_query_kind_street_and_active(client_for, world):
    AgencyFactory(name="已停用社工站", community=world.home_community, is_active=False)
    client = client_for("district_admin")

    assert _names(client.get("/agencies/", {"q": "开心"})) == {world.agency_a.name}
    assert _names(client.get("/agencies/", {"q": world.agency_b.uscc[-6:].lower()})) == {
        world.agency_b.name
    }
    in_other = _names(client.get("/agencies/", {"street": world.other_street.pk}))
    assert world.agency_b.name in in_other
    assert world.agency_a.name not in in_other
    assert _names(client.get("/agencies/", {"active": "false"})) == {"已停用社工站"}
    assert _names(client.get("/agencies/", {"kind": "foundation"})) == set()


def test_list_sorts_and_paginates(client_for, world):
    for _n in range(30):
        AgencyFactory(community=world.home_community)
    client = client_for("district_admin")
    first = client.get("/agencies/", {"sort": "-name"})
    rows = [agency.name for agency in first.context["page_obj"].object_list]
    assert len(rows) == 25
    assert rows == sorted(rows, reverse=True)
    second = client.get("/agencies/", {"sort": "-name", "page": 2})
    assert len(second.context["page_obj"].object_list) == Agency.objects.count() - 25


def test_column_headers_sort_and_keep_the_filters(client_for, world):
    client = client_for("district_admin")
    response = client.get("/agencies/", {"active": "true", "sort": "-name"})
    rows = [agency.name for agency in response.context["page_obj"]]
    assert rows == sorted(rows, reverse=True) and len(rows) > 1
    body = response.content.decode()
    assert body.index(escape(rows[0])) < body.index(escape(rows[-1]))
    assert 'href="?active=true&amp;sort=name" class="table-sort desc"' in body
    assert 'href="?active=true&amp;sort=street" class="table-sort"' in body
    assert "sort=contact_phone" not in body  # encrypted: it cannot sort


def test_street_sorts_by_street_code(client_for, world):
    by_street = client_for("district_admin").get("/agencies/", {"sort": "street"})
    codes = [agency.community.street.code for agency in by_street.context["page_obj"]]
    assert codes == sorted(codes) and len(set(codes)) > 1
    body = by_street.content.decode()
    assert 'href="?sort=-street" class="table-sort asc"' in body


def test_per_page_shows_the_next_rows(client_for, world):
    client = client_for("district_admin")
    everyone = [a.name for a in Agency.objects.order_by("name", "id")]
    response = client.get("/agencies/", {"sort": "name", "per_page": 2, "page": 2})
    assert [agency.name for agency in response.context["page_obj"]] == everyone[2:4]
    body = response.content.decode()
    assert 'href="?sort=name&amp;per_page=2&amp;page=3" data-testid="page-next"' in body


def test_htmx_filter_returns_only_the_table(client_for, world):
    response = client_for("district_admin").get(
        "/agencies/", {"q": "开心"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert 'data-testid="agency-table"' in body
    assert "<html" not in body


def test_export_is_filtered_masked_and_logged(client_for, world):
    world.agency_a.contact_phone = "13812345678"
    world.agency_a.save()
    response = client_for("street_admin").get("/agencies/export.xlsx", {"q": "社"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    names = {row[0] for row in rows[1:]}
    assert world.agency_a.name in names
    assert world.agency_b.name not in names
    cells = [str(c) for row in rows for c in row if c is not None]
    assert "138****5678" in cells
    assert not any("13812345678" in c for c in cells)
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert log.user == world.users["street_admin"]
    assert log.object_type == "agencies.Agency"


def test_detail_shows_masked_phone(client_for, world):
    world.agency_a.contact_phone = "13812345678"
    world.agency_a.save()
    response = client_for("street_admin").get(f"/agencies/{world.agency_a.pk}/")
    body = response.content.decode()
    assert "138****5678" in body
    assert "13812345678" not in body


def test_street_admin_gets_404_for_agency_in_other_street(client_for, world):
    client = client_for("street_admin")
    assert client.get(f"/agencies/{world.agency_a.pk}/").status_code == 200
    assert client.get(f"/agencies/{world.agency_b.pk}/").status_code == 404
    assert client.get(f"/agencies/{world.agency_b.pk}/edit/").status_code == 404
    assert client.get("/agencies/999999/").status_code == 404


def test_social_worker_b_gets_404_for_agency_a(client_for, world):
    client = client_for("social_worker_b")
    assert client.get(f"/agencies/{world.agency_a.pk}/").status_code == 404
    assert client.get(f"/agencies/{world.agency_b.pk}/").status_code == 200


def test_create_offers_only_communities_in_scope(client_for, world):
    response = client_for("street_admin").get("/agencies/new/")
    choices = response.context["form"].fields["community"].queryset
    assert set(choices.values_list("street", flat=True)) == {world.home_street.pk}


@pytest.mark.parametrize("persona", ["agency_admin", "social_worker", "community_staff"])
def test_create_page_forbidden_to_non_registrars(client_for, persona):
    assert client_for(persona).get("/agencies/new/").status_code == REFUSED


def test_street_admin_creates_agency(client_for, world):
    response = client_for("street_admin").post(
        "/agencies/new/",
        {
            "name": "兴隆新社工站",
            "kind": "social_work",
            "uscc": valid_uscc(11),
            "community": world.home_community.pk,
            "contact_phone": "13900002222",
            "is_active": "on",
        },
    )
    agency = Agency.objects.get(name="兴隆新社工站")
    assert response.status_code == 302
    assert response["Location"] == f"/agencies/{agency.pk}/"
    assert agency.contact_phone == "13900002222"


def test_invalid_uscc_shows_chinese_field_error_and_writes_nothing(client_for, world):
    before = Agency.objects.count()
    response = client_for("district_admin").post(
        "/agencies/new/",
        {
            "name": "坏代码机构",
            "kind": "social_work",
            "uscc": bad_checksum_uscc(),
            "community": world.home_community.pk,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    with translation.override("zh-hans"):
        expected = _("The unified social credit code's check character is wrong.")
    assert 'data-field-error="uscc"' in body
    assert escape(expected) in body
    assert 'value="坏代码机构"' in body  # what the user typed is kept
    assert Agency.objects.count() == before


def test_agency_admin_edits_own_agency_without_moving_it(client_for, world):
    client = client_for("agency_admin")
    page = client.get(f"/agencies/{world.agency_a.pk}/edit/")
    assert page.context["form"].fields["community"].disabled
    elsewhere = Community.objects.filter(street=world.other_street).first()
    response = client.post(
        f"/agencies/{world.agency_a.pk}/edit/",
        {
            "name": world.agency_a.name,
            "kind": world.agency_a.kind,
            "uscc": world.agency_a.uscc,
            "community": elsewhere.pk,
            "address": "兴隆路 8 号",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    world.agency_a.refresh_from_db()
    assert world.agency_a.address == "兴隆路 8 号"
    assert world.agency_a.community == world.home_community


def test_edit_keeps_phone_when_left_empty_and_never_shows_it(client_for, world):
    world.agency_a.contact_phone = "13812345678"
    world.agency_a.save()
    client = client_for("agency_admin")
    page = client.get(f"/agencies/{world.agency_a.pk}/edit/").content.decode()
    assert "13812345678" not in page
    assert "138****5678" in page
    client.post(
        f"/agencies/{world.agency_a.pk}/edit/",
        {
            "name": "开心社工（新名）",
            "kind": world.agency_a.kind,
            "uscc": world.agency_a.uscc,
            "contact_phone": "",
            "is_active": "on",
        },
    )
    world.agency_a.refresh_from_db()
    assert world.agency_a.name == "开心社工（新名）"
    assert world.agency_a.contact_phone == "13812345678"


def test_social_worker_cannot_edit_own_agency(client_for, world):
    client = client_for("social_worker")
    assert client.get(f"/agencies/{world.agency_a.pk}/edit/").status_code == 404
    detail = client.get(f"/agencies/{world.agency_a.pk}/")
    assert 'data-testid="agency-edit"' not in detail.content.decode()
