"""The exams app's workbench: a learner's unfinished quizzes, the bank's size for its keeper."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.registry import Figure, Todo
from shegong.exams.models import Attempt, Question
from shegong.exams.services import may_manage_exams, may_practise


def exam_todos(user):
    """Quizzes and mock exams the user started and has not handed in (still in time)."""
    if not may_practise(user):
        return []
    now = timezone.now()
    open_count = (
        Attempt.objects.for_user(user)
        .filter(finished_at__isnull=True)
        .filter(Q(deadline__isnull=True) | Q(deadline__gt=now))
        .count()
    )
    if not open_count:
        return []
    return [
        Todo(
            label=_("Quizzes to finish"),
            count=open_count,
            url=reverse("exams:attempts") + "?open=1",
            empty=_("Quizzes you start appear here until you hand them in."),
            testid="exam-open-attempts",
        )
    ]


def exam_figures(user):
    if not may_manage_exams(user):
        return []
    counts = Question.objects.for_user(user).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(is_active=True))
    )
    return [
        Figure(
            label=_("Exam questions"),
            value=counts["active"],
            detail=_("in use, of %(n)s in the bank") % {"n": counts["total"]},
            url=reverse("exams:questions") + "?active=true",
            testid="exam-questions",
        )
    ]
