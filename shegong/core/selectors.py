"""Reads for core pages: home-page figures computed from rows in the user's scope (never typed
in), and the audit trail."""

from auditlog.models import LogEntry
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from shegong.core.models import AccessLog
from shegong.core.scope import VIEW, can, user_assignments


def home_figures(user) -> list[dict]:
    from shegong.people.permissions import may_list_people
    from shegong.places.selectors import communities_within

    Community = apps.get_model("places", "Community")
    Agency = apps.get_model("agencies", "Agency")
    Person = apps.get_model("people", "Person")

    has_place_node = user.is_superuser or any(
        a.district_id or a.street_id or a.community_id for a in user_assignments(user)
    )
    figures = []
    if has_place_node:
        counts = communities_within(user).aggregate(
            total=Count("pk"), urban=Count("pk", filter=Q(urban_village=True))
        )
        figures.append(
            {
                "label": _("Communities in your area"),
                "value": counts["total"],
                "detail": _("of which urban villages: %(n)s") % {"n": counts["urban"]},
                "url_name": "places:tree",
            }
        )
    else:
        figures.append(
            {
                "label": _("Communities in the district"),
                "value": Community.objects.count(),
                "detail": "",
                "url_name": "places:tree",
            }
        )
    if can(user, Agency, VIEW):
        counts = Agency.objects.for_user(user, VIEW).aggregate(
            total=Count("pk"), active=Count("pk", filter=Q(is_active=True))
        )
        figures.append(
            {
                "label": _("Agencies"),
                "value": counts["total"],
                "detail": _("active: %(n)s") % {"n": counts["active"]},
                "url_name": "agencies:list",
            }
        )
    Case = apps.get_model("cases", "Case")
    if can(user, Case, VIEW):
        from shegong.cases.selectors import case_figures

        cases = case_figures(user)
        figures.append(
            {
                "label": _("Cases"),
                "value": cases["open"],
                "detail": _("open; closed: %(n)s") % {"n": cases["closed"]},
                "url_name": "cases:list",
                "testid": "cases",
            }
        )
        figures.append(
            {
                "label": _("Person-times"),
                "value": cases["person_times"],
                "detail": _("people served, counted per service contact"),
                "url_name": "cases:list",
                "testid": "person-times",
            }
        )
    if may_list_people(user):
        figures.append(
            {
                "label": _("People on file"),
                "value": Person.objects.for_user(user, VIEW).count(),
                "detail": "",
                "url_name": "people:list",
            }
        )
    return figures


def change_entries():
    """Change history, newest first, with what the audit page and API show."""
    return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")


def access_entries():
    """Access-log rows (unmasked views and exports), newest first."""
    return AccessLog.objects.select_related("user").order_by("-created_at", "-id")


def changed_field_names(entry) -> list[str]:
    """The names of the fields an entry changed, as raw names (values are never shown)."""
    changes = entry.changes_dict
    return sorted(changes.keys()) if isinstance(changes, dict) else []


def changed_field_labels(entry) -> list[str]:
    """The changed fields' human names, falling back to the raw name for fields since removed."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    labels = []
    for name in changed_field_names(entry):
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except (AttributeError, FieldDoesNotExist):  # model or field since removed
            labels.append(name)
    return labels
