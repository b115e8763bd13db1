from django.db import models
from django.utils.translation import gettext_lazy as _


class ExamLevel(models.TextChoices):
    JUNIOR = "junior", _("Junior")
    INTERMEDIATE = "intermediate", _("Intermediate")
    SENIOR = "senior", _("Senior")


class Subject(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Social work comprehensive competence")
    PRACTICE = "practice", _("Social work practice")
    LAW_POLICY = "law_policy", _("Social work law and policy")
    SENIOR_PRACTICE = "senior_practice", _("Senior social work practice")


# Which subjects each level's national exam has: the junior exam has two papers, the
# intermediate adds law and policy, the senior exam has its own practice paper (plus a review).
LEVEL_SUBJECTS = {
    ExamLevel.JUNIOR: (Subject.COMPREHENSIVE, Subject.PRACTICE),
    ExamLevel.INTERMEDIATE: (Subject.COMPREHENSIVE, Subject.PRACTICE, Subject.LAW_POLICY),
    ExamLevel.SENIOR: (Subject.SENIOR_PRACTICE,),
}


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")


class AttemptMode(models.TextChoices):
    PRACTICE = "practice", _("Practice quiz")
    MOCK = "mock", _("Mock exam")


# Points per question, as in the national exam: a single-choice question is worth one point, a
# multiple-choice question two, and only an answer with exactly the right options scores.
POINTS = {QuestionKind.SINGLE: 1, QuestionKind.MULTIPLE: 2}
# A mock exam is passed at 60 % of its points, the national exam's usual line.
MOCK_PASS_PERCENT = 60
OPTION_LETTERS = ("A", "B", "C", "D", "E")
