"""Reads for user administration: who an administrator manages, and where they may grant."""

from django.db.models import Prefetch, Q

from shegong.accounts.choices import GRANTABLE_BY, ROLE_NODE_KINDS, NodeKind, Role
from shegong.accounts.models import ApiToken, RoleAssignment, User
from shegong.accounts.services import is_user_admin
from shegong.core.scope import CHANGE, VIEW, user_assignments


def users_for_admin(admin):
    """Users with a role assignment inside the admin's scope, plus the users they created.

    Each user carries ``scoped_assignments``: only the assignments the admin may see, so a
    street admin never learns where else a person holds roles.
    """
    if not is_user_admin(admin):
        return User.objects.none()
    visible = RoleAssignment.objects.for_user(admin, VIEW)
    users = (
        User.objects.all()
        if admin.is_superuser
        else User.objects.filter(Q(pk__in=visible.values("user_id")) | Q(created_by=admin))
    )
    return users.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=visible.select_related("district", "street", "community", "agency").order_by(
                "-is_active", "role"
            ),
            to_attr="scoped_assignments",
        )
    ).order_by("username")


def user_for_admin_or_404(admin, pk) -> User:
    from django.http import Http404

    try:
        return users_for_admin(admin).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def assignment_for_admin_or_404(admin, user: User, pk) -> RoleAssignment:
    return (
        RoleAssignment.objects.select_related("district", "street", "community", "agency")
        .filter(user=user)
        .get_for_user_or_404(admin, CHANGE, pk=pk)
    )


def grantable_roles(admin) -> list[str]:
    if admin.is_superuser:
        return list(Role.values)
    roles: set[str] = set()
    for assignment in user_assignments(admin):
        roles |= {str(r) for r in GRANTABLE_BY.get(assignment.role, ())}
    return [r for r in Role.values if r in roles]


def _node_models():
    from shegong.agencies.models import Agency
    from shegong.places.models import Community, District, Street

    return {
        NodeKind.DISTRICT: District,
        NodeKind.STREET: Street,
        NodeKind.COMMUNITY: Community,
        NodeKind.AGENCY: Agency,
    }


def resolve_node(kind: str, node_id):
    """The node of ``kind`` with ``node_id``, or None when there is no such node."""
    model = _node_models().get(kind)
    if model is None:
        return None
    try:
        return model.objects.filter(pk=node_id).first()
    except (ValueError, TypeError):
        return None


def grantable_nodes(admin) -> list[tuple[str, object]]:
    """(kind, node) pairs where the admin may grant at least one role, in tree order."""
    models = _node_models()
    found: dict[tuple[str, int], object] = {}
    for assignment in user_assignments(admin) if not admin.is_superuser else []:
        if assignment.role not in GRANTABLE_BY:
            continue
        kinds_needed = {
            kind for role in GRANTABLE_BY[assignment.role] for kind in ROLE_NODE_KINDS[role]
        }
        if assignment.district_id:
            d = assignment.district_id
            lookups = {
                NodeKind.DISTRICT: Q(pk=d),
                NodeKind.STREET: Q(district_id=d),
                NodeKind.COMMUNITY: Q(street__district_id=d),
                NodeKind.AGENCY: Q(community__street__district_id=d),
            }
        elif assignment.street_id:
            lookups = {
                NodeKind.STREET: Q(pk=assignment.street_id),
                NodeKind.COMMUNITY: Q(street_id=assignment.street_id),
            }
        elif assignment.agency_id:
            lookups = {NodeKind.AGENCY: Q(pk=assignment.agency_id)}
        else:
            continue
        for kind, q in lookups.items():
            if kind in kinds_needed:
                for node in models[kind].objects.filter(q):
                    found[(kind, node.pk)] = node
    if admin.is_superuser:
        for kind, model in models.items():
            for node in model.objects.all():
                found[(kind, node.pk)] = node
    order = list(models)
    return [
        (kind, node)
        for (kind, _pk), node in sorted(
            found.items(),
            key=lambda item: (
                order.index(item[0][0]),
                getattr(item[1], "code", ""),
                str(item[1]),
            ),
        )
    ]


def tokens_of(user):
    return ApiToken.objects.for_user(user).order_by("revoked_at", "-created_at")
