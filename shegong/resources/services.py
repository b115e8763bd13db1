"""Writes to the three lists and small wishes: every page, API operation and demo step calls
these, so they cannot differ. Each checks the actor's scope (404 when not theirs), validates
before it writes (field-level messages, nothing written on a refusal), and keeps the write
transaction short."""

import copy
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.agencies.models import Agency
from shegong.core.audit import set_actor
from shegong.core.scope import CHANGE, VIEW, OutOfScope, require, user_assignments, user_roles
from shegong.core.validators import field_errors, model_errors
from shegong.people.selectors import people_for
from shegong.people.validators import validate_mobile
from shegong.places.models import Community, Street
from shegong.places.selectors import communities_within
from shegong.resources import matching, state
from shegong.resources.choices import Category, NeedEventKind, NeedStatus, WishStatus
from shegong.resources.models import (
    AGENCY_LEADS,
    AGENCY_STAFF,
    PLACE_STAFF,
    Need,
    NeedEvent,
    Project,
    Resource,
    Wish,
    join_categories,
)

NEED_FIELDS = (
    "title",
    "description",
    "category",
    "urgency",
    "people_affected",
    "wanted_by",
    "community",
    "source",
    "person",
)


def _fail(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def works_for_place(user) -> bool:
    """District, street or community staff: they raise needs and manage the lists."""
    return user.is_superuser or bool(user_roles(user) & PLACE_STAFF)


def _in_scope(queryset, obj) -> bool:
    return obj is not None and queryset.filter(pk=obj.pk).exists()


def _categories(codes, errors: dict) -> str:
    """The stored form of a list of category codes; an unknown code is a field error."""
    codes = list(codes or [])
    if any(code not in Category.values for code in codes):
        errors["categories"] = [_("Choose categories from the list.")]
        return ""
    return join_categories(codes)


def _check_place(actor, community, errors: dict, field: str = "community") -> None:
    if community is None:
        errors[field] = [_("Choose a community.")]
    elif not _in_scope(communities_within(actor), community):
        errors[field] = [_("Choose a community inside your own scope.")]


def _check_person(actor, person, errors: dict) -> None:
    # A resident is named only through the people app's scoped read: one outside the actor's
    # scope is refused like a missing one.
    if person is not None and not _in_scope(people_for(actor), person):
        errors["person"] = [_("Choose a resident you may see.")]


# --- needs -------------------------------------------------------------------------------------


def need_raise(*, actor, **data) -> Need:
    if not works_for_place(actor):
        raise PermissionDenied(_("Only community, street or district staff record needs."))
    errors: dict = {}
    _check_place(actor, data.get("community"), errors)
    _check_person(actor, data.get("person"), errors)
    need = Need(raised_by=actor, **{k: v for k, v in data.items() if k in NEED_FIELDS})
    errors = {**model_errors(need, exclude=errors.keys()), **errors}
    _fail(errors)
    with transaction.atomic(), set_actor(actor):
        need.save()
        NeedEvent.objects.create(need=need, kind=NeedEventKind.RAISED, actor=actor)
    return need


def require_side(actor, need: Need, action: str) -> None:
    """The actor takes this step on their own side of the need, else OutOfScope (a 404)."""
    if actor.is_superuser:
        return
    side = state.side_of(action)
    if side == state.PARTY and need.agency_id:
        roles = AGENCY_STAFF if action == state.DELIVER else AGENCY_LEADS
        if any(a.agency_id == need.agency_id and a.role in roles for a in user_assignments(actor)):
            return
        raise OutOfScope
    # The place's staff: dispatching and rating, and answering for a community-owned resource.
    q = None
    for assignment in user_assignments(actor):
        if assignment.role in PLACE_STAFF and not assignment.agency_id:
            part = Need.scope_rule.q_for(assignment)
            q = part if q is None else q | part
    if q is None or not Need.objects.filter(pk=need.pk).filter(q).exists():
        raise OutOfScope


def _move(*, actor, need: Need, action: str, changes: dict, note: str = "", event: str):
    """Apply one step: scope, the state machine, then a short transaction that re-reads the
    status under a row lock so two people answering at once cannot both succeed."""
    require(actor, need, VIEW)
    require_side(actor, need, action)
    target = state.next_status(need.status, action)
    # The model's own validators on what the step writes, keyed by the step's input names.
    probe = copy.copy(need)
    for name, value in changes.items():
        setattr(probe, name, value)
    checked = [name for name in changes if name in STEP_FIELDS]
    _fail(field_errors(probe, checked, rename=STEP_FIELDS))
    with transaction.atomic(), set_actor(actor):
        current = (
            Need.objects.select_for_update().filter(pk=need.pk).values_list("status", flat=True)
        )
        state.next_status(current.get(), action)  # someone else moved it meanwhile
        need.status = target
        for name, value in changes.items():
            setattr(need, name, value)
        need.save()
        NeedEvent.objects.create(need=need, kind=event, actor=actor, note=note)
        _tell(actor, need, action)
    return need


STEP_FIELDS = {
    "delivered_on": "delivered_on",
    "delivery_summary": "summary",
    "rating": "rating",
    "rating_comment": "comment",
}


def _tell(actor, need: Need, action: str) -> None:
    """Whoever waits for the next step hears of it: the agency's leads of a dispatch, the
    staff who recorded the need of the agency's answer and of the delivery."""
    from django.urls import reverse

    from shegong.notifications.services import notify
    from shegong.resources.selectors import agency_users

    link = reverse("resources:need_detail", args=[need.pk])
    values = {"number": need.number, "title": need.title}
    if action == state.DISPATCH:
        if need.agency_id is None:
            return
        message = _("Need %(number)s %(title)s was dispatched to your agency.") % values
        recipients = list(agency_users(need.agency, AGENCY_LEADS))
    elif action in (state.CLAIM, state.DECLINE, state.DELIVER):
        message = {
            state.CLAIM: _("Need %(number)s %(title)s was claimed."),
            state.DECLINE: _("Need %(number)s %(title)s was declined: dispatch it again."),
            state.DELIVER: _(
                "Need %(number)s %(title)s was delivered: ask the resident to rate it."
            ),
        }[action] % values
        recipients = [need.raised_by]
    else:
        return
    for user in recipients:
        if user != actor and user.is_active:
            notify(user, message, link)


def _too_long(value: str, field: str, errors: dict) -> None:
    probe = NeedEvent(note=value)
    for message in model_errors(probe, exclude=("need", "kind")).get("note", []):
        errors.setdefault(field, []).append(message)


def need_dispatch(*, actor, need: Need, agency=None, resource=None, note: str = "") -> Need:
    """Send the need to an agency or to a resource (a suggestion accepted is a resource)."""
    require(actor, need, VIEW)
    require_side(actor, need, state.DISPATCH)
    state.next_status(need.status, state.DISPATCH)
    errors: dict = {}
    if (agency is None) == (resource is None):
        errors["agency"] = [_("Choose either an agency or a resource.")]
    elif agency is not None:
        if not agency.is_active or not _in_scope(Agency.objects.for_user(actor, VIEW), agency):
            errors["agency"] = [_("Choose an active agency inside your own scope.")]
    elif not _in_scope(matching.candidates(need), resource):
        errors["resource"] = [_("Choose an active resource that serves this need's community.")]
    _too_long(note, "note", errors)
    _fail(errors)
    party = agency if agency is not None else resource.owner_agency
    return _move(
        actor=actor,
        need=need,
        action=state.DISPATCH,
        changes={"agency": party, "resource": resource, "dispatched_at": timezone.now()},
        note=note,
        event=NeedEventKind.DISPATCHED,
    )


def need_claim(*, actor, need: Need, note: str = "") -> Need:
    errors: dict = {}
    _too_long(note, "note", errors)
    _fail(errors)
    return _move(
        actor=actor,
        need=need,
        action=state.CLAIM,
        changes={"claimed_at": timezone.now()},
        note=note,
        event=NeedEventKind.CLAIMED,
    )


def need_decline(*, actor, need: Need, reason: str = "") -> Need:
    errors: dict = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the need is declined, so it can be dispatched elsewhere.")]
    else:
        _too_long(reason, "reason", errors)
    require(actor, need, VIEW)
    require_side(actor, need, state.DECLINE)
    state.next_status(need.status, state.DECLINE)
    _fail(errors)
    return _move(
        actor=actor,
        need=need,
        action=state.DECLINE,
        changes={"agency": None, "resource": None, "dispatched_at": None},
        note=reason,
        event=NeedEventKind.DECLINED,
    )


def delivery_activities(user, need: Need):
    """Activities a need may be delivered through: ones the user sees serving its community
    that had not ended before the need was raised."""
    from shegong.activities.models import Activity

    return Activity.objects.for_user(user).filter(
        community_id=need.community_id, ends_on__gte=timezone.localdate(need.created_at)
    )


def activity_missing_error() -> ValidationError:
    """An activity not found, or out of the actor's view: the same answer."""
    return ValidationError({"activity": [_("Choose an activity you may see.")]})


def _check_activity(actor, need: Need, activity, errors: dict) -> None:
    from shegong.activities.models import Activity

    if activity is None:
        return
    if not _in_scope(Activity.objects.for_user(actor), activity):
        errors["activity"] = activity_missing_error().message_dict["activity"]
    elif activity.community_id != need.community_id:
        errors["activity"] = [
            _("Choose an activity serving %(community)s, the need's community.")
            % {"community": need.community.name}
        ]
    elif activity.ends_on < timezone.localdate(need.created_at):
        errors["activity"] = [_("This activity had ended before the need was raised.")]


def need_deliver(*, actor, need: Need, delivered_on=None, summary: str = "", activity=None) -> Need:
    """Record the delivery; ``activity``: the activity it was delivered through, if any."""
    require(actor, need, VIEW)
    require_side(actor, need, state.DELIVER)
    state.next_status(need.status, state.DELIVER)
    errors: dict = {}
    today = timezone.localdate()
    if delivered_on is None:
        errors["delivered_on"] = [_("Enter the date the service was delivered.")]
    elif delivered_on > today:
        errors["delivered_on"] = [_("This date cannot be in the future.")]
    elif need.claimed_at and delivered_on < timezone.localdate(need.claimed_at):
        errors["delivered_on"] = [_("The need was delivered before it was claimed?")]
    if not (summary or "").strip():
        errors["summary"] = [_("Summarise what was delivered.")]
    else:
        _too_long(summary, "summary", errors)
    _check_activity(actor, need, activity, errors)
    _fail(errors)
    return _move(
        actor=actor,
        need=need,
        action=state.DELIVER,
        changes={
            "delivered_on": delivered_on,
            "delivery_summary": summary,
            "delivered_activity": activity,
        },
        note=summary,
        event=NeedEventKind.DELIVERED,
    )


def need_rate(*, actor, need: Need, rating=None, comment: str = "") -> Need:
    require(actor, need, VIEW)
    require_side(actor, need, state.RATE)
    state.next_status(need.status, state.RATE)
    errors: dict = {}
    if rating is None or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = [_("Give a rating from 1 to 5.")]
    _too_long(comment or "", "comment", errors)
    _fail(errors)
    return _move(
        actor=actor,
        need=need,
        action=state.RATE,
        changes={"rating": rating, "rating_comment": comment or ""},
        note=comment or "",
        event=NeedEventKind.RATED,
    )


# --- resources ---------------------------------------------------------------------------------

RESOURCE_FIELDS = (
    "name",
    "kind",
    "description",
    "owner_agency",
    "community",
    "capacity",
    "capacity_unit",
    "available_from",
    "available_to",
    "schedule",
    "district_wide",
    "is_active",
)


def may_create_resource(user) -> bool:
    return user.is_superuser or bool(user_roles(user) & (PLACE_STAFF | {"agency_admin"}))


def _directed_agencies(actor):
    """Agencies whose resources the actor keeps: their own as director, any they see as place
    staff."""
    own = {a.agency_id for a in user_assignments(actor) if a.role == "agency_admin"}
    rows = Agency.objects.filter(pk__in=own)
    if works_for_place(actor):
        rows = rows | Agency.objects.for_user(actor, VIEW)
    return rows


def _clean_resource(actor, data: dict, *, instance: Resource | None) -> dict:
    errors: dict = {}
    cleaned = dict(data)
    owner = data.get("owner_agency", instance.owner_agency if instance else None)
    unchanged_owner = instance is not None and owner == instance.owner_agency
    if (
        owner is not None
        and not unchanged_owner
        and not _in_scope(_directed_agencies(actor), owner)
    ):
        errors["owner_agency"] = [_("Choose an agency you manage resources for.")]
    if owner is None and not works_for_place(actor):
        errors["owner_agency"] = [_("Choose your agency as the owner.")]
    if "community" in data:
        community = data["community"]
        moved = instance is None or community != instance.community
        if community is None:
            errors["community"] = [_("Choose a community.")]
        elif moved and owner is None:
            _check_place(actor, community, errors)
        elif (
            moved
            and owner is not None
            and works_for_place(actor)
            and not _in_scope(communities_within(actor), community)
            and community != owner.community
        ):
            # Place staff place an agency's resource inside their own scope, or where the
            # agency itself sits.
            errors["community"] = [_("Choose a community inside your own scope.")]
        elif (
            moved
            and owner is not None
            and not works_for_place(actor)
            and community != owner.community
        ):
            # An agency's own staff cannot put rows into another community's lists: the
            # resource sits where the agency does, and its service area says where it serves.
            errors["community"] = [
                _(
                    "An agency's resource sits in the agency's own community (%(community)s); "
                    "list the communities it serves in its service area."
                )
                % {"community": owner.community.name}
            ]
    if "categories" in data:
        cleaned["categories"] = _categories(data["categories"], errors)
    for name, model in (("service_communities", Community), ("service_streets", Street)):
        if name in data:
            cleaned[name] = list(model.objects.filter(pk__in=[o.pk for o in data[name] or []]))
    _fail(errors)
    return cleaned


def _save_resource(actor, resource: Resource, cleaned: dict) -> Resource:
    for name, value in cleaned.items():
        if name in RESOURCE_FIELDS or name == "categories":
            setattr(resource, name, value)
    errors = model_errors(resource)
    if (
        resource.available_from
        and resource.available_to
        and (resource.available_to < resource.available_from)
    ):
        errors.setdefault("available_to", []).append(
            _("The end of availability comes before its start.")
        )
    _fail(errors)
    with transaction.atomic(), set_actor(actor):
        resource.save()
        if "service_communities" in cleaned:
            resource.service_communities.set(cleaned["service_communities"])
        if "service_streets" in cleaned:
            resource.service_streets.set(cleaned["service_streets"])
    return resource


def resource_create(*, actor, **data) -> Resource:
    if not may_create_resource(actor):
        raise PermissionDenied(_("You may not register resources."))
    if data.get("owner_agency") is not None and data.get("community") is None:
        data["community"] = data["owner_agency"].community
    cleaned = _clean_resource(actor, data, instance=None)
    return _save_resource(actor, Resource(), cleaned)


def resource_update(*, actor, resource: Resource, **data) -> Resource:
    require(actor, resource, CHANGE)
    cleaned = _clean_resource(actor, data, instance=resource)
    return _save_resource(actor, resource, cleaned)


# --- projects ----------------------------------------------------------------------------------

PROJECT_FIELDS = (
    "title",
    "description",
    "community",
    "starts_on",
    "ends_on",
    "status",
    "lead_agency",
)


def project_save(*, actor, project: Project | None = None, **data) -> Project:
    """Create (``project=None``) or change a community project."""
    if project is None:
        if not works_for_place(actor):
            raise PermissionDenied(_("Only community, street or district staff keep projects."))
        project = Project()
    else:
        require(actor, project, CHANGE)
    errors: dict = {}
    if "community" in data and data["community"] != getattr(project, "community", None):
        _check_place(actor, data["community"], errors)
    lead = data.get("lead_agency")
    if (
        lead is not None
        and lead.pk != project.lead_agency_id
        and not _in_scope(Agency.objects.for_user(actor, VIEW), lead)
    ):
        errors["lead_agency"] = [_("Choose an agency inside your own scope.")]
    needs = data.pop("needs", None)
    if needs is not None:
        needs = list(needs)
        seen = Need.objects.for_user(actor, VIEW).filter(pk__in=[n.pk for n in needs])
        community = data.get("community") or getattr(project, "community", None)
        if seen.count() != len({n.pk for n in needs}) or any(
            community is not None and n.community_id != community.pk for n in needs
        ):
            errors["needs"] = [_("Link needs of the project's own community.")]
    if "categories" in data:
        data["categories"] = _categories(data["categories"], errors)
    for name, value in data.items():
        if name in PROJECT_FIELDS or name == "categories":
            setattr(project, name, value)
    errors = {**model_errors(project, exclude=errors.keys()), **errors}
    if project.starts_on and project.ends_on and project.ends_on < project.starts_on:
        errors.setdefault("ends_on", []).append(_("The project ends before it starts."))
    _fail(errors)
    with transaction.atomic(), set_actor(actor):
        project.save()
        if needs is not None:
            project.needs.set(needs)
    return project


# --- small wishes ------------------------------------------------------------------------------

WISH_FIELDS = ("community", "title", "description", "person", "recipient_description", "wanted_by")


class WishTaken(ValidationError):
    """Someone else claimed the wish first (the API answers 409)."""


def wish_post(*, actor, **data) -> Wish:
    if not works_for_place(actor):
        raise PermissionDenied(_("Only community, street or district staff post wishes."))
    errors: dict = {}
    _check_place(actor, data.get("community"), errors)
    _check_person(actor, data.get("person"), errors)
    wish = Wish(posted_by=actor, **{k: v for k, v in data.items() if k in WISH_FIELDS})
    errors = {**model_errors(wish, exclude=errors.keys()), **errors}
    _fail(errors)
    with set_actor(actor):
        wish.save()
    return wish


def wish_claim(*, wish_id: int, name: str, mobile: str, company: str = "") -> Wish:
    """A member of the public or a company takes on an open wish: one claim per wish, however
    many arrive at once (the row is locked and its status checked inside the transaction)."""
    errors: dict = {}
    try:
        mobile = validate_mobile(mobile)
    except ValidationError as exc:
        errors["mobile"] = exc.messages
    probe = Wish(claimant_name=(name or "").strip(), claimant_company=(company or "").strip())
    for field, key in (("claimant_name", "name"), ("claimant_company", "company")):
        messages = model_errors(probe, exclude=()).get(field, [])
        if messages:
            errors[key] = messages
    if not probe.claimant_name:
        errors["name"] = [_("Enter your name.")]
    _fail(errors)
    with transaction.atomic(), set_actor(None):
        wish = Wish.objects.select_for_update().filter(pk=wish_id).first()
        if wish is None:
            raise OutOfScope
        if wish.status != WishStatus.OPEN:
            raise WishTaken(_("Someone has already claimed this wish. Thank you all the same!"))
        wish.status = WishStatus.CLAIMED
        wish.claimant_name = probe.claimant_name
        wish.claimant_mobile = mobile
        wish.claimant_company = probe.claimant_company
        wish.claimed_at = timezone.now()
        wish.save()
    return wish


def wish_fulfil(*, actor, wish: Wish, fulfilled_on: datetime.date | None = None) -> Wish:
    require(actor, wish, CHANGE)
    fulfilled_on = fulfilled_on or timezone.localdate()
    if wish.status != WishStatus.CLAIMED:
        raise ValidationError(_("Only a claimed wish can be confirmed as fulfilled."))
    if fulfilled_on > timezone.localdate():
        raise ValidationError({"fulfilled_on": [_("This date cannot be in the future.")]})
    with transaction.atomic(), set_actor(actor):
        locked = Wish.objects.select_for_update().get(pk=wish.pk)
        if locked.status != WishStatus.CLAIMED:
            raise ValidationError(_("Only a claimed wish can be confirmed as fulfilled."))
        wish.status = WishStatus.FULFILLED
        wish.fulfilled_on = fulfilled_on
        wish.save()
    return wish


__all__ = [
    "NeedStatus",
    "need_claim",
    "need_decline",
    "need_deliver",
    "need_dispatch",
    "need_raise",
    "need_rate",
    "project_save",
    "resource_create",
    "resource_update",
    "wish_claim",
    "wish_fulfil",
    "wish_post",
]
