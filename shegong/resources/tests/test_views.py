"""Pages: lists with filters, sort and export; the need page's flow buttons and suggestions;
forms with field errors; scope (404 for what is not yours)."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from shegong.core.models import AccessLog
from shegong.places.models import Community
from shegong.resources.choices import NeedStatus
from shegong.resources.models import Need, Resource
from shegong.resources.tests.factories import (
    claimed_need,
    dispatched_need,
    make_resource,
    raise_need,
)


def _rows(response):
    return list(response.context["page_obj"].object_list)


def test_need_list_filters_sorts_and_scopes(world, client_for):
    raise_need(world, title="助餐需求", category="elderly", people_affected=3)
    raise_need(world, title="课业辅导", category="minors", people_affected=30)
    other = Community.objects.exclude(street=world.home_street).first()
    raise_need(world, actor=world.users["district_admin"], community=other, title="别处需求")
    staff = client_for("community_staff")
    titles = {n.title for n in _rows(staff.get("/resources/needs/"))}
    assert {"助餐需求", "课业辅导"} <= titles and "别处需求" not in titles
    assert [n.title for n in _rows(staff.get("/resources/needs/", {"category": "minors"}))] == [
        "课业辅导"
    ]
    by_people = [
        n.people_affected for n in _rows(staff.get("/resources/needs/", {"sort": "-people"}))
    ]
    assert by_people == sorted(by_people, reverse=True)
    # Invalid filter input shows no rows, never an unfiltered list.
    assert _rows(staff.get("/resources/needs/", {"status": "flying"})) == []
    # Street admin of another street sees nothing of ours; the district sees all.
    assert "别处需求" in {
        n.title for n in _rows(client_for("district_admin").get("/resources/needs/"))
    }


def test_need_export_is_filtered_and_logged(world, client_for):
    raise_need(world, title="导出需求")
    response = client_for("community_staff").get("/resources/needs/export.xlsx", {"q": "导出"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "导出需求"
    assert AccessLog.objects.filter(object_type="resources.Need").exists()


def test_raise_form_shows_chinese_field_errors_and_keeps_input(world, client_for):
    staff = client_for("community_staff")
    response = staff.post(
        "/resources/needs/new/",
        {
            "title": "助餐",
            "category": "",
            "people_affected": "1",
            "community": world.home_community.pk,
            "source": "staff",
            "urgency": "normal",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["category"] == ["这个字段是必填项。"]
    assert 'value="助餐"' in response.content.decode()
    response = staff.post(
        "/resources/needs/new/",
        {
            "title": "助餐",
            "category": "elderly",
            "people_affected": "0",
            "community": world.home_community.pk,
            "source": "staff",
            "urgency": "normal",
        },
    )
    assert "people_affected" in response.context["form"].errors  # the service's bound
    assert not Need.objects.filter(title="助餐").exists()
    other = Community.objects.exclude(street=world.home_street).first()
    response = staff.post(
        "/resources/needs/new/",
        {
            "title": "越界",
            "category": "elderly",
            "people_affected": "1",
            "community": other.pk,
            "source": "staff",
            "urgency": "normal",
        },
    )
    assert "community" in response.context["form"].errors
    response = staff.post(
        "/resources/needs/new/",
        {
            "title": "找人",
            "category": "elderly",
            "people_affected": "1",
            "community": world.home_community.pk,
            "source": "staff",
            "urgency": "normal",
            "person": "P999999",
        },
    )
    assert "person" in response.context["form"].errors
    assert not Need.objects.filter(title__in=["越界", "找人"]).exists()


def test_raise_then_accept_a_suggestion(world, client_for):
    resource = make_resource(world, name="兴隆助老队", community=world.home_community)
    staff = client_for("community_staff")
    response = staff.post(
        "/resources/needs/new/",
        {
            "title": "独居老人助餐",
            "category": "elderly",
            "people_affected": "4",
            "community": world.home_community.pk,
            "source": "resident",
            "urgency": "urgent",
        },
    )
    need = Need.objects.get(title="独居老人助餐")
    assert response.status_code == 302
    page = staff.get(f"/resources/needs/{need.pk}/")
    body = page.content.decode()
    assert page.context["suggestions"][0].resource == resource
    assert "类别相符" in body and "同一社区" in body
    staff.post(f"/resources/needs/{need.pk}/dispatch/", {"resource": resource.pk})
    need.refresh_from_db()
    assert need.status == NeedStatus.DISPATCHED and need.resource == resource


def test_flow_buttons_follow_the_side(world, client_for):
    need = dispatched_need(world)
    lead_page = client_for("agency_admin").get(f"/resources/needs/{need.pk}/")
    assert lead_page.context["actions"] == ["claim", "decline"]
    assert client_for("social_worker").get(f"/resources/needs/{need.pk}/").context["actions"] == []
    assert (
        client_for("community_staff").get(f"/resources/needs/{need.pk}/").context["actions"] == []
    )
    assert (
        client_for("community_staff").post(f"/resources/needs/{need.pk}/claim/").status_code == 404
    )
    client_for("agency_admin").post(f"/resources/needs/{need.pk}/claim/")
    assert Need.objects.get(pk=need.pk).status == NeedStatus.CLAIMED


def test_step_forms_show_field_errors_and_write_nothing(world, client_for):
    need = claimed_need(world)
    response = client_for("social_worker").post(f"/resources/needs/{need.pk}/deliver/", {})
    assert response.status_code == 200
    assert {"delivered_on", "summary"} <= set(response.context["form"].errors)
    assert Need.objects.get(pk=need.pk).status == NeedStatus.CLAIMED
    # Illegal now: the error is shown on the form.
    response = client_for("social_worker").post(
        f"/resources/needs/{need.pk}/decline/", {"reason": "x"}
    )
    assert response.status_code == 404  # a social worker does not answer for the agency


@pytest.mark.parametrize("persona", ["social_worker_b", "volunteer", "auditor", "evaluator"])
def test_other_agency_and_other_roles_get_404(world, client_for, persona):
    need = dispatched_need(world)
    resource = make_resource(world)
    client = client_for(persona)
    assert client.get(f"/resources/needs/{need.pk}/").status_code == 404
    assert client.get(f"/resources/{resource.pk}/").status_code == 404


def test_street_scope(world, client_for):
    other = Community.objects.exclude(street=world.home_street).first()
    far = raise_need(world, actor=world.users["district_admin"], community=other)
    assert client_for("street_admin").get(f"/resources/needs/{far.pk}/").status_code == 404
    near = raise_need(world)
    assert client_for("street_admin").get(f"/resources/needs/{near.pk}/").status_code == 200


def test_resource_pages(world, client_for):
    director = client_for("agency_admin")
    response = director.post(
        "/resources/new/",
        {
            "name": "社工站活动室",
            "kind": "venue",
            "owner_agency": world.agency_a.pk,
            "community": world.home_community.pk,
            "categories": ["elderly", "culture"],
            "capacity": "30",
            "capacity_unit": "人",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    resource = Resource.objects.get(name="社工站活动室")
    assert resource.category_list == ["elderly", "culture"]
    listed = director.get("/resources/", {"category": "culture"})
    assert resource in _rows(listed)
    response = director.post(
        f"/resources/{resource.pk}/edit/",
        {
            "name": "社工站活动室",
            "kind": "venue",
            "owner_agency": world.agency_a.pk,
            "community": world.home_community.pk,
            "available_from": "2026-06-01",
            "available_to": "2026-05-01",
            "is_active": "on",
        },
    )
    assert "available_to" in response.context["form"].errors
    assert Resource.objects.get(pk=resource.pk).available_to is None


def test_project_and_wish_pages(world, client_for):
    staff = client_for("community_staff")
    need = raise_need(world)
    response = staff.post(
        "/resources/projects/new/",
        {
            "title": "银龄项目",
            "community": world.home_community.pk,
            "starts_on": "2026-01-05",
            "status": "running",
            "needs": [need.pk],
            "categories": ["elderly"],
        },
    )
    assert response.status_code == 302
    assert staff.get("/resources/projects/").status_code == 200
    response = staff.post(
        "/resources/wishes/new/",
        {
            "title": "一台收音机",
            "community": world.home_community.pk,
            "recipient_description": "老人",
        },
    )
    assert response.status_code == 302
    assert staff.get("/resources/wishes/export.xlsx").status_code == 200


def test_step_pages_render_and_an_illegal_step_says_why_on_the_form(world, client_for):
    resource = make_resource(world, community=world.home_community)
    need = raise_need(world)
    staff = client_for("community_staff")
    page = staff.get(f"/resources/needs/{need.pk}/dispatch/")
    assert page.status_code == 200
    assert resource.name in page.content.decode()  # the resource serving the area is offered
    assert world.agency_b.name not in page.content.decode()  # out of scope: not offered
    response = staff.post(f"/resources/needs/{need.pk}/rate/", {"rating": "5"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["只有已服务的需求才能评价。"]
    assert Need.objects.get(pk=need.pk).rating is None


def test_htmx_asks_for_the_table_alone(world, client_for):
    raise_need(world, title="局部刷新")
    response = client_for("community_staff").get(
        "/resources/needs/", {"q": "局部"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "局部刷新" in body and "<html" not in body
