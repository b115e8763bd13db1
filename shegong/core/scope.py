"""The one scope mechanism (DESIGN §4.2).

Every scoped model declares a :class:`ScopeRule`: where its rows sit in the place tree, which
agency owns them, and which roles may do what. ``Model.objects.for_user(user, action)`` turns the
user's role assignments into a single filter. Views and API endpoints fetch through it and answer
404 when a row is outside it, so "not yours" looks exactly like "not found".

A role assignment binds a role to one node: the district, a street, a community or an agency.
Place nodes see rows whose place lies under the node; an agency node sees rows the agency owns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.http import Http404

VIEW = "view"
CHANGE = "change"
# Reading the confidential content of a record (case notes, assessments, plans): narrower than
# VIEW, which for such records only says that they exist (DESIGN §4.2).
CONTENT = "content"
ACTIONS = (VIEW, CHANGE, CONTENT)

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopeRule:
    """How one model's rows fall into users' scopes.

    ``community``: lookup path from the model to its Community ("self" for Community itself).
    ``street`` / ``district``: same, for models that sit higher in the tree. A model naming both
    has rows of the district's own (no street) and rows of one street (a budget by its funding
    source): the district's people reach every row through ``district``, a street's people the
    rows of their street.
    ``agency``: lookup path to the owning Agency ("self" for Agency itself), or a tuple of
    paths when several agencies may hold the row (a referral: sender and receiver).
    ``own``: lookup path to the User the row belongs to (a volunteer's own record).
    ``roles``: action -> role codes allowed to perform it within their node.
    ``own_roles``: action -> role codes that may act on rows that are their own.
    ``own_within_agency``: own rows count only at the agency of the assignment that grants
    them, so a worker who leaves an agency stops reading the cases still assigned to them
    there; for a lead, whose role already reaches the whole agency, this adds nothing (and
    the filter stays a plain ``agency = …`` that the database answers from an index).
    ``everyone_views``: reference data any signed-in user may read (the place tree).
    ``owner_only``: personal rows (tokens, notifications, one's own imports) that only the user
    in ``own`` may see or touch, whatever their roles; not even a superuser reads them.
    """

    roles: dict[str, frozenset[str]]
    community: str | None = None
    street: str | None = None
    district: str | None = None
    agency: str | tuple[str, ...] | None = None
    own: str | None = None
    own_roles: dict[str, frozenset[str]] = field(default_factory=dict)
    own_within_agency: bool = False
    everyone_views: bool = False
    owner_only: bool = False

    def allows(self, role: str, action: str) -> bool:
        return role in self.roles.get(action, frozenset())

    def q_for(self, assignment) -> Q:
        """Rows one role assignment reaches, ignoring whether its role has the action."""
        if assignment.district_id:
            return self._place_q("district", assignment.district_id)
        if assignment.street_id:
            return self._place_q("street", assignment.street_id)
        if assignment.community_id:
            return self._place_q("community", assignment.community_id)
        if assignment.agency_id and self.agency:
            q = NOTHING
            for path in self.agency_paths:
                q |= Q(**{_path(path, "pk"): assignment.agency_id})
            return q
        return NOTHING

    @property
    def agency_paths(self) -> tuple[str, ...]:
        if not self.agency:
            return ()
        return (self.agency,) if isinstance(self.agency, str) else self.agency

    def _place_q(self, level: str, node_id: int) -> Q:
        if level == "district" and self.district:
            # Declared beside a street: the row may have no street (the district's own).
            return Q(**{_path(self.district, "pk"): node_id})
        # Walk down from the most specific place the model knows about.
        if self.community:
            suffix = {"district": "street__district_id", "street": "street_id", "community": "pk"}
            return Q(**{_path(self.community, suffix[level]): node_id})
        if self.street and level != "community":
            suffix = {"district": "district_id", "street": "pk"}
            return Q(**{_path(self.street, suffix[level]): node_id})
        if self.district and level == "district":
            return Q(**{_path(self.district, "pk"): node_id})
        if self.agency:
            # An agency-owned row with no place of its own is placed where its agency sits.
            suffix = {
                "district": "community__street__district_id",
                "street": "community__street_id",
                "community": "community_id",
            }
            return Q(**{_path(self.agency_paths[0], suffix[level]): node_id})
        return NOTHING


def _path(base: str, tail: str) -> str:
    return tail if base == "self" else f"{base}__{tail}"


def user_assignments(user) -> list:
    """The user's active role assignments, loaded once per user object (i.e. per request)."""
    cached = getattr(user, "_scope_assignments", None)
    if cached is None:
        cached = list(user.role_assignments.filter(is_active=True))
        user._scope_assignments = cached
    return cached


def user_roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {assignment.role for assignment in user_assignments(user)}


def scope_q(model: type[models.Model], user, action: str = VIEW) -> Q:
    """The filter selecting the rows of ``model`` that ``user`` may perform ``action`` on."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown scope action {action!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    rule: ScopeRule = model.scope_rule
    if rule.owner_only:
        return Q(**{rule.own: user})
    if user.is_superuser:
        return Q()
    if action == VIEW and rule.everyone_views:
        return Q()
    q = NOTHING
    for assignment in user_assignments(user):
        reaches_node = rule.allows(assignment.role, action)
        if reaches_node:
            q |= rule.q_for(assignment)
        if rule.own and assignment.role in rule.own_roles.get(action, frozenset()):
            if not rule.own_within_agency:
                q |= Q(**{rule.own: user})
            elif assignment.agency_id and not reaches_node:
                q |= Q(**{rule.own: user}) & rule.q_for(assignment)
    return q


def same_scope(model: type[models.Model], first: str, second: str) -> bool:
    """Whether ``model``'s rule grants the two actions to exactly the same people on the same
    rows, so one filter answers both (the case file asks whether the user may read inside a
    case and whether they may work on it)."""
    rule: ScopeRule = model.scope_rule
    return rule.roles.get(first) == rule.roles.get(second) and rule.own_roles.get(
        first
    ) == rule.own_roles.get(second)


def can(user, model: type[models.Model], action: str) -> bool:
    """Whether the user holds any role that may perform ``action`` on some rows of ``model``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    rule: ScopeRule = model.scope_rule
    if user.is_superuser or rule.owner_only:
        return True
    if action == VIEW and rule.everyone_views:
        return True
    roles = user_roles(user)
    return any(rule.allows(role, action) for role in roles) or any(
        role in rule.own_roles.get(action, frozenset()) for role in roles
    )


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user, *actions: str) -> ScopedQuerySet:
        """Rows the user may perform every one of ``actions`` on (VIEW if none is named)."""
        rows = self
        for action in actions or (VIEW,):
            rows = rows.filter(scope_q(self.model, user, action))
        return rows

    def get_for_user_or_404(self, user, *actions: str, **lookup):
        """Fetch one row through the scope; missing and forbidden both raise Http404."""
        try:
            return self.for_user(user, *actions).get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
            # OverflowError: an id beyond the database's integer range in a related lookup
            # (e.g. ``case_id=10**25``), which Django passes to the driver unchecked.
            raise Http404 from exc


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class OutOfScope(Http404):
    """The actor may not act on this object. A subclass of Http404, so every page and API
    operation answers it exactly as it answers a missing object, and an import or a command can
    still tell the refusal apart by name."""


def require(actor, target, *actions: str):
    """The one check services make before they read or write (DESIGN §4.2).

    ``target`` is a row: it is returned if ``actor`` may perform every one of ``actions`` (VIEW if
    none is named) on it, else :class:`OutOfScope` is raised. ``target`` is a queryset: the rows
    of it the actor may act on are returned. ``actor=None`` is the system itself (a migration of
    data, a command that runs for no user): nothing to check.
    """
    if actor is None:
        return target
    is_queryset = isinstance(target, models.QuerySet)
    model = target.model if is_queryset else type(target)
    rows = target if is_queryset else model._default_manager.filter(pk=target.pk)
    for action in actions or (VIEW,):
        rows = rows.filter(scope_q(model, actor, action))
    if is_queryset:
        return rows
    if target.pk is None or not rows.exists():
        raise OutOfScope
    return target
