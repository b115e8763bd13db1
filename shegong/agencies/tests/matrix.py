"""The agency the authorization matrix must not find where it does not belong
(tests/test_authorization_matrix.py, ``LISTS``): agency B, registered in another street."""

from shegong.core.testing.matrix import Sentinel


def agency_sentinels(world) -> list[Sentinel]:
    agency = world.agency_b
    assert agency.community.street_id != world.home_street.pk  # another street
    # District-level roles read every agency; agency B's own worker reads their own.
    visible = frozenset({"district_admin", "training_admin", "evaluator", "social_worker_b"})
    return [
        Sentinel(
            key="agency_other_street",
            kind="agency",
            pk=agency.pk,
            path=f"/agencies/{agency.pk}/",
            texts=(agency.name, agency.uscc),
            visible_to=visible,
            searches=dict.fromkeys((agency.name, agency.uscc), visible),
        )
    ]
