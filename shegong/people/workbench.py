"""The people app's workbench figure: the people on file in the user's scope."""

from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.core.registry import Figure
from shegong.core.scope import VIEW
from shegong.people.models import Person
from shegong.people.permissions import may_list_people


def people_figures(user):
    if not may_list_people(user):
        return []
    return [
        Figure(
            label=_("People on file"),
            value=Person.objects.for_user(user, VIEW).count(),
            url=reverse("people:list"),
            testid="people",
        )
    ]
