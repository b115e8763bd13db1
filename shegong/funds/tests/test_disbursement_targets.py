"""Disbursements to a need or a project: at most one, of the fund's community, seen by the
keeper; set when the entry is written and never after; shown in the ledger and its export."""

from decimal import Decimal
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from shegong.accounts.services import token_issue
from shegong.funds.models import Entry, Fund
from shegong.funds.tests.factories import DisbursementFactory, DonationFactory, FundFactory
from shegong.places.models import Community
from shegong.resources import services as resource_services
from shegong.resources.tests.factories import raise_need


@pytest.fixture
def elsewhere(world):
    return Community.objects.filter(street=world.other_street).order_by("code").first()


@pytest.fixture
def fund(world):
    fund = FundFactory(name="兴隆慈善基金")
    DonationFactory(fund=fund, donor_name="陈女士", amount=Decimal("500"))
    return fund


@pytest.fixture
def project(world):
    return resource_services.project_save(
        actor=world.users["community_staff"],
        title="长者食堂项目",
        community=world.home_community,
        starts_on=world.home_community.created_at.date(),
    )


@pytest.fixture
def api_for(world):
    def make(persona):
        _token, raw = token_issue(user=world.users[persona], name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _nothing_written(fund):
    assert Entry.objects.filter(fund=fund).count() == 1
    assert Fund.objects.get(pk=fund.pk).balance == Decimal("500")


def test_a_disbursement_pays_for_a_need_or_a_project(world, fund, project):
    need = raise_need(world, title="困难家庭助学")
    to_need = DisbursementFactory(fund=fund, purpose="助学金", amount=Decimal("100"), need=need)
    to_project = DisbursementFactory(fund=fund, purpose="食堂补贴", project=project)
    assert Entry.objects.get(pk=to_need.pk).need == need
    assert Entry.objects.get(pk=to_project.pk).project == project
    assert list(need.fund_disbursements.all()) == [to_need]
    created = LogEntry.objects.get_for_object(to_need).get()
    assert created.changes_dict["need"][1] == str(need.pk)


def test_both_at_once_is_refused(world, fund, project):
    with pytest.raises(ValidationError) as refused:
        DisbursementFactory(fund=fund, need=raise_need(world), project=project)
    assert set(refused.value.message_dict) == {"project"}
    _nothing_written(fund)


def test_a_need_out_of_view_is_refused_like_a_missing_one(world, fund, elsewhere, api_for):
    hidden = raise_need(world, actor=world.users["district_admin"], community=elsewhere)
    with pytest.raises(ValidationError) as refused:
        DisbursementFactory(fund=fund, need=hidden)
    assert set(refused.value.message_dict) == {"need"}
    _nothing_written(fund)
    client = api_for("community_staff")
    body = {"amount": "10", "purpose": "助学"}
    out_of_view = client.post(
        f"/api/v1/funds/{fund.pk}/disbursements",
        body | {"need_id": hidden.pk},
        content_type="application/json",
    )
    missing = client.post(
        f"/api/v1/funds/{fund.pk}/disbursements",
        body | {"need_id": 99_999_999},
        content_type="application/json",
    )
    assert out_of_view.status_code == missing.status_code == 400
    assert out_of_view.json()["errors"] == missing.json()["errors"]
    assert out_of_view.json()["errors"]["need"] == refused.value.message_dict["need"]
    _nothing_written(fund)


def test_a_need_of_another_community_is_a_chinese_field_error(world, fund, elsewhere):
    root = get_user_model().objects.create_superuser("root", password="x-Long-Passw0rd")
    far = raise_need(world, actor=world.users["district_admin"], community=elsewhere)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        DisbursementFactory(fund=fund, need=far, actor=root)
    assert refused.value.message_dict["need"] == [
        f"请选择基金所属社区（{world.home_community.name}）的需求或项目。"
    ]
    _nothing_written(fund)


def test_the_link_is_set_once_and_never_changed(world, fund, project):
    entry = DisbursementFactory(fund=fund, purpose="食堂补贴", project=project)
    entry.project = None
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        Entry.objects.filter(pk=entry.pk).update(project=None)
    assert Entry.objects.get(pk=entry.pk).project == project


def test_ledger_form_export_and_api_show_the_link(world, fund, project, client_for, api_for):
    need = raise_need(world, title="困难家庭助学")
    DisbursementFactory(fund=fund, purpose="助学金", need=need)
    client = api_for("community_staff")
    created = client.post(
        f"/api/v1/funds/{fund.pk}/disbursements",
        {"amount": "20", "purpose": "食堂补贴", "project_id": project.pk},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["project_id"] == project.pk
    assert created.json()["need_id"] is None

    page = client_for("street_admin").get(f"/funds/{fund.pk}/").content.decode()
    assert f'href="/resources/needs/{need.pk}/"' in page and "困难家庭助学" in page
    assert f'href="/resources/projects/{project.pk}/"' in page

    sheet = load_workbook(
        BytesIO(client_for("street_admin").get(f"/funds/{fund.pk}/ledger.xlsx").content)
    ).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any(str(need) in row for row in rows) and any("长者食堂项目" in row for row in rows)

    form = client_for("community_staff").get(f"/funds/{fund.pk}/disbursements/new/")
    assert list(form.context["form"].fields["project"].queryset) == [project]
