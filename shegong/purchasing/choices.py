from django.db import models
from django.utils.translation import gettext_lazy as _


class Gate(models.TextChoices):
    """What must hold before a payment tranche may be paid."""

    SIGNING = "signing", _("Contract signed")
    MIDTERM = "midterm", _("Mid-term evaluation grade")
    FINAL = "final", _("Final evaluation grade")


class Stage(models.TextChoices):
    MIDTERM = "midterm", _("Mid-term evaluation")
    FINAL = "final", _("Final evaluation")


class Grade(models.TextChoices):
    """Grade bands of the performance-evaluation guide, lowest first (their rank is their order)."""

    FAIL = "fail", _("Fail (不合格)")
    PASS = "pass", _("Pass (合格)")
    GOOD = "good", _("Good (良好)")
    EXCELLENT = "excellent", _("Excellent (优秀)")


GRADE_RANK = {grade.value: rank for rank, grade in enumerate(Grade)}

# Lowest total score (weighted, 0–100) of each band, highest band first.
GRADE_BANDS = ((90, Grade.EXCELLENT), (80, Grade.GOOD), (60, Grade.PASS), (0, Grade.FAIL))


def grade_for(total) -> str:
    for floor, grade in GRADE_BANDS:
        if total >= floor:
            return grade.value
    return Grade.FAIL.value
