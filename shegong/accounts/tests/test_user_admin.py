"""User administration: who an admin sees, creating users, granting and revoking in scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.accounts.models import RoleAssignment, User
from shegong.accounts.services import can_grant, role_grant, role_revoke, user_create
from shegong.accounts.tests.factories import UserFactory
from shegong.places.models import Community

# Not allowed looks exactly like missing (DESIGN §4.2).
REFUSED = 404


def _other_street_community(world):
    return Community.objects.filter(street=world.other_street).order_by("code").first()


def _usernames(response):
    return {account.username for account in response.context["page_obj"].object_list}


# --- services ------------------------------------------------------------------------------


def test_street_admin_cannot_grant_district_admin(world):
    newcomer = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        role_grant(
            actor=world.users["street_admin"],
            user=newcomer,
            role="district_admin",
            node=world.district,
        )
    assert "role" in excinfo.value.message_dict
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("role", ["street_admin", "community_staff", "volunteer"])
def test_street_admin_cannot_grant_anything_in_another_street(world, role):
    newcomer = UserFactory()
    node = world.other_street if role == "street_admin" else _other_street_community(world)
    assert not can_grant(world.users["street_admin"], role, node._meta.model_name, node)
    with pytest.raises(ValidationError):
        role_grant(actor=world.users["street_admin"], user=newcomer, role=role, node=node)
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


def test_street_admin_grants_inside_own_street(world):
    newcomer = UserFactory()
    assignment = role_grant(
        actor=world.users["street_admin"],
        user=newcomer,
        role="community_staff",
        node=world.home_community,
    )
    assert assignment.is_active
    assert assignment.granted_by == world.users["street_admin"]


def test_agency_admin_grants_only_in_own_agency(world):
    newcomer = UserFactory()
    actor = world.users["agency_admin"]
    role_grant(actor=actor, user=newcomer, role="social_worker", node=world.agency_a)
    with pytest.raises(ValidationError):
        role_grant(actor=actor, user=newcomer, role="social_worker", node=world.agency_b)
    with pytest.raises(ValidationError):
        role_grant(actor=actor, user=newcomer, role="community_staff", node=world.home_community)
    assert list(RoleAssignment.objects.filter(user=newcomer).values_list("agency", flat=True)) == [
        world.agency_a.pk
    ]


def test_role_must_fit_the_kind_of_node(world):
    newcomer = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        role_grant(
            actor=world.users["district_admin"],
            user=newcomer,
            role="social_worker",
            node=world.home_street,
        )
    assert "node" in excinfo.value.message_dict
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


def test_revoke_outside_scope_is_refused(world):
    assignment = world.users["social_worker_b"].role_assignments.get()
    with pytest.raises(ValidationError):
        role_revoke(actor=world.users["street_admin"], assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.is_active


def test_admin_cannot_revoke_own_role(world):
    assignment = world.users["street_admin"].role_assignments.get()
    with pytest.raises(ValidationError):
        role_revoke(actor=world.users["street_admin"], assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.is_active


def test_only_admins_create_users(world):
    with pytest.raises(PermissionDenied):
        user_create(actor=world.users["social_worker"], username="x1", password="long-enough-pw-1")
    assert not User.objects.filter(username="x1").exists()


def test_user_create_refuses_weak_password_and_taken_username(world):
    with pytest.raises(ValidationError) as excinfo:
        user_create(actor=world.users["street_admin"], username="Street_Admin", password="123")
    assert set(excinfo.value.message_dict) == {"username", "password"}
    assert User.objects.filter(username__iexact="street_admin").count() == 1


# --- pages ---------------------------------------------------------------------------------


def test_street_admin_lists_users_in_scope(client_for, world):
    names = _usernames(client_for("street_admin").get("/accounts/users/"))
    assert {"community_staff", "volunteer", "agency_admin", "social_worker"} <= names
    assert "social_worker_b" not in names
    assert "district_admin" not in names


def test_agency_admin_lists_own_agency_staff(client_for, world):
    names = _usernames(client_for("agency_admin").get("/accounts/users/"))
    assert names == {"agency_admin", "supervisor", "social_worker"}


def test_list_shows_users_the_admin_created(client_for, world):
    user_create(actor=world.users["agency_admin"], username="newbie", password="long-enough-pw-1")
    names = _usernames(client_for("agency_admin").get("/accounts/users/"))
    assert "newbie" in names
    assert "newbie" not in _usernames(client_for("street_admin").get("/accounts/users/"))


def test_list_filters_by_role_and_query(client_for, world):
    client = client_for("street_admin")
    assert _usernames(client.get("/accounts/users/", {"role": "volunteer"})) == {"volunteer"}
    assert _usernames(client.get("/accounts/users/", {"q": "督导"})) == {"supervisor"}


def test_list_shows_only_active_roles_in_scope(client_for, world):
    worker = world.users["social_worker"]
    role_revoke(actor=world.users["agency_admin"], assignment=worker.role_assignments.get())
    body = client_for("street_admin").get("/accounts/users/", {"q": "social_worker"})
    rows = body.content.decode().split("<tbody>")[1]
    assert "social_worker" in rows and "social_worker_b" not in rows
    assert "badge" not in rows and "<td>—</td>" in rows


def test_column_headers_sort_and_keep_the_filters(client_for, world):
    response = client_for("street_admin").get(
        "/accounts/users/", {"active": "true", "sort": "-username"}
    )
    names = [account.username for account in response.context["page_obj"]]
    assert names == sorted(names, reverse=True) and len(names) > 1
    body = response.content.decode()
    assert body.index(f">{names[0]}</a>") < body.index(f">{names[-1]}</a>")
    assert 'href="?active=true&amp;sort=username" class="table-sort desc"' in body
    assert 'href="?active=true&amp;sort=display_name" class="table-sort"' in body
    assert "sort=roles" not in body


def test_per_page_shows_the_next_rows(client_for, world):
    client = client_for("street_admin")
    everyone = [account.username for account in client.get("/accounts/users/").context["page_obj"]]
    assert everyone == sorted(everyone) and len(everyone) > 4  # by username unless sorted
    response = client.get("/accounts/users/", {"per_page": 2, "page": 2})
    assert [account.username for account in response.context["page_obj"]] == everyone[2:4]
    body = response.content.decode()
    assert 'href="?per_page=2&amp;page=3" data-testid="page-next"' in body


@pytest.mark.parametrize("persona", ["social_worker", "community_staff", "auditor"])
def test_non_admins_are_refused(client_for, persona):
    client = client_for(persona)
    assert client.get("/accounts/users/").status_code == REFUSED
    assert client.get("/accounts/users/new/").status_code == REFUSED


def test_navigation_shows_users_to_admins_only(client_for):
    assert 'href="/accounts/users/"' in client_for("street_admin").get("/").content.decode()
    assert 'href="/accounts/users/"' not in client_for("social_worker").get("/").content.decode()


def test_create_user_then_grant_role_through_pages(client_for, world):
    client = client_for("street_admin")
    response = client.post(
        "/accounts/users/new/",
        {"username": "xinglong2", "display_name": "兴隆社区新人", "password": "long-enough-pw-1"},
    )
    user = User.objects.get(username="xinglong2")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/users/{user.pk}/"
    assert user.created_by == world.users["street_admin"]
    assert user.check_password("long-enough-pw-1")

    page = client.get(f"/accounts/users/{user.pk}/")
    node_values = {
        value
        for _group, options in page.context["form"].fields["node"].choices[1:]
        for value, _label in options
    }
    assert f"community:{world.home_community.pk}" in node_values
    assert f"community:{_other_street_community(world).pk}" not in node_values

    granted = client.post(
        f"/accounts/users/{user.pk}/",
        {"role": "community_staff", "node": f"community:{world.home_community.pk}"},
    )
    assert granted.status_code == 302
    assert user.role_assignments.get().community == world.home_community


def test_create_user_with_weak_password_shows_error_and_writes_nothing(client_for, world):
    response = client_for("street_admin").post(
        "/accounts/users/new/", {"username": "weakling", "password": "123"}
    )
    assert response.status_code == 200
    assert 'data-field-error="password"' in response.content.decode()
    assert 'value="weakling"' in response.content.decode()
    assert not User.objects.filter(username="weakling").exists()


def test_refused_grant_on_page_shows_error_and_writes_nothing(client_for, world):
    user = user_create(
        actor=world.users["street_admin"], username="target", password="long-enough-pw-1"
    )
    client = client_for("street_admin")
    for data in (
        {"role": "district_admin", "node": f"district:{world.district.pk}"},
        {"role": "community_staff", "node": f"community:{_other_street_community(world).pk}"},
        {"role": "street_admin", "node": f"community:{world.home_community.pk}"},
    ):
        response = client.post(f"/accounts/users/{user.pk}/", data)
        assert response.status_code == 200
        assert "data-field-error=" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_revoke_through_page(client_for, world):
    assignment = world.users["community_staff"].role_assignments.get()
    client = client_for("street_admin")
    detail = client.get(f"/accounts/users/{world.users['community_staff'].pk}/")
    assert f'data-testid="revoke-{assignment.pk}"' in detail.content.decode()
    response = client.post(
        f"/accounts/users/{world.users['community_staff'].pk}/roles/{assignment.pk}/revoke/"
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert not assignment.is_active


def test_users_and_roles_outside_scope_are_404(client_for, world):
    client = client_for("street_admin")
    worker_b = world.users["social_worker_b"]
    assert client.get(f"/accounts/users/{worker_b.pk}/").status_code == 404
    b_assignment = worker_b.role_assignments.get()
    assert (
        client.post(f"/accounts/users/{worker_b.pk}/roles/{b_assignment.pk}/revoke/").status_code
        == 404
    )
    # Agency staff are visible to the street but only their agency may change their roles.
    worker = world.users["social_worker"]
    assignment = worker.role_assignments.get()
    assert client.get(f"/accounts/users/{worker.pk}/").status_code == 200
    assert (
        client.post(f"/accounts/users/{worker.pk}/roles/{assignment.pk}/revoke/").status_code == 404
    )
    assignment.refresh_from_db()
    b_assignment.refresh_from_db()
    assert assignment.is_active and b_assignment.is_active
