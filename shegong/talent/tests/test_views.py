"""Talent pages: the worker's "what do I qualify for" with its reasons, applying with field
errors that keep the input, reviewing through the page, the public 公示 list with masked names
and the finance office's spreadsheets."""

import datetime
import io
from io import BytesIO

import pytest
from openpyxl import load_workbook

from shegong.talent.models import Application, Review
from shegong.talent.services import application_review, notice_close
from shegong.talent.tests.factories import file_application, make_policy, make_worker, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(world):
    return make_worker(world, user=world.users["social_worker"], name="欧阳娜娜")


def approve_all(world, application):
    for persona in ("agency_admin", "street_admin", "district_admin"):
        application = application_review(
            actor=world.users[persona], application=application, decision="approve"
        )
    return application


def test_the_worker_sees_what_they_qualify_for_and_why(client_for, world, worker):
    make_policy(
        world, name="留任补贴", criteria=[{"kind": "employed_months", "params": {"months": 12}}]
    )
    make_policy(
        world,
        name="高级奖励",
        criteria=[{"kind": "qualification_min", "params": {"level": "senior"}}],
    )
    page = client_for("social_worker").get("/talent/qualify/").content.decode()
    assert "留任补贴" in page and "高级奖励" in page
    assert "您已在" in page and "（要求12个月）" in page
    assert "本政策要求高级社会工作师或以上" in page
    assert page.count('data-testid="qualify-apply"') == 1


def test_a_worker_without_a_profile_is_told_what_happens_next(client_for):
    page = client_for("social_worker_b").get("/talent/qualify/").content.decode()
    assert "您还没有人才档案" in page


