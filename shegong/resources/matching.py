"""Suggesting resources for a need, with the score explained criterion by criterion.

:func:`score` is pure: it reads the need's category, place, people affected and wanted-by date
and the resource's categories, place, capacity and availability, and says for each criterion how
many points it gives and why, in a sentence staff can read out. :func:`suggestions` ranks the
active resources that serve the need's area.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shegong.resources.choices import Category

CATEGORY_POINTS = 40
PLACE_POINTS = {"community": 25, "street": 15, "district": 5}
CAPACITY_POINTS = 20
CAPACITY_UNKNOWN_POINTS = 10
AVAILABILITY_POINTS = 15
MAX_TOTAL = CATEGORY_POINTS + PLACE_POINTS["community"] + CAPACITY_POINTS + AVAILABILITY_POINTS
TOP = 5


@dataclass(frozen=True)
class Reason:
    criterion: str  # "category", "place", "capacity", "availability"
    label: str
    points: int
    max_points: int
    text: str


@dataclass(frozen=True)
class Score:
    total: int
    reasons: tuple[Reason, ...]

    @property
    def max_total(self) -> int:
        return MAX_TOTAL


def _category(need, resource) -> Reason:
    label = dict(Category.choices).get(need.category, need.category)
    if need.category in resource.category_list:
        points = CATEGORY_POINTS
        text = _("The resource serves %(category)s needs: the category fits.") % {"category": label}
    else:
        points = 0
        text = _("The resource does not list %(category)s among the needs it serves.") % {
            "category": label
        }
    return Reason("category", _("Category"), points, CATEGORY_POINTS, text)


def _place(need, resource) -> Reason:
    where = resource.community
    if resource.community_id == need.community_id:
        level = "community"
        text = _("The resource is in the same community (%(community)s).") % {
            "community": where.name
        }
    elif where.street_id == need.community.street_id:
        level = "street"
        text = _("The resource is in %(community)s, in the same street.") % {
            "community": where.name
        }
    else:
        level = "district"
        text = _("The resource is in %(community)s, another street of the district.") % {
            "community": where.name
        }
    return Reason("place", _("Distance"), PLACE_POINTS[level], PLACE_POINTS["community"], text)


def _capacity(need, resource) -> Reason:
    unit = resource.capacity_unit or pgettext("unit", "people")
    wanted = need.people_affected
    if not resource.capacity:
        points = CAPACITY_UNKNOWN_POINTS
        text = _("The resource has no capacity on record: check with its owner.")
    elif resource.capacity >= wanted:
        points = CAPACITY_POINTS
        text = _("Capacity %(capacity)s %(unit)s covers the %(wanted)s people affected.") % {
            "capacity": resource.capacity,
            "unit": unit,
            "wanted": wanted,
        }
    else:
        points = round(CAPACITY_POINTS * resource.capacity / wanted)
        text = _(
            "Capacity %(capacity)s %(unit)s covers only part of the %(wanted)s people affected."
        ) % {"capacity": resource.capacity, "unit": unit, "wanted": wanted}
    return Reason("capacity", _("Capacity"), points, CAPACITY_POINTS, text)


def _availability(need, resource, today: datetime.date) -> Reason:
    when = need.wanted_by or today
    date = when.isoformat()
    schedule = f" ({resource.schedule})" if resource.schedule else ""
    if resource.available_from and resource.available_from > when:
        points = 0
        text = _("Available only from %(start)s, after the wanted-by date %(date)s.") % {
            "start": resource.available_from.isoformat(),
            "date": date,
        }
    elif resource.available_to and resource.available_to < when:
        points = 0
        text = _("Available only until %(end)s, before the wanted-by date %(date)s.") % {
            "end": resource.available_to.isoformat(),
            "date": date,
        }
    else:
        points = AVAILABILITY_POINTS
        text = _("Available on %(date)s.") % {"date": date} + schedule
    return Reason("availability", _("Availability"), points, AVAILABILITY_POINTS, text)


def score(need, resource, *, today: datetime.date | None = None) -> Score:
    """How well ``resource`` fits ``need``: the total and one reason per criterion."""
    today = today or timezone.localdate()
    reasons = (
        _category(need, resource),
        _place(need, resource),
        _capacity(need, resource),
        _availability(need, resource, today),
    )
    return Score(total=sum(reason.points for reason in reasons), reasons=reasons)


def serving_q(community) -> Q:
    """Resources whose service area takes in ``community``: named, its street, the district,
    or sitting in it."""
    return (
        Q(district_wide=True)
        | Q(service_communities=community)
        | Q(service_streets=community.street_id)
        | Q(community=community)
    )


def candidates(need, *, today: datetime.date | None = None):
    from shegong.resources.models import Resource

    today = today or timezone.localdate()
    ids = (
        Resource.objects.filter(is_active=True)
        .filter(serving_q(need.community))
        .exclude(available_to__lt=today)
        .values("pk")
    )
    return Resource.objects.filter(pk__in=ids).select_related("community__street", "owner_agency")


@dataclass(frozen=True)
class Suggestion:
    resource: object
    score: Score


def rank(need, resources, *, today: datetime.date | None = None, top: int = TOP):
    """The best ``top`` of ``resources`` for ``need``: by total, then category fit, then name."""
    scored = [Suggestion(resource, score(need, resource, today=today)) for resource in resources]
    scored.sort(
        key=lambda s: (-s.score.total, -s.score.reasons[0].points, s.resource.name, s.resource.pk)
    )
    return scored[:top]


def suggestions(need, *, today: datetime.date | None = None, top: int = TOP):
    return rank(need, candidates(need, today=today), today=today, top=top)
