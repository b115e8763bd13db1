"""The lists on the workbench: each to-do's count follows the work, and its link opens."""

from django.utils import timezone

from shegong.core.registry import figures_for, todos_for
from shegong.resources import services
from shegong.resources.tests.factories import (
    claimed_need,
    dispatched_need,
    post_wish,
    raise_need,
)


def todos(world, persona) -> dict:
    return {
        t.testid: t
        for t in todos_for(world.users[persona])
        if t.testid.startswith(("need", "wish"))
    }


def test_counts_follow_the_flow(world, client_for):
    assert todos(world, "community_staff")["needs-to-dispatch"].count == 0
    assert todos(world, "community_staff")["needs-to-dispatch"].empty
    need = raise_need(world)
    assert todos(world, "community_staff")["needs-to-dispatch"].count == 1
    assert todos(world, "street_admin")["needs-to-dispatch"].count == 1
    assert "needs-to-dispatch" not in todos(world, "agency_admin")
    services.need_dispatch(actor=world.users["community_staff"], need=need, agency=world.agency_a)
    assert todos(world, "community_staff")["needs-to-dispatch"].count == 0
    assert todos(world, "agency_admin")["needs-to-claim"].count == 1
    assert todos(world, "supervisor")["needs-to-claim"].count == 1
    assert "needs-to-claim" not in todos(world, "social_worker")
    assert todos(world, "social_worker_b")["needs-to-deliver"].count == 0
    services.need_claim(actor=world.users["agency_admin"], need=need)
    assert todos(world, "agency_admin")["needs-to-claim"].count == 0
    assert todos(world, "social_worker")["needs-to-deliver"].count == 1
    services.need_deliver(
        actor=world.users["social_worker"],
        need=need,
        delivered_on=timezone.localdate(),
        summary="完成",
    )
    assert todos(world, "social_worker")["needs-to-deliver"].count == 0
    for persona in ("volunteer", "auditor", "training_admin"):
        assert todos(world, persona) == {}


def test_wishes_to_confirm_and_links_open(world, client_for):
    wish = post_wish(world)
    services.wish_claim(wish_id=wish.pk, name="张先生", mobile="13912345678")
    dispatched_need(world)
    claimed_need(world)
    for persona, key in (
        ("community_staff", "wishes-to-confirm"),
        ("community_staff", "needs-to-dispatch"),
        ("agency_admin", "needs-to-claim"),
        ("social_worker", "needs-to-deliver"),
    ):
        todo = todos(world, persona)[key]
        assert todo.count >= 1 if key != "needs-to-dispatch" else todo.count == 0
        response = client_for(persona).get(todo.url)
        assert response.status_code == 200
        assert len(response.context["page_obj"].object_list) == todo.count
    home = client_for("community_staff").get("/")
    assert "待确认的微心愿" in home.content.decode()


def test_figures_count_the_needs_in_scope(world):
    raise_need(world)
    claimed_need(world)
    figure = next(f for f in figures_for(world.users["community_staff"]) if f.testid == "needs")
    assert figure.value == 2
    assert not [f for f in figures_for(world.users["volunteer"]) if f.testid == "needs"]
    figure_b = next(f for f in figures_for(world.users["social_worker_b"]) if f.testid == "needs")
    assert figure_b.value == 0


def test_needs_for_the_community_own_resources(world):
    goods = services.resource_create(
        actor=world.users["community_staff"],
        name="爱心物资站",
        kind="goods",
        community=world.home_community,
        categories=["elderly"],
    )
    need = raise_need(world)
    assert todos(world, "community_staff")["needs-own-resources"].count == 0
    services.need_dispatch(actor=world.users["community_staff"], need=need, resource=goods)
    assert todos(world, "community_staff")["needs-own-resources"].count == 1
    assert todos(world, "agency_admin")["needs-to-claim"].count == 0
    services.need_claim(actor=world.users["community_staff"], need=need)
    assert todos(world, "community_staff")["needs-own-resources"].count == 0