def test_applying_through_the_page(client_for, world, worker):
    policy = make_policy(world)
    client = client_for("social_worker")
    response = client.post(
        f"/talent/policies/{policy.pk}/apply/",
        {"profile": worker.pk, "statement": "我的申请", "attachment": pdf()},
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/talent/applications/{application.pk}/"
    assert application.status == "in_review"


def test_the_attachment_is_kept_encrypted_and_downloaded_as_uploaded(client_for, world, worker):
    from shegong.core.models import AccessLog

    policy = make_policy(world)
    client = client_for("social_worker")
    client.post(
        f"/talent/policies/{policy.pk}/apply/",
        {"profile": worker.pk, "statement": "我的申请", "attachment": pdf("张三身份证.pdf")},
    )
    application = Application.objects.get()
    stored = application.attachment
    # On disk: a random name that names nobody, and no plaintext.
    assert "张三" not in stored.name and stored.name.endswith(".pdf.enc")
    with stored.open("rb") as handle:
        assert b"%PDF-1.4 evidence" not in handle.read()

    download = client.get(f"/talent/applications/{application.pk}/attachment/")

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 evidence"
    assert f"{application.number}.pdf" in download["Content-Disposition"]
    assert AccessLog.objects.filter(detail="attachment", object_id=application.pk).exists()


def test_a_missing_attachment_shows_next_to_the_field_and_keeps_the_statement(
    client_for, world, worker
):
    policy = make_policy(world)
    response = client_for("social_worker").post(
        f"/talent/policies/{policy.pk}/apply/", {"profile": worker.pk, "statement": "保留的文字"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "本政策须上传附件" in page and "保留的文字" in page
    assert not Application.objects.exists()


def test_the_review_goes_through_the_page_and_a_reviewer_out_of_turn_finds_nothing(
    client_for, world, worker
):
    application = file_application(world, make_policy(world), worker)
    url = f"/talent/applications/{application.pk}/review/"
    assert client_for("street_admin").post(url, {"decision": "approve"}).status_code == 404
    response = client_for("agency_admin").post(url, {"decision": "return"})
    assert response.status_code == 400
    assert "请说明理由" in response.content.decode()
    assert not Review.objects.exists()
    response = client_for("agency_admin").post(url, {"decision": "approve"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.awaiting_role == "street_admin"
    queue = client_for("street_admin").get("/talent/applications/?queue=1").content.decode()
    assert application.number in queue
    assert (
        application.number
        not in client_for("agency_admin").get("/talent/applications/?queue=1").content.decode()
    )


def test_the_worker_follows_each_step_on_their_application(client_for, world, worker):
    application = file_application(world, make_policy(world), worker)
    client = client_for("social_worker")
    page = client.get(f"/talent/applications/{application.pk}/").content.decode()
    assert "审核中" in page and "机构确认" in page
    approve_all(world, application)
    page = client.get(f"/talent/applications/{application.pk}/").content.decode()
    assert "公示中" in page


def test_the_public_notice_list_masks_names_and_needs_no_login(client, world, worker):
    approve_all(world, file_application(world, make_policy(world, name="公示政策"), worker))
    page = client.get("/talent/notices/").content.decode()
    assert "欧**娜" in page and "公示政策" in page
    assert "欧阳娜娜" not in page


def test_the_public_notice_list_is_rate_limited_per_address(client, world, settings):
    # A day's window: the three requests cannot straddle two windows as a minute's might.
    settings.SHEGONG_API_ANON_RATE = "2/d"
    assert client.get("/talent/notices/").status_code == 200
    assert client.get("/talent/notices/").status_code == 200
    refused = client.get("/talent/notices/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "86400"


def test_the_finance_spreadsheets(client_for, world, worker):
    policy = make_policy(world)
    application = approve_all(world, file_application(world, policy, worker))
    notice_close(
        actor=world.users["district_admin"],
        application=application,
        on=application.notice_ends + datetime.timedelta(days=1),
    )
    client = client_for("district_admin")
    approved = client.get(f"/talent/policies/{policy.pk}/approved.xlsx")
    payments = client.get(f"/talent/policies/{policy.pk}/payments.xlsx")
    for response in (approved, payments):
        assert response.status_code == 200
        rows = list(load_workbook(BytesIO(response.content)).active.values)
        assert rows[1][0] == application.number and rows[1][1] == "欧阳娜娜"
    assert (
        client_for("street_admin").get(f"/talent/policies/{policy.pk}/approved.xlsx").status_code
        == 404
    )


def test_bad_filter_input_shows_no_rows(client_for, world, worker):
    file_application(world, make_policy(world), worker)
    page = (
        client_for("district_admin").get("/talent/applications/?status=nonsense").content.decode()
    )
    assert "暂无申请" in page


def test_the_district_publishes_a_policy_from_the_library(client_for, world):
    from shegong.talent.models import Policy

    data = {
        "name": "青年社工安居补贴",
        "year": 2026,
        "kind": "subsidy",
        "applicant_kind": "worker",
        "budget": "100000",
        "opens_on": "2026-01-01",
        "closes_on": "2026-12-31",
        "amount_basis": "level",
        "amount_assistant": "80",
        "amount_intermediate": "150",
        "amount_flat": "999",
        "payment_mode": "monthly",
        "months": "36",
        "notice_days": "5",
        "chain": "street_district",
        "c_level": "assistant",
        "c_age": "35",
    }
    response = client_for("district_admin").post("/talent/policies/new/", data)
    policy = Policy.objects.get()
    assert response.status_code == 302
    assert policy.amounts == {"assistant": "80.00", "intermediate": "150.00"}
    assert [(c.kind, c.params) for c in policy.criteria.all()] == [
        ("qualification_min", {"level": "assistant", "taiwan_as": ""}),
        ("age_max", {"age": 35}),
    ]
    assert list(policy.steps.values_list("role", flat=True)) == ["street_admin", "district_admin"]
    # Closing before opening: said next to the field, nothing written.
    response = client_for("district_admin").post(
        "/talent/policies/new/", {**data, "name": "第二个", "closes_on": "2025-01-01"}
    )
    assert "申请截止日不能早于开始日" in response.content.decode()
    assert Policy.objects.count() == 1


def test_reviewers_download_the_attachment_and_it_is_logged(client_for, world, worker):
    from shegong.core.models import AccessLog

    application = file_application(world, make_policy(world), worker)
    url = f"/talent/applications/{application.pk}/attachment/"
    response = client_for("street_admin").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(action="open", object_id=str(application.pk)).count() == 1
    assert client_for("social_worker_b").get(url).status_code == 404


def test_a_key_rotation_re_encrypts_the_attachments(client_for, world, worker, settings):
    from django.core.management import call_command

    from shegong.core import crypto
    from shegong.core.sealed_files import read_plain

    policy = make_policy(world)
    client_for("social_worker").post(
        f"/talent/policies/{policy.pk}/apply/",
        {"profile": worker.pk, "statement": "我的申请", "attachment": pdf()},
    )
    old_name = Application.objects.get().attachment.name
    settings.SHEGONG_FIELD_KEYS = [crypto.generate_key(), *settings.SHEGONG_FIELD_KEYS]
    crypto._keyring.cache_clear()
    try:
        call_command("rotate_field_keys", stdout=io.StringIO())
        settings.SHEGONG_FIELD_KEYS = settings.SHEGONG_FIELD_KEYS[:1]  # the old key is gone
        crypto._keyring.cache_clear()
        attachment = Application.objects.get().attachment
        assert attachment.name != old_name
        assert read_plain(attachment) == b"%PDF-1.4 evidence"
    finally:
        crypto._keyring.cache_clear()
