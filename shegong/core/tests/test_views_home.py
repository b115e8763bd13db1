"""Home is a workbench (工作台): per role, the work waiting with links to it, then the figures
of the user's scope, each empty state saying what comes next."""

import pytest
from django.utils import translation

from shegong.core.testing.personas import PERSONAS
from shegong.notifications.services import notify

pytestmark = pytest.mark.django_db


def bench(client):
    response = client.get("/")
    assert response.status_code == 200
    context = response.context
    return (
        {todo.testid: todo for todo in context["todos"]},
        {figure.testid: figure for figure in context["figures"]},
        response.content.decode(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_to_do_links_to_a_page_the_user_can_open(client_for, persona):
    client = client_for(persona)
    todos, figures, _html = bench(client)
    assert todos, f"{persona} has a workbench with nothing on it"
    for item in [*todos.values(), *figures.values()]:
        assert client.get(item.url).status_code == 200, (persona, item.url)


def test_a_social_worker_sees_their_cases_not_the_districts_communities(client_for):
    todos, figures, html = bench(client_for("social_worker"))
    assert {"overdue", "no-contact", "notifications"} <= set(todos)
    assert todos["overdue"].url == "/cases/my/?show=overdue"
    assert todos["no-contact"].url == "/cases/my/?show=no_contact"
    assert "communities" not in figures and "agencies" not in figures
    assert {"cases", "person-times", "people"} <= set(figures)
    assert "全区社区" not in html and "社区" not in figures["cases"].label


def test_the_case_card_says_open_and_closed_in_words(client_for):
    _todos, figures, html = bench(client_for("district_admin"))
    with translation.override("zh-hans"):
        assert str(figures["cases"].label) == "在办个案"
        assert figures["cases"].detail == "已结案：0"
    assert "未结案；已结案" not in html


def test_a_lead_sees_approvals_and_referrals(client_for):
    todos, _figures, _html = bench(client_for("supervisor"))
    assert todos["approvals"].url == "/cases/supervision/"
    assert todos["referrals"].url == "/cases/referrals/"


def test_place_staff_watch_crisis_cases_and_their_communities(client_for):
    todos, figures, _html = bench(client_for("street_admin"))
    assert todos["crisis"].url.startswith("/cases/?")
    assert figures["communities"].value == 9
    assert "overdue" not in todos and "approvals" not in todos


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("training_admin", {"agencies", "exam-questions", "figure-training-learners"}),
        ("evaluator", {"agencies"}),
    ],
)
def test_trainers_and_evaluators_see_agencies_not_community_counts(client_for, persona, expected):
    # The training administrator also keeps the exam question bank (the exams app's figure).
    _todos, figures, _html = bench(client_for(persona))
    assert set(figures) == expected


def test_a_volunteer_is_told_where_their_work_starts(client_for):
    todos, figures, html = bench(client_for("volunteer"))
    assert set(todos) == {"notifications"}
    assert figures == {}
    assert 'data-testid="figures-empty"' in html


def test_an_auditor_sees_the_last_weeks_audit_trail(client_for):
    todos, _figures, _html = bench(client_for("auditor"))
    assert todos["audit-changes"].url.startswith("/core/audit/?date_from=")
    assert todos["audit-access"].url.startswith("/core/audit/access/?date_from=")


def test_empty_cards_say_what_will_arrive_and_counts_show_when_work_waits(world, client_for):
    client = client_for("volunteer")
    html = client.get("/").content.decode()
    assert 'data-testid="todos-clear"' in html
    assert "您已处理完所有消息" in html
    notify(world.users["volunteer"], "周六社区义诊需要志愿者。")
    todos, _figures, html = bench(client)
    assert todos["notifications"].count == 1
    assert 'data-testid="todos-clear"' not in html
