"""Reads of exam preparation, always through the scope.

Questions and results are read by the training administrator of their district (results also
by the person they belong to, through their login); attempts only by the user who took them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from shegong.core.scope import VIEW
from shegong.exams import registry
from shegong.exams.choices import LEVEL_SUBJECTS, AttemptMode, ExamLevel, Subject
from shegong.exams.filters import QuestionFilter, ResultFilter
from shegong.exams.models import Attempt, AttemptItem, ExamResult, Question


def questions_for(user, action: str = VIEW):
    return Question.objects.for_user(user, action)


def question_filter(user, params) -> QuestionFilter:
    return QuestionFilter(params, queryset=questions_for(user))


def question_for_user_or_404(user, pk, action: str = VIEW) -> Question:
    return Question.objects.get_for_user_or_404(user, action, pk=pk)


def attempts_for(user):
    return Attempt.objects.for_user(user)


def attempt_for_user_or_404(user, pk) -> Attempt:
    return Attempt.objects.get_for_user_or_404(user, pk=pk)


def attempt_items(attempt: Attempt) -> list[AttemptItem]:
    return list(attempt.items.select_related("question").order_by("position"))


def results_for(user, action: str = VIEW):
    return ExamResult.objects.for_user(user, action).select_related("person")


def result_filter(user, params) -> ResultFilter:
    return ResultFilter(params, queryset=results_for(user))


def result_for_user_or_404(user, pk, action: str = VIEW) -> ExamResult:
    return ExamResult.objects.select_related("person").get_for_user_or_404(user, action, pk=pk)


@dataclass(frozen=True)
class SubjectProgress:
    """What a learner has done on one paper: questions answered in finished attempts, how many
    right, and the best and latest mock exam percentages."""

    subject: str
    level: str
    attempts: int
    answered: int
    correct: int
    best_mock: int | None
    last_mock: int | None

    @property
    def subject_label(self) -> str:
        return str(Subject(self.subject).label)

    @property
    def level_label(self) -> str:
        return str(ExamLevel(self.level).label)

    @property
    def rate(self) -> int | None:
        return round(100 * self.correct / self.answered) if self.answered else None


def progress_for(user) -> list[SubjectProgress]:
    """Per paper (level and subject) the learner practised: two queries."""
    finished = attempts_for(user).filter(finished_at__isnull=False)
    answers = (
        AttemptItem.objects.for_user(user)
        .filter(attempt__finished_at__isnull=False)
        .exclude(chosen="")
        .values("attempt__level", "attempt__subject")
        .annotate(
            answered=Count("pk"),
            correct=Count("pk", filter=Q(is_correct=True)),
        )
    )
    counted = {(r["attempt__level"], r["attempt__subject"]): r for r in answers}
    papers: dict[tuple[str, str], dict] = {}
    for attempt in finished.order_by("started_at", "pk").only(
        "level", "subject", "mode", "score", "max_score", "started_at"
    ):
        paper = papers.setdefault(
            (attempt.level, attempt.subject), {"attempts": 0, "best": None, "last": None}
        )
        paper["attempts"] += 1
        if attempt.mode == AttemptMode.MOCK and attempt.percent is not None:
            paper["last"] = attempt.percent
            paper["best"] = max(paper["best"] or 0, attempt.percent)
    rows = []
    for level, subjects in LEVEL_SUBJECTS.items():
        for subject in subjects:
            paper = papers.get((level, subject))
            if paper is None:
                continue
            count = counted.get((level, subject), {})
            rows.append(
                SubjectProgress(
                    subject=subject,
                    level=level,
                    attempts=paper["attempts"],
                    answered=count.get("answered", 0),
                    correct=count.get("correct", 0),
                    best_mock=paper["best"],
                    last_mock=paper["last"],
                )
            )
    return rows


@dataclass(frozen=True)
class PassRate:
    label: str
    sat: int
    passed: int
    year: int | None = None
    level: str = ""
    subject: str = ""

    @property
    def rate(self) -> float | None:
        """Percentage passed, one decimal; None when nobody sat."""
        return round(100 * self.passed / self.sat, 1) if self.sat else None


def pass_rates(results, by: tuple[str, ...]) -> list[PassRate]:
    """Results grouped by ``by`` (any of "year", "level", "subject"): one query. Each result is
    one paper sat by one person; the rate is the share of papers passed."""
    rows = (
        results.order_by()
        .values(*by)
        .annotate(sat=Count("pk"), passed_count=Count("pk", filter=Q(passed=True)))
        .order_by(*[f"-{name}" if name == "year" else name for name in by])
    )
    out = []
    for row in rows:
        parts = []
        if "year" in by:
            parts.append(str(row["year"]))
        if "level" in by:
            parts.append(str(ExamLevel(row["level"]).label))
        if "subject" in by:
            parts.append(str(Subject(row["subject"]).label))
        out.append(
            PassRate(
                label=" · ".join(parts),
                sat=row["sat"],
                passed=int(row["passed_count"] or 0),
                year=row.get("year"),
                level=row.get("level", ""),
                subject=row.get("subject", ""),
            )
        )
    return out


@dataclass(frozen=True)
class TraineeComparison:
    year: int
    trainees: PassRate
    others: PassRate


def trainee_comparison(results) -> list[TraineeComparison]:
    """Per exam year, the pass rate of papers sat by trainees (as the registered trainee
    sources say, ``exams.registry``) against everyone else's."""
    by_year: dict[int, list[tuple[int, bool]]] = {}
    for year, person_id, passed in results.order_by().values_list("year", "person_id", "passed"):
        by_year.setdefault(year, []).append((person_id, passed))
    out = []
    for year in sorted(by_year, reverse=True):
        rows = by_year[year]
        trained = registry.trainees({pk for pk, _p in rows}, year)
        t_rows = [passed for pk, passed in rows if pk in trained]
        o_rows = [passed for pk, passed in rows if pk not in trained]
        out.append(
            TraineeComparison(
                year=year,
                trainees=PassRate(label="trainees", sat=len(t_rows), passed=sum(t_rows), year=year),
                others=PassRate(label="others", sat=len(o_rows), passed=sum(o_rows), year=year),
            )
        )
    return out


def last_attempts(user, limit: int = 10):
    return attempts_for(user).order_by("-started_at", "-pk")[:limit]


def bank_counts():
    """Questions in use per paper: what a learner may choose from (no question is shown).

    Not through ``for_user``: the bank is the district's one, kept by its training
    administrator; every learner draws from it, and this returns counts, never a row."""
    rows = (
        Question.objects.filter(is_active=True)
        .values("level", "subject")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(r["level"], r["subject"]): r["n"] for r in rows}
