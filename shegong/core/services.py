"""Writes of core's own data: the holiday calendar (``CalendarDay``), kept by the district's
administrators. Each write is checked, saved in one transaction and in the change history."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.core.models import CalendarDay
from shegong.core.permissions import require_calendar_keeper
from shegong.core.validators import model_errors


def calendar_day_add(*, actor, date, kind, name) -> CalendarDay:
    """Put one holiday or make-up working day on the calendar."""
    require_calendar_keeper(actor)
    name = (name or "").strip()
    day = CalendarDay(date=date, kind=kind, name=name)
    errors = model_errors(day)
    if isinstance(date, datetime.date):
        if CalendarDay.objects.filter(date=date).exists():
            # In place of the model's generic uniqueness message: say what to do instead.
            errors["date"] = [
                _("%(date)s is already on the calendar; delete it first to change it.")
                % {"date": date.isoformat()}
            ]
        if kind == CalendarDay.Kind.WORKDAY and date.weekday() < 5:
            # Monday to Friday are worked anyway: such a row would change nothing.
            errors.setdefault("kind", []).append(
                _("A make-up working day is a Saturday or a Sunday; %(date)s is a weekday.")
                % {"date": date.isoformat()}
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        day.save()
    return day


def calendar_day_delete(*, actor, day: CalendarDay) -> None:
    """Take a day off the calendar: it is an ordinary weekday or weekend day again. Periods
    already counted (a 公示 under way) keep the end date they were given."""
    require_calendar_keeper(actor)
    with transaction.atomic(), set_actor(actor):
        day.delete()
