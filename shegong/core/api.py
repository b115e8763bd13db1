"""Core's API: the audit trail (the same FilterSets as the audit page, auditors only) and the
holiday calendar (the same services as its page, district administrators only)."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shegong.api.filters import valid_filterset
from shegong.core.filters import AccessLogFilter, ChangeFilter, model_label
from shegong.core.models import CalendarDay
from shegong.core.permissions import require_auditor, require_calendar_keeper
from shegong.core.selectors import (
    access_entries,
    calendar_day_or_404,
    change_entries,
    changed_field_names,
)
from shegong.core.services import calendar_day_add, calendar_day_delete

router = Router(tags=["audit"])

CHANGE_ACTION_NAMES = {0: "create", 1: "update", 2: "delete", 3: "access"}


class AuditQuery(Schema):
    user: str | None = None
    user_id: int | None = None
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


class ChangeOut(Schema):
    id: int
    timestamp: datetime
    actor_id: int | None
    actor: str
    action: str
    action_label: str
    object_type: str
    object_type_label: str
    object_id: str
    object_repr: str
    changed_fields: list[str]
    remote_addr: str | None

    @staticmethod
    def resolve_actor(entry) -> str:
        return str(entry.actor) if entry.actor else ""

    @staticmethod
    def resolve_action(entry) -> str:
        return CHANGE_ACTION_NAMES.get(entry.action, str(entry.action))

    @staticmethod
    def resolve_action_label(entry) -> str:
        return str(entry.get_action_display())

    @staticmethod
    def resolve_object_type(entry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"

    @staticmethod
    def resolve_object_type_label(entry) -> str:
        model = entry.content_type.model_class()
        return str(model._meta.verbose_name) if model else entry.content_type.model

    @staticmethod
    def resolve_object_id(entry) -> str:
        return entry.object_pk

    @staticmethod
    def resolve_changed_fields(entry) -> list[str]:
        return changed_field_names(entry)


class AccessOut(Schema):
    id: int
    created_at: datetime
    user_id: int
    user: str
    action: str
    action_label: str
    object_type: str
    object_type_label: str
    object_id: str
    object_label: str
    detail: str
    ip_address: str | None

    @staticmethod
    def resolve_user(entry) -> str:
        return str(entry.user)

    @staticmethod
    def resolve_action_label(entry) -> str:
        return str(entry.get_action_display())

    @staticmethod
    def resolve_object_type_label(entry) -> str:
        return model_label(entry.object_type)


@router.get("/changes", response=list[ChangeOut], summary="Change history (auditors only)")
@paginate
def changes(request, filters: Query[AuditQuery]):
    require_auditor(request.auth)
    return valid_filterset(ChangeFilter, filters, queryset=change_entries()).qs


@router.get("/access", response=list[AccessOut], summary="Access log (auditors only)")
@paginate
def access(request, filters: Query[AuditQuery]):
    require_auditor(request.auth)
    return valid_filterset(AccessLogFilter, filters, queryset=access_entries()).qs


calendar_router = Router(tags=["calendar"])


class CalendarDayIn(Schema):
    date: date
    kind: CalendarDay.Kind
    name: str


class CalendarDayOut(Schema):
    id: int
    date: date
    kind: str
    kind_label: str
    name: str

    @staticmethod
    def resolve_kind_label(day) -> str:
        return str(day.get_kind_display())


class CalendarQuery(Schema):
    year: int | None = Field(None, ge=1990, le=2099)


@calendar_router.get(
    "/days", response=list[CalendarDayOut], summary="Holiday calendar (district administrators)"
)
@paginate
def calendar_days(request, filters: Query[CalendarQuery]):
    require_calendar_keeper(request.auth)
    days = CalendarDay.objects.order_by("date", "pk")
    if filters.year is not None:
        days = days.filter(date__year=filters.year)
    return days


@calendar_router.post(
    "/days", response={201: CalendarDayOut}, summary="Add a holiday or make-up working day"
)
def calendar_day_create(request, payload: CalendarDayIn):
    require_calendar_keeper(request.auth)
    return Status(201, calendar_day_add(actor=request.auth, **payload.dict()))


@calendar_router.delete(
    "/days/{day_id}", response={204: None}, summary="Take a day off the holiday calendar"
)
def calendar_day_remove(request, day_id: int):
    require_calendar_keeper(request.auth)
    calendar_day_delete(actor=request.auth, day=calendar_day_or_404(day_id))
    return Status(204, None)
