"""Who may see personal data unmasked: the roles that may change people, in their scope."""

import rules

from shegong.core.scope import user_roles
from shegong.people.models import PEOPLE_ROLES, Person


@rules.predicate
def may_unmask_people(user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return bool(user_roles(user) & Person.scope_rule.roles["change"])


rules.add_perm("people.view_unmasked_person", may_unmask_people)


def may_list_people(user) -> bool:
    """The people list is for staff. A volunteer or worker may read their own record through
    its page, but a list holding only themselves is not a feature (and not a menu entry)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or bool(user_roles(user) & PEOPLE_ROLES)
