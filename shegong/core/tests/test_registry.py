"""The registries apps plug into: menu order, demo steps in dependency order, clear errors."""

from datetime import date
from decimal import Decimal

import pytest

from shegong.core import registry
from shegong.core.registry import MenuEntry


@pytest.fixture
def empty_demo(monkeypatch):
    monkeypatch.setattr(registry, "_demo", {})


def names(steps) -> list[str]:
    return [step.name for step in steps]


def test_demo_steps_run_after_the_steps_they_need(empty_demo):
    registry.add_demo("cases", print, after=("people", "accounts"))
    registry.add_demo("people", print, after=("places",))
    registry.add_demo("places", print, personas=True)
    registry.add_demo("accounts", print, after=("places",), personas=True)
    assert names(registry.demo_steps()) == ["places", "people", "accounts", "cases"]
    assert names(registry.demo_steps(personas_only=True)) == ["places", "accounts"]


def test_a_missing_or_circular_demo_dependency_is_named(empty_demo):
    registry.add_demo("cases", print, after=("people",))
    with pytest.raises(RuntimeError, match="'cases' needs 'people'"):
        registry.demo_steps()
    registry.add_demo("people", print, after=("cases",))
    with pytest.raises(RuntimeError, match="circle"):
        registry.demo_steps()


def test_a_personas_step_cannot_need_a_story_step(empty_demo):
    registry.add_demo("people", print)
    registry.add_demo("accounts", print, after=("people",), personas=True)
    with pytest.raises(RuntimeError, match="'accounts' needs 'people'"):
        registry.demo_steps(personas_only=True)


def test_the_menu_is_in_the_apps_order_and_registering_again_replaces(monkeypatch):
    monkeypatch.setattr(registry, "_menu", {})
    registry.add_menu(MenuEntry("B", "b", "x", order=20), MenuEntry("A", "a", "x", order=10))
    registry.add_menu(MenuEntry("B again", "b", "x", order=5))
    assert [entry.label for entry in registry.menu_entries()] == ["B again", "A"]


def test_every_installed_app_registered_its_menu_and_demo():
    # What the apps' ready() registered in this project, in menu order.
    assert [entry.url_name for entry in registry.menu_entries()] == [
        "home",
        "places:tree",
        "people:list",
        "agencies:list",
        "cases:list",
        "cases:my_work",
        "cases:supervision",
        "activities:list",
        "purchasing:project_list",
        "purchasing:budget_list",
        "resources:need_list",
        "resources:resource_list",
        "resources:project_list",
        "resources:wish_list",
        "volunteers:list",
        "volunteers:shifts",
        "funds:list",
        "pairing:list",
        "training:classes",
        "training:mine",
        "exams:home",
        "exams:questions",
        "exams:results",
        "talent:me",
        "talent:application_list",
        "talent:policy_list",
        "talent:profile_list",
        "park:overview",
        "accounts:user_list",
        "core:calendar",
        "core:audit",
    ]
    assert names(registry.demo_steps(personas_only=True)) == [
        "places",
        "accounts.admin",
        "agencies",
        "accounts",
    ]


def test_cpd_credits_are_gathered_from_every_source_oldest_first(monkeypatch):
    monkeypatch.setattr(registry, "_cpd_sources", {})
    asked = []

    def academy(person_ids):
        asked.append(list(person_ids))
        return [registry.CpdCredit(1, date(2026, 5, 1), Decimal("12"), "中级班", "academy")]

    def manual(person_ids):
        return [registry.CpdCredit(1, date(2025, 3, 1), Decimal("2.5"), "讲座", "manual")]

    registry.add_cpd_source("academy", academy)
    registry.add_cpd_source("manual", manual)

    credits = registry.cpd_credits_for(iter([1, 2]))

    assert [(c.date, c.hours, c.source) for c in credits] == [
        (date(2025, 3, 1), Decimal("2.5"), "manual"),
        (date(2026, 5, 1), Decimal("12"), "academy"),
    ]
    assert asked == [[1, 2]]  # every source sees the same ids, even from a one-pass iterator
