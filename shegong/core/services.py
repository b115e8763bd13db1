"""Writes of core's own data: the holiday calendar (``CalendarDay``), kept by the district's
administrators. Each write is checked, saved in one transaction and in the change history."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
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
            errors["date"] = [_already_there(date)]
        if kind == CalendarDay.Kind.WORKDAY and date.weekday() < 5:
            # Monday to Friday are worked anyway: such a row would change nothing.
            errors.setdefault("kind", []).append(
                _("A make-up working day is a Saturday or a Sunday; %(date)s is a weekday.")
                % {"date": date.isoformat()}
            )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic(), set_actor(actor):
            day.save()
    except IntegrityError:
        # The same date added by a concurrent request since the check above.
        raise ValidationError({"date": [_already_there(date)]}) from None
    return day


def _already_there(date: datetime.date) -> str:
    return _("%(date)s is already on the calendar; delete it first to change it.") % {
        "date": date.isoformat()
    }


def calendar_day_delete(*, actor, day: CalendarDay) -> None:
    """Take a day off the calendar: it is an ordinary weekday or weekend day again. Periods
    already counted (a 公示 under way) keep the end date they were given."""
    require_calendar_keeper(actor)
    with transaction.atomic(), set_actor(actor):
        # Locked and read again: a concurrent deletion of the same day answers "not found"
        # instead of a second deletion in the change history.
        locked = CalendarDay.objects.select_for_update().filter(pk=day.pk).first()
        if locked is None:
            raise Http404
        locked.delete()
