"""Case lists, the Excel export and My work: scope, filters, sorting, masking and the log."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from shegong.cases import services
from shegong.cases.choices import CaseStatus, RiskLevel
from shegong.cases.models import Case, TargetGroup
from shegong.cases.tests.factories import (
    CaseFactory,
    ClientFactory,
    add_note,
    demo_user,
    today,
)
from shegong.core.models import AccessLog

pytestmark = pytest.mark.django_db

PROBLEM = "家庭经济困难，子女学业受影响。"


@pytest.fixture
def cases(world):
    low = CaseFactory(client=ClientFactory(name="王小明"), risk_level=RiskLevel.LOW)
    high = CaseFactory(client=ClientFactory(name="李红"), risk_level=RiskLevel.HIGH)
    return low, high


def rows(response) -> str:
    return response.content.decode()


def test_worker_lists_own_cases_with_client_names(client_for, cases):
    html = rows(client_for("social_worker").get("/cases/"))
    for case in cases:
        assert case.number in html
        assert case.client.name in html
    assert PROBLEM not in html


def test_place_roles_see_existence_columns_only(client_for, cases):
    html = rows(client_for("community_staff").get("/cases/"))
    for case in cases:
        assert case.number in html
        assert case.client.name not in html
    assert str(demo_user("social_worker")) not in html
    assert PROBLEM not in html


def test_another_agency_does_not_see_them(client_for, cases):
    html = rows(client_for("social_worker_b").get("/cases/"))
    for case in cases:
        assert case.number not in html


@pytest.mark.parametrize("persona", ["volunteer", "auditor", "training_admin"])
def test_roles_without_cases_get_404(client_for, persona):
    assert client_for(persona).get("/cases/").status_code == 404
    assert client_for(persona).get("/cases/export.xlsx").status_code == 404
    assert client_for(persona).get("/cases/my/").status_code == 404


def test_filters_by_risk_search_and_target_group(client_for, cases):
    low, high = cases
    client = client_for("supervisor")
    html = rows(client.get("/cases/", {"risk_level": RiskLevel.HIGH}))
    assert high.number in html and low.number not in html
    html = rows(client.get("/cases/", {"q": "王小明"}))
    assert low.number in html and high.number not in html
    html = rows(client.get("/cases/", {"q": high.number}))
    assert high.number in html and low.number not in html
    group = TargetGroup.objects.order_by("sort_order").first()
    services.client_file_save(
        actor=demo_user("social_worker"), person=high.client, target_groups=[group]
    )
    html = rows(client.get("/cases/", {"target_group": group.pk}))
    assert high.number in html and low.number not in html


def test_a_bad_date_range_shows_the_error_and_no_rows(client_for, cases):
    response = client_for("supervisor").get(
        "/cases/", {"intake_from": "2026-02-01", "intake_to": "2026-01-01"}
    )
    html = rows(response)
    assert 'data-field-error="intake_to"' in html
    assert cases[0].number not in html


def test_sorting_by_person_times(client_for, world):
    first = CaseFactory(stage=CaseStatus.INTERVENTION)
    second = CaseFactory(stage=CaseStatus.INTERVENTION)
    add_note(second, participants=5)
    html = rows(client_for("supervisor").get("/cases/", {"sort": "-person_times"}))
    assert html.index(second.number) < html.index(first.number)
    html = rows(client_for("supervisor").get("/cases/", {"sort": "person_times"}))
    assert html.index(first.number) < html.index(second.number)


def test_htmx_filter_returns_only_the_table(client_for, cases):
    response = client_for("supervisor").get(
        "/cases/", {"risk_level": RiskLevel.HIGH}, HTTP_HX_REQUEST="true"
    )
    html = rows(response)
    assert 'data-testid="case-table"' in html
    assert "<html" not in html


# --- export --------------------------------------------------------------------------------------


def sheet_rows(response) -> list[list]:
    workbook = load_workbook(BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_export_is_masked_filtered_and_logged(client_for, world, cases):
    low, high = cases
    response = client_for("supervisor").get("/cases/export.xlsx", {"risk_level": RiskLevel.HIGH})
    assert response.status_code == 200
    table = sheet_rows(response)
    flat = " ".join(str(cell) for row in table for cell in row if cell is not None)
    assert high.number in flat and low.number not in flat
    assert high.client.name in flat
    assert high.client.id_number not in flat
    assert high.client.id_number_masked in flat
    assert PROBLEM not in flat
    log = AccessLog.objects.get(user=world.users["supervisor"], action=AccessLog.Action.EXPORT)
    assert log.object_type == "cases.Case"
    assert "risk_level=high" in log.detail


def test_place_role_export_has_no_client_columns(client_for, world, cases):
    table = sheet_rows(client_for("street_admin").get("/cases/export.xlsx"))
    flat = " ".join(str(cell) for row in table for cell in row if cell is not None)
    for case in cases:
        assert case.number in flat
        assert case.client.name not in flat
    assert len(table[0]) == 8
    assert AccessLog.objects.filter(
        user=world.users["street_admin"], action=AccessLog.Action.EXPORT
    ).exists()


def test_export_searched_by_id_number_does_not_log_it(client_for, world, cases):
    number = cases[0].client.id_number
    client_for("supervisor").get("/cases/export.xlsx", {"q": number})
    log = AccessLog.objects.get(user=world.users["supervisor"], action=AccessLog.Action.EXPORT)
    assert number not in log.detail


# --- my work -------------------------------------------------------------------------------------


def test_my_work_shows_own_open_cases_with_overdue_tasks(client_for, world):
    mine = CaseFactory(stage=CaseStatus.INTERVENTION)
    task = mine.plans.get().tasks.get()
    task.due_date = today() - datetime.timedelta(days=3)
    task.save()
    closed = CaseFactory(stage=CaseStatus.CLOSED)
    someone_elses = CaseFactory(worker=demo_user("supervisor"))
    html = rows(client_for("social_worker").get("/cases/my/"))
    assert mine.number in html
    assert closed.number not in html
    assert someone_elses.number not in html
    assert 'data-testid="overdue-tasks"' in html
    assert task.description in html
    html = rows(client_for("social_worker").get("/cases/my/", {"show": "overdue"}))
    assert mine.number in html


def test_no_contact_for_n_days(client_for, world, settings):
    settings.SHEGONG_NO_CONTACT_DAYS = 30
    quiet = CaseFactory(stage=CaseStatus.INTERVENTION)  # intake 60 days ago, no notes
    recent = CaseFactory(stage=CaseStatus.INTERVENTION)
    add_note(recent, contact_date=today() - datetime.timedelta(days=10))
    client = client_for("social_worker")
    html = rows(client.get("/cases/my/", {"show": "no_contact"}))
    assert quiet.number in html and recent.number not in html
    html = rows(client.get("/cases/my/", {"show": "no_contact", "days": "5"}))
    assert quiet.number in html and recent.number in html
    html = rows(client.get("/cases/my/", {"show": "no_contact", "days": "90"}))
    assert quiet.number not in html and recent.number not in html


def test_my_work_filters_and_sorts(client_for, world):
    low = CaseFactory(risk_level=RiskLevel.LOW)
    high = CaseFactory(risk_level=RiskLevel.HIGH)
    html = rows(client_for("social_worker").get("/cases/my/", {"risk_level": RiskLevel.HIGH}))
    assert high.number in html and low.number not in html
    html = rows(client_for("social_worker").get("/cases/my/", {"sort": "number"}))
    assert html.index(low.number) < html.index(high.number)
    assert Case.objects.filter(pk__in=[low.pk, high.pk]).count() == 2


def test_place_roles_have_no_my_work(client_for):
    assert client_for("community_staff").get("/cases/my/").status_code == 404


def count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/cases/", "/cases/my/"])
def test_queries_do_not_grow_with_the_rows(client_for, world, url):
    client = client_for("social_worker")
    CaseFactory()
    few = count_queries(client, url)
    for _n in range(4):
        add_note(CaseFactory(stage=CaseStatus.INTERVENTION))
    assert count_queries(client, url) == few


def test_my_work_shows_the_ten_most_overdue_tasks_and_their_total(client_for, world):
    cases = [CaseFactory(stage=CaseStatus.INTERVENTION) for _ in range(12)]
    for days, case in enumerate(cases, start=1):
        task = case.plans.get().tasks.get()
        task.description = f"逾期任务{days:02d}"
        task.due_date = today() - datetime.timedelta(days=days)
        task.save()
    html = rows(client_for("social_worker").get("/cases/my/"))
    assert 'data-testid="overdue-total">12<' in html
    assert "逾期任务12" in html and "逾期任务03" in html  # the longest overdue first
    assert "逾期任务02" not in html and "逾期任务01" not in html
    assert 'data-testid="overdue-all"' in html
    html = rows(client_for("social_worker").get("/cases/my/", {"show": "overdue"}))
    assert all(case.number in html for case in cases)


def test_sorting_by_risk_follows_the_levels_not_their_names(client_for, world):
    medium = CaseFactory(risk_level=RiskLevel.MEDIUM)
    crisis = CaseFactory(risk_level=RiskLevel.CRISIS)
    low = CaseFactory(risk_level=RiskLevel.LOW)
    html = rows(client_for("supervisor").get("/cases/", {"sort": "-risk_level"}))
    assert html.index(crisis.number) < html.index(medium.number) < html.index(low.number)
    html = rows(client_for("social_worker").get("/cases/my/"))  # the most urgent first
    assert html.index(crisis.number) < html.index(medium.number) < html.index(low.number)


def test_column_headers_sort_and_keep_the_filters(client_for, cases):
    html = rows(client_for("supervisor").get("/cases/", {"risk_level": "high", "sort": "number"}))
    assert 'href="?risk_level=high&amp;sort=-number" class="table-sort asc"' in html
    assert 'href="?risk_level=high&amp;sort=intake_date" class="table-sort"' in html


def test_pages_of_the_register(client_for, world):
    made = [CaseFactory() for _ in range(7)]
    client = client_for("supervisor")
    first = rows(client.get("/cases/", {"per_page": 5, "sort": "number"}))
    second = rows(client.get("/cases/", {"per_page": 5, "sort": "number", "page": 2}))
    numbers = sorted(case.number for case in made)
    assert all(number in first for number in numbers[:5])
    assert all(number in second for number in numbers[5:])
    assert not any(number in second for number in numbers[:5])
    assert 'data-testid="page-next"' in first


def test_a_target_group_filter_sorts_by_risk_without_repeating_cases(client_for, world):
    group = TargetGroup.objects.order_by("sort_order").first()
    low = CaseFactory(risk_level=RiskLevel.LOW)
    crisis = CaseFactory(risk_level=RiskLevel.CRISIS)
    for case in (low, crisis):
        services.client_file_save(
            actor=demo_user("social_worker"), person=case.client, target_groups=[group]
        )
    CaseFactory(client=low.client, risk_level=RiskLevel.HIGH, stage=CaseStatus.INTAKE)
    html = rows(
        client_for("supervisor").get("/cases/", {"target_group": group.pk, "sort": "-risk_level"})
    )
    assert html.count(f">{crisis.number}<") == 1
    assert html.index(crisis.number) < html.index(low.number)


def test_my_work_exports_the_list_it_shows_masked_and_logged(client_for, world):
    overdue = CaseFactory(stage=CaseStatus.INTERVENTION)
    task = overdue.plans.get().tasks.get()
    task.due_date = today() - datetime.timedelta(days=3)
    task.save()
    on_time = CaseFactory(stage=CaseStatus.INTERVENTION)
    someone_elses = CaseFactory(worker=demo_user("supervisor"))
    response = client_for("social_worker").get("/cases/my/export.xlsx", {"show": "overdue"})
    assert response.status_code == 200
    flat = " ".join(str(c) for row in sheet_rows(response) for c in row if c is not None)
    assert overdue.number in flat
    assert on_time.number not in flat and someone_elses.number not in flat
    assert overdue.client.name in flat
    assert overdue.client.id_number not in flat and overdue.client.id_number_masked in flat
    log = AccessLog.objects.get(user=world.users["social_worker"], action=AccessLog.Action.EXPORT)
    assert "show=overdue" in log.detail
    html = rows(client_for("social_worker").get("/cases/my/", {"show": "overdue"}))
    assert 'href="/cases/my/export.xlsx?show=overdue"' in html


def test_sorting_by_status_follows_the_lifecycle(client_for, world):
    intake = CaseFactory(stage=CaseStatus.INTAKE)
    intervention = CaseFactory(stage=CaseStatus.INTERVENTION)
    assessment = CaseFactory(stage=CaseStatus.ASSESSMENT)
    html = rows(client_for("supervisor").get("/cases/", {"sort": "status"}))
    assert html.index(intake.number) < html.index(assessment.number)
    assert html.index(assessment.number) < html.index(intervention.number)


def _empty_state(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</td>", start)]


def test_my_work_empty_states_say_what_to_do_next(client_for, world):
    client = client_for("social_worker")
    empty = _empty_state(rows(client.get("/cases/my/")), "my-work-empty")
    assert "您暂无在办个案" in empty
    assert 'href="/cases/new/"' in empty  # 开案
    CaseFactory(stage=CaseStatus.INTERVENTION)  # open, no overdue task
    empty = _empty_state(rows(client.get("/cases/my/", {"show": "overdue"})), "my-work-empty")
    assert "暂无逾期任务" in empty
    assert "暂无未结案个案" not in empty
    assert "?days=30" in empty  # back to all my open cases
    html = rows(client.get("/cases/my/", {"risk_level": RiskLevel.CRISIS}))
    empty = _empty_state(html, "my-work-empty")
    assert "没有符合这些筛选条件的个案" in empty and "清除筛选" in empty


def test_case_list_empty_states_say_what_to_do_next(client_for, world):
    client = client_for("agency_admin")
    empty = _empty_state(rows(client.get("/cases/")), "empty-state")
    assert 'href="/cases/new/"' in empty
    html = rows(client.get("/cases/", {"risk_level": RiskLevel.CRISIS}))
    assert "清除筛选" in _empty_state(html, "empty-state")


def test_my_work_rows_show_an_overdue_badge(client_for, world):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    task = case.plans.get().tasks.get()
    task.due_date = today() - datetime.timedelta(days=2)
    task.save()
    html = rows(client_for("social_worker").get("/cases/my/"))
    assert 'data-testid="overdue-badge">逾期 1 项' in html


def test_a_worker_who_also_holds_a_place_role_sees_client_names_only_in_own_cases(
    client_for, world
):
    from shegong.accounts.models import RoleAssignment

    mine = CaseFactory(client=ClientFactory(name="王小明"))
    theirs = CaseFactory(client=ClientFactory(name="李红"), worker=demo_user("supervisor"))
    place = RoleAssignment.objects.filter(user=demo_user("community_staff")).first()
    RoleAssignment.objects.create(
        user=demo_user("social_worker"), role=place.role, community=theirs.community
    )
    html = rows(client_for("social_worker").get("/cases/"))
    assert mine.number in html and theirs.number in html
    assert mine.client.name in html
    assert theirs.client.name not in html


def test_my_work_lists_the_most_urgent_first_then_the_longest_without_contact(client_for, world):
    recent = CaseFactory(risk_level=RiskLevel.HIGH)
    add_note(recent, contact_date=today() - datetime.timedelta(days=2))
    older = CaseFactory(risk_level=RiskLevel.HIGH)
    add_note(older, contact_date=today() - datetime.timedelta(days=9))
    never = CaseFactory(risk_level=RiskLevel.HIGH)
    crisis = CaseFactory(risk_level=RiskLevel.CRISIS)
    low = CaseFactory(risk_level=RiskLevel.LOW)
    html = rows(client_for("social_worker").get("/cases/my/"))
    order = [crisis, never, older, recent, low]
    assert sorted(order, key=lambda case: html.index(case.number)) == order
    # The export lists them in the same order.
    response = client_for("social_worker").get("/cases/my/export.xlsx")
    numbers = [row[0] for row in sheet_rows(response) if row[0] in {c.number for c in order}]
    assert numbers == [case.number for case in order]


def test_my_work_marks_the_cases_without_recent_contact_as_the_api_counts_them(
    client_for, world, settings
):
    from shegong.cases import selectors

    settings.SHEGONG_NO_CONTACT_DAYS = 30
    quiet = CaseFactory(stage=CaseStatus.INTERVENTION)  # intake 60 days ago, no notes
    new = CaseFactory(intake_date=today() - datetime.timedelta(days=3))  # no notes yet
    long_ago = CaseFactory(stage=CaseStatus.INTERVENTION)
    add_note(long_ago, contact_date=today() - datetime.timedelta(days=40))
    recent = CaseFactory(stage=CaseStatus.INTERVENTION)
    add_note(recent, contact_date=today() - datetime.timedelta(days=10))
    html = rows(client_for("social_worker").get("/cases/my/"))
    marked = {
        case.number
        for case in (quiet, new, long_ago, recent)
        for row in html.split('data-testid="my-case"')[1:]
        if case.number in row and "bg-orange-lt" in row
    }
    worker = demo_user("social_worker")
    counted = set(
        selectors.my_cases(worker).filter(no_contact=True).values_list("number", flat=True)
    )
    assert marked == counted == {quiet.number, long_ago.number}


def _case_order(client, sort: str, *cases) -> list[str]:
    html = rows(client.get("/cases/", {"sort": sort}))
    return sorted((case.number for case in cases if case.number in html), key=html.find)


@pytest.mark.parametrize("username", ["district_admin", "community_staff", "mixed_worker"])
def test_sorting_by_last_contact_tells_nothing_to_whom_the_list_hides_it(
    client_for, world, username
):
    from shegong.accounts.models import RoleAssignment

    contacted = CaseFactory(stage=CaseStatus.INTERVENTION)
    add_note(contacted)
    never = CaseFactory()
    # Someone else's cases in the place of a place role (the mixed worker's too).
    place = RoleAssignment.objects.filter(user=demo_user("community_staff")).first()
    Case.objects.filter(pk__in=[contacted.pk, never.pk]).update(
        worker=demo_user("supervisor"), community=place.community
    )
    if username == "mixed_worker":
        RoleAssignment.objects.create(
            user=demo_user("social_worker"), role=place.role, community=place.community
        )
        username = "social_worker"
    client = client_for(username)
    html = rows(client.get("/cases/"))
    assert contacted.number in html and never.number in html
    assert 'value="last_contact_date"' not in html
    ascending = _case_order(client, "last_contact_date", contacted, never)
    descending = _case_order(client, "-last_contact_date", contacted, never)
    assert ascending == descending
    api = client.get("/api/v1/cases", {"sort": "-last_contact_date"})
    assert api.status_code != 200 or [c["number"] for c in api.json()["items"]] in ([], None)
