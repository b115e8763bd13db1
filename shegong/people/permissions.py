"""Who may see personal data unmasked: the roles that may change people, in their scope."""

import rules

from shegong.core.scope import user_roles
from shegong.people.models import Person


@rules.predicate
def may_unmask_people(user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return bool(user_roles(user) & Person.scope_rule.roles["change"])


rules.add_perm("people.view_unmasked_person", may_unmask_people)
