"""The user the authorization matrix must not find where they do not belong
(tests/test_authorization_matrix.py, ``LISTS``): agency B's worker, in another street."""

from shegong.core.testing.matrix import Sentinel


def user_sentinels(world) -> list[Sentinel]:
    user = world.users["social_worker_b"]
    # Only the district administrator manages users of agency B; agency B has no director
    # among the personas.
    visible = frozenset({"district_admin"})
    return [
        Sentinel(
            key="user_other_street",
            kind="user",
            pk=user.pk,
            path=f"/accounts/users/{user.pk}/",
            texts=(user.username, user.display_name),
            visible_to=visible,
            searches=dict.fromkeys((user.username, user.display_name), visible),
        )
    ]
