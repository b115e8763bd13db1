"""The need flow: every legal move, and every illegal one refused with a reason and no write."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from shegong.resources import services, state
from shegong.resources.choices import NeedStatus
from shegong.resources.models import Need, NeedEvent
from shegong.resources.tests.factories import (
    claimed_need,
    delivered_need,
    dispatched_need,
    raise_need,
)

S = NeedStatus


def test_machine_table():
    assert state.next_status(S.RAISED, state.DISPATCH) == S.DISPATCHED
    assert state.next_status(S.DISPATCHED, state.CLAIM) == S.CLAIMED
    assert state.next_status(S.DISPATCHED, state.DECLINE) == S.RAISED
    assert state.next_status(S.CLAIMED, state.DELIVER) == S.DELIVERED
    assert state.next_status(S.DELIVERED, state.RATE) == S.RATED
    with pytest.raises(ValueError):
        state.next_status(S.RAISED, "teleport")


ILLEGAL = [
    (status, action)
    for status in S.values
    for action in state.ACTIONS
    if status not in state.MOVES[action].sources
]


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_every_illegal_move_names_a_reason(status, action):
    with pytest.raises(state.IllegalTransition) as refused:
        state.next_status(status, action)
    assert refused.value.messages[0]


def test_full_flow_records_events_and_history(world):
    need = delivered_need(world)
    need = services.need_rate(
        actor=world.users["community_staff"], need=need, rating=5, comment="很满意"
    )
    need.refresh_from_db()
    assert need.status == S.RATED and need.rating == 5
    kinds = list(NeedEvent.objects.filter(need=need).values_list("kind", flat=True))
    assert kinds == ["raised", "dispatched", "claimed", "delivered", "rated"]
    statuses = [
        entry.changes_dict.get("status", [None, None])[1]
        for entry in LogEntry.objects.get_for_object(need).order_by("timestamp", "pk")
    ]
    assert [s for s in statuses if s] == ["raised", "dispatched", "claimed", "delivered", "rated"]


def _snapshot(need):
    return (
        Need.objects.filter(pk=need.pk).values().get(),
        NeedEvent.objects.filter(need=need).count(),
        LogEntry.objects.count(),
    )


def _today():
    return timezone.localdate()


STEPS = {
    "dispatch": lambda w, n: services.need_dispatch(
        actor=w.users["community_staff"], need=n, agency=w.agency_a
    ),
    "claim": lambda w, n: services.need_claim(actor=w.users["agency_admin"], need=n),
    "decline": lambda w, n: services.need_decline(
        actor=w.users["agency_admin"], need=n, reason="人手不足"
    ),
    "deliver": lambda w, n: services.need_deliver(
        actor=w.users["agency_admin"], need=n, delivered_on=_today(), summary="完成"
    ),
    "rate": lambda w, n: services.need_rate(actor=w.users["community_staff"], need=n, rating=4),
}
BUILD = {
    "raised": raise_need,
    "dispatched": dispatched_need,
    "claimed": claimed_need,
    "delivered": delivered_need,
}


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (s, a)
        for s, a in ILLEGAL
        if s in BUILD and not (s == "raised" and a in ("claim", "decline", "deliver"))
    ],
)
def test_services_refuse_illegal_moves_and_write_nothing(world, status, action):
    need = BUILD[status](world)
    before = _snapshot(need)
    with pytest.raises(ValidationError) as refused:
        STEPS[action](world, need)
    assert refused.value.messages[0]
    assert _snapshot(need) == before


def test_party_steps_on_an_undispatched_need_are_not_theirs(world):
    # Not dispatched: the agency cannot even see it, so claiming it is "not found".
    need = raise_need(world)
    from django.http import Http404

    with pytest.raises(Http404):
        services.need_claim(actor=world.users["agency_admin"], need=need)


def test_a_closed_need_says_so(world):
    need = delivered_need(world)
    services.need_rate(actor=world.users["community_staff"], need=need, rating=3)
    with pytest.raises(ValidationError) as refused:
        services.need_rate(actor=world.users["community_staff"], need=need, rating=3)
    assert "closed" in refused.value.messages[0] or "结" in refused.value.messages[0]


def test_decline_sends_it_back_to_raised_and_clears_the_party(world):
    need = dispatched_need(world)
    need = services.need_decline(actor=world.users["supervisor"], need=need, reason="人手不足")
    need.refresh_from_db()
    assert need.status == S.RAISED and need.agency is None and need.dispatched_at is None
    assert need.events.last().note == "人手不足"
    # ...and the community may dispatch it again.
    services.need_dispatch(actor=world.users["community_staff"], need=need, agency=world.agency_a)


def test_decline_without_reason_is_a_field_error_and_writes_nothing(world):
    need = dispatched_need(world)
    before = _snapshot(need)
    with pytest.raises(ValidationError) as refused:
        services.need_decline(actor=world.users["agency_admin"], need=need, reason="  ")
    assert "reason" in refused.value.message_dict
    assert _snapshot(need) == before


def test_deliver_and_rate_field_errors(world):
    need = claimed_need(world)
    before = _snapshot(need)
    with pytest.raises(ValidationError) as refused:
        services.need_deliver(actor=world.users["social_worker"], need=need)
    assert set(refused.value.message_dict) == {"delivered_on", "summary"}
    future = _today().replace(year=_today().year + 1)
    with pytest.raises(ValidationError) as refused:
        services.need_deliver(
            actor=world.users["social_worker"], need=need, delivered_on=future, summary="x"
        )
    assert "delivered_on" in refused.value.message_dict
    assert _snapshot(need) == before
    need = services.need_deliver(
        actor=world.users["social_worker"], need=need, delivered_on=_today(), summary="x"
    )
    before = _snapshot(need)
    for bad in (None, 0, 6, "5"):
        with pytest.raises(ValidationError) as refused:
            services.need_rate(actor=world.users["community_staff"], need=need, rating=bad)
        assert "rating" in refused.value.message_dict
    assert _snapshot(need) == before


def test_the_wrong_side_gets_not_found(world):
    from django.http import Http404

    need = dispatched_need(world)
    # A social worker delivers but does not accept work for the agency; the community does
    # not claim for the agency; the agency does not dispatch.
    for actor, step in (
        ("social_worker", lambda a: services.need_claim(actor=a, need=need)),
        ("community_staff", lambda a: services.need_claim(actor=a, need=need)),
        (
            "agency_admin",
            lambda a: services.need_dispatch(actor=a, need=need, agency=world.agency_a),
        ),
        ("social_worker_b", lambda a: services.need_claim(actor=a, need=need)),
    ):
        with pytest.raises(Http404):
            step(world.users[actor])
    assert Need.objects.get(pk=need.pk).status == S.DISPATCHED


def test_each_step_tells_whoever_waits_for_the_next(world):
    from shegong.notifications.models import Notification

    def inbox(persona):
        return list(
            Notification.objects.filter(user=world.users[persona]).values_list("message", flat=True)
        )

    need = dispatched_need(world)
    assert any(need.number in m and "派" in m for m in inbox("agency_admin"))
    assert any(need.number in m for m in inbox("supervisor"))
    assert not any(need.number in m for m in inbox("social_worker"))
    services.need_claim(actor=world.users["agency_admin"], need=need)
    assert any(need.number in m for m in inbox("community_staff"))
