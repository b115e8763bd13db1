"""Journey: one case from intake to closure, the worker on a phone and the supervisor at a desk.

The social worker (390×844) opens a case for a client, records the assessment, writes and
submits a plan; the supervisor approves it in the supervision queue; the worker records three
service notes (1, 2 and 1 participants), the evaluation and a closure request; the supervisor
approves the closure. The person-times on both home pages rise by exactly 4.
"""

import re

import pytest
from playwright.sync_api import expect

from shegong.cases.choices import CaseStatus, ReviewStatus
from shegong.cases.models import Case
from shegong.cases.tests.factories import ClientFactory, today
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def person_times(page) -> int:
    page.goto("/")
    return int(page.get_by_test_id("figure-person-times").inner_text().strip())


def fits_the_phone(page) -> None:
    """Nothing spills sideways on the worker's phone (tables scroll inside themselves)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def submit(page, form_testid: str) -> None:
    page.get_by_test_id(form_testid).get_by_test_id("submit").click()
    page.get_by_test_id("case-header").wait_for()


def status_of(case_pk: int) -> str:
    return Case.objects.get(pk=case_pk).status


def approve_in_queue(page, case_number: str) -> None:
    page.goto("/cases/supervision/")
    card = page.get_by_test_id("review").filter(has_text=case_number)
    expect(card).to_have_count(1)
    card.locator("select[name$=decision]").select_option("approve")
    card.get_by_test_id("review-submit").click()
    expect(page.get_by_test_id("review").filter(has_text=case_number)).to_have_count(0)


def add_note(page, case_pk: int, participants: int, content: str) -> None:
    page.goto(f"/cases/{case_pk}/")
    page.get_by_test_id("action-note").click()
    form = page.get_by_test_id("note-form")
    form.locator("[name=contact_date]").fill(today().isoformat())
    form.locator("[name=duration_minutes]").fill("40")
    form.locator("[name=method]").select_option("home_visit")
    form.locator("[name=content]").fill(content)
    form.locator("[name=participants]").fill(str(participants))
    fits_the_phone(page)
    submit(page, "note-form")
    expect(page.get_by_test_id("note").filter(has_text=content)).to_have_count(1)


def test_a_case_from_intake_to_closure_raises_the_person_times(new_page, log_in):
    client = ClientFactory(name="陈阿婆")
    worker = new_page(viewport=PHONE)
    boss = new_page(viewport=DESKTOP)
    log_in(worker, "social_worker")
    log_in(boss, "supervisor")
    worker_before, boss_before = person_times(worker), person_times(boss)

    # 接案 on the phone.
    worker.goto(f"/cases/new/?client={client.pk}")
    form = worker.get_by_test_id("case-open-form")
    expect(form.get_by_test_id("chosen-client")).to_contain_text("陈阿婆")
    form.locator("[name=source]").select_option("walk_in")
    form.locator("[name=presenting_problem]").fill("独居，近期跌倒后行动不便。")
    form.locator("[name=risk_level]").select_option("medium")
    form.locator("[name=intake_date]").fill(today().isoformat())
    fits_the_phone(worker)
    submit(worker, "case-open-form")
    expect(worker).to_have_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(client=client)
    case_pk, number = case.pk, case.number
    expect(worker.get_by_test_id("case-number")).to_have_text(number)
    fits_the_phone(worker)

    # 预估.
    worker.get_by_test_id("action-assessment").click()
    form = worker.get_by_test_id("assessment-form")
    form.locator("[name=assessed_on]").fill(today().isoformat())
    form.locator("[name=need_care]").select_option("high")
    form.locator("[name=note_care]").fill("需要助浴和送餐")
    form.locator("[name=risk_level]").select_option("medium")
    form.locator("[name=summary]").fill("独居高龄，日常照料需求高。")
    fits_the_phone(worker)
    submit(worker, "assessment-form")
    assert status_of(case_pk) == CaseStatus.ASSESSMENT

    # 计划, sent straight for approval.
    worker.get_by_test_id("action-plan").click()
    form = worker.get_by_test_id("plan-form")
    form.locator("[name=goal-0-description]").fill("链接居家养老服务")
    form.locator("[name=goal-0-measure]").fill("每周两次助餐")
    form.locator("[name=task-0-description]").fill("联系社区长者食堂")
    form.locator("[name=task-0-due_date]").fill(today().isoformat())
    form.locator("[name=task-0-goal]").select_option("0")
    fits_the_phone(worker)
    submit(worker, "plan-form")
    assert status_of(case_pk) == CaseStatus.PLANNING
    expect(worker.get_by_test_id("pending-review")).to_be_visible()

    # 督导 at the desk.
    approve_in_queue(boss, number)
    assert status_of(case_pk) == CaseStatus.INTERVENTION

    # 介入: three contacts, 1 + 2 + 1 people.
    for participants, content in (
        (1, "入户探访，评估居家安全。"),
        (2, "陪同就医，女儿同行。"),
        (1, "电话回访。"),
    ):
        add_note(worker, case_pk, participants, content)
    assert Case.objects.get(pk=case_pk).person_times == 4

    # 评估.
    worker.goto(f"/cases/{case_pk}/")
    worker.get_by_test_id("action-evaluation").click()
    form = worker.get_by_test_id("evaluation-form")
    form.locator("[name=evaluated_on]").fill(today().isoformat())
    goals = form.locator("select[name^=goal_]")
    expect(goals).to_have_count(1)
    goals.first.select_option("achieved")
    form.locator("[name=summary]").fill("已稳定接受助餐服务。")
    fits_the_phone(worker)
    submit(worker, "evaluation-form")
    assert status_of(case_pk) == CaseStatus.EVALUATION

    # 结案 request.
    worker.get_by_test_id("action-closure").click()
    form = worker.get_by_test_id("closure-form")
    form.locator("[name=reason]").select_option("goals_achieved")
    form.locator("[name=note]").fill("目标达成，转入常规关怀。")
    fits_the_phone(worker)
    submit(worker, "closure-form")
    assert status_of(case_pk) == CaseStatus.CLOSURE_PENDING

    approve_in_queue(boss, number)
    case = Case.objects.get(pk=case_pk)
    assert case.status == CaseStatus.CLOSED and case.closed_on == today()
    assert [r.status for r in case.reviews.all()] == [ReviewStatus.APPROVED] * 2

    worker.goto(f"/cases/{case_pk}/")
    expect(worker.get_by_test_id("case-person-times")).to_have_text("4")
    assert person_times(worker) == worker_before + 4
    assert person_times(boss) == boss_before + 4
