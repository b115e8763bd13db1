from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from shegong.notifications.models import Notification
from shegong.notifications.selectors import notification_list, unread_count
from shegong.notifications.services import notification_mark_read, notifications_mark_all_read

PER_PAGE = 20
HTMX_STOP_POLLING = 286  # htmx stops an "every 60s" trigger when it receives this status


@login_required
@require_GET
def notification_index(request):
    only_unread = request.GET.get("unread") == "1"
    page = Paginator(notification_list(request.user, only_unread=only_unread), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page_obj": page,
            "only_unread": only_unread,
            "unread_count": unread_count(request.user),
        },
    )


@never_cache
@require_GET
def bell(request):
    """The bell's badge, loaded by htmx after the page and every minute, so ordinary page
    renders never pay for the count query."""
    if not request.user.is_authenticated:
        # The session ended while the page stayed open: stop polling instead of swapping the
        # login page into the top bar.
        return HttpResponse("", status=HTMX_STOP_POLLING)
    return render(request, "notifications/_bell.html", {"unread_count": unread_count(request.user)})


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark a notification read and follow its link (back to the list when it has none)."""
    notification = Notification.objects.get_for_user_or_404(request.user, pk=pk)
    notification_mark_read(actor=request.user, notification=notification)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(link)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("Marked %(count)s notifications as read.") % {"count": count})
    return redirect("notifications:list")
