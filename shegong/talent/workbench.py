"""Workbench items of talent: reviewers' queues, the district's notices to end and payments
due, a worker's returned applications and an agency director's own organisation's. Each in one
query."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.core.registry import Todo
from shegong.talent import selectors
from shegong.talent.choices import ApplicationStatus
from shegong.talent.models import Application, Payment
from shegong.talent.services.common import roles_of, today

REVIEWERS = {"agency_admin", "street_admin", "district_admin"}


def talent_todos(user) -> list[Todo]:
    roles = roles_of(user)
    todos = []
    base = reverse("talent:application_list")
    if roles & REVIEWERS:
        waiting = selectors.review_queue(user).count()
        todos.append(
            Todo(
                _("Talent applications to review"),
                waiting,
                f"{base}?queue=1",
                empty=_("Applications arrive here when it is your step in their review."),
                testid="todo-talent-review",
            )
        )
    if "district_admin" in roles:
        day = today()
        counts = Application.objects.for_user(user).aggregate(
            notices=Count("pk", filter=Q(status=ApplicationStatus.IN_NOTICE, notice_ends__lt=day))
        )
        due = Payment.objects.for_user(user).filter(paid_on__isnull=True, due_on__lte=day).count()
        todos.append(
            Todo(
                _("Public notices to end"),
                counts["notices"],
                f"{base}?status=in_notice",
                empty=_("Approved applications wait here once their public notice has run."),
                testid="todo-talent-notices",
            )
        )
        todos.append(
            Todo(
                _("Talent payments due"),
                due,
                f"{base}?status=scheduled",
                empty=_("Instalments appear here on their due day."),
                testid="todo-talent-payments",
            )
        )
    if "agency_admin" in roles:
        # The director's own organisation's applications (a policy for organisations).
        from shegong.talent.services import filing_agency_ids

        returned = Application.objects.filter(
            applicant_agency_id__in=filing_agency_ids(user), status=ApplicationStatus.RETURNED
        ).count()
        todos.append(
            Todo(
                _("Your organisation's applications returned"),
                returned,
                f"{base}?status=returned",
                empty=_(
                    "Applications your agency filed for itself come back here if a reviewer "
                    "asks for changes."
                ),
                testid="todo-talent-agency-returned",
            )
        )
    if "social_worker" in roles:
        returned = Application.objects.filter(
            applicant_user=user, status=ApplicationStatus.RETURNED
        ).count()
        todos.append(
            Todo(
                _("Applications returned to you"),
                returned,
                f"{base}?status=returned",
                empty=_("Your talent applications come back here if a reviewer asks for changes."),
                testid="todo-talent-returned",
            )
        )
    return todos
