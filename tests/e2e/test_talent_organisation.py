"""Journey: an agency director applies for their organisation. A grant for new organisations
tells them why their agency does not qualify; the park's rent relief tells them why it does;
without the signed form the page says so next to the field; submitted, the street reviews it
and the director follows it to the district's step (on a phone at the end). The public notice
names the organisation in full."""

import pytest
from playwright.sync_api import expect

from shegong.talent.models import Application
from shegong.talent.tests.factories import make_org_policy, make_tenant, register_agency
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def test_an_agency_director_applies_for_the_park_rent_relief(
    e2e_world, new_page, log_in, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = e2e_world
    agency = world.agency_a
    register_agency(world, agency, months_ago_=24)
    make_tenant(world, agency)
    rent = make_org_policy(world, name="园区租金减免")
    new_org = make_org_policy(
        world,
        name="新办社会组织补贴",
        criteria=[{"kind": "agency_registered_months", "params": {"months": 6, "at_most": 12}}],
    )

    director = new_page(viewport=DESKTOP)
    log_in(director, "agency_admin")
    director.goto("/talent/policies/")
    director.get_by_test_id("policy-table").get_by_role("link", name="新办社会组织补贴").click()
    director.get_by_test_id("policy-apply").click()
    check = director.get_by_test_id("apply-check")
    expect(check).to_contain_text(f"{agency.name}暂不符合条件")
    expect(check).to_contain_text("本政策面向登记不超过12个月的机构")

    director.goto(f"/talent/policies/{rent.pk}/")
    director.get_by_test_id("policy-apply").click()
    check = director.get_by_test_id("apply-check")
    expect(check).to_contain_text(f"{agency.name}符合条件")
    expect(check).to_contain_text("已满24个月（需要12个月）")
    expect(check).to_contain_text("测试服务园的入驻机构")
    form = director.get_by_test_id("apply-form")
    form.locator("textarea[name=statement]").fill("本机构入驻服务园，申请租金减免。")
    director.get_by_test_id("apply-submit").click()
    expect(director.locator(".invalid-feedback, .alert-danger").first).to_contain_text("须上传附件")
    expect(form.locator("textarea[name=statement]")).to_have_value(
        "本机构入驻服务园，申请租金减免。"
    )
    form.locator("input[name=attachment]").set_input_files(
        files=[{"name": "form.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}]
    )
    director.get_by_test_id("apply-submit").click()
    expect(director.get_by_test_id("application-status")).to_have_text("审核中")
    expect(director.get_by_test_id("application-awaiting")).to_have_text("街道审核")
    expect(director.get_by_test_id("application-applicant")).to_contain_text(agency.name)
    application = Application.objects.get(policy=rent)
    assert not Application.objects.filter(policy=new_org).exists()

    street = new_page(viewport=DESKTOP)
    log_in(street, "street_admin")
    street.goto("/talent/applications/?queue=1")
    table = street.get_by_test_id("application-table")
    expect(table).to_contain_text(agency.name)
    table.get_by_role("link", name=application.number).click()
    street.get_by_test_id("review-submit").click()
    expect(street.get_by_test_id("application-awaiting")).to_have_text("区级审批")

    phone = new_page(viewport=PHONE)
    log_in(phone, "agency_admin")
    phone.goto(f"/talent/applications/{application.pk}/")
    expect(phone.get_by_test_id("application-awaiting")).to_have_text("区级审批")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    district = new_page(viewport=DESKTOP)
    log_in(district, "district_admin")
    district.goto(f"/talent/applications/{application.pk}/")
    district.get_by_test_id("review-submit").click()
    expect(district.get_by_test_id("application-status")).to_have_text("公示中")
    public = new_page(viewport=PHONE)
    public.goto("/talent/notices/")
    expect(public.get_by_test_id("notice-name")).to_have_text(agency.name)
