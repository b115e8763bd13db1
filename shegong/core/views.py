import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from shegong.core.filters import AccessLogFilter, ChangeFilter
from shegong.core.forms import CalendarDayForm, apply_service_errors
from shegong.core.models import CalendarDay
from shegong.core.permissions import require_auditor, require_calendar_keeper
from shegong.core.selectors import access_entries, calendar_day_or_404, change_entries
from shegong.core.services import calendar_day_add, calendar_day_delete
from shegong.core.workbench import workbench

logger = logging.getLogger(__name__)


@login_required
def home(request):
    """The workbench: what waits for the user, then the figures of their scope."""
    return render(request, "core/home.html", workbench(request.user))


@never_cache
@require_GET
def healthz(request):
    """200 "ok" when the database answers; 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        # The monitor only sees 503; the operator needs the reason, and it names no person.
        logger.exception("Health check: the database does not answer.")
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


AUDIT_PER_PAGE = 50


def _audit_page(request, *, tab: str, filterset, template: str):
    # A filter with bad input shows its errors and no rows: an unfiltered list would look like
    # the answer to the question the auditor asked.
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(rows, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, template, {"tab": tab, "filter": filterset, "page_obj": page})


@login_required
@require_GET
def audit_changes(request):
    """Change history of every tracked model (read-only, auditors only)."""
    require_auditor(request.user)
    filterset = ChangeFilter(request.GET, queryset=change_entries())
    return _audit_page(
        request, tab="changes", filterset=filterset, template="core/audit_changes.html"
    )


@login_required
@require_GET
def audit_access(request):
    """Reads of sensitive data: unmasked views and exports (read-only, auditors only)."""
    require_auditor(request.user)
    filterset = AccessLogFilter(request.GET, queryset=access_entries())
    return _audit_page(
        request, tab="access", filterset=filterset, template="core/audit_access.html"
    )


def permission_denied(request, exception=None):
    """Forbidden looks exactly like missing (DESIGN §4.2): same status, same page."""
    return render(request, "404.html", status=404)


# --- the holiday calendar ------------------------------------------------------------------------


def _calendar_page(request, form, *, status=200):
    years = sorted({d.year for d in CalendarDay.objects.dates("date", "year")}, reverse=True)
    year = timezone.localdate().year
    asked = request.GET.get("year", "")
    if asked.isdigit() and 1990 <= int(asked) <= 2099:
        year = int(asked)
    days = CalendarDay.objects.filter(date__year=year).order_by("date")
    context = {"form": form, "days": days, "year": year, "years": years}
    return render(request, "core/calendar.html", context, status=status)


@login_required
@require_GET
def calendar(request):
    """The holiday calendar of one year (district administrators only): what the working-day
    count of 公示 and other periods skips, and the weekend days it counts."""
    require_calendar_keeper(request.user)
    return _calendar_page(request, CalendarDayForm())


@login_required
@require_POST
def calendar_new(request):
    require_calendar_keeper(request.user)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        try:
            day = calendar_day_add(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(day)s is on the calendar.") % {"day": day})
            return redirect(f"{reverse('core:calendar')}?year={day.date.year}")
    return _calendar_page(request, form, status=400)


@login_required
@require_POST
def calendar_delete(request, pk):
    require_calendar_keeper(request.user)
    day = calendar_day_or_404(pk)
    calendar_day_delete(actor=request.user, day=day)
    messages.success(request, _("%(day)s was taken off the calendar.") % {"day": day})
    return redirect(f"{reverse('core:calendar')}?year={day.date.year}")
