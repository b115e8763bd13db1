"""Exam preparation: the question bank, practice and mock attempts, national exam results."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.models import BaseModel
from shegong.core.scope import ScopedManager, ScopeRule
from shegong.core.validators import (
    long_text_length,
    multi_line_text,
    single_line_text,
    visible_text,
)
from shegong.exams.choices import AttemptMode, ExamLevel, QuestionKind, Subject

# The academy's administrator keeps the bank and the results, for the district they are bound to.
EXAM_ADMINS = frozenset({"training_admin"})
# Anyone with a login may read their own results: the roles any account holds.
ANY_ROLE = frozenset(
    {
        "district_admin",
        "street_admin",
        "community_staff",
        "agency_admin",
        "supervisor",
        "social_worker",
        "training_admin",
        "evaluator",
        "volunteer",
        "auditor",
    }
)
FIRST_EXAM_YEAR = 2008  # the national social-worker exam began in 2008


class Question(BaseModel):
    """One exam question. The bank belongs to the district whose academy keeps it."""

    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
    )
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    level = models.CharField(_("level"), max_length=16, choices=ExamLevel.choices)
    kind = models.CharField(_("question type"), max_length=10, choices=QuestionKind.choices)
    stem = models.TextField(
        _("question"), validators=[multi_line_text, visible_text, MaxLengthValidator(2000)]
    )
    option_a = models.CharField(_("option A"), max_length=300, validators=[single_line_text])
    option_b = models.CharField(_("option B"), max_length=300, validators=[single_line_text])
    option_c = models.CharField(
        _("option C"), max_length=300, blank=True, validators=[single_line_text]
    )
    option_d = models.CharField(
        _("option D"), max_length=300, blank=True, validators=[single_line_text]
    )
    option_e = models.CharField(
        _("option E"), max_length=300, blank=True, validators=[single_line_text]
    )
    # The letters of the right options, in order ("B", "ACD").
    answer = models.CharField(_("correct answer"), max_length=5, validators=[single_line_text])
    explanation = models.TextField(_("explanation"), validators=[multi_line_text, long_text_length])
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(roles={"view": EXAM_ADMINS, "change": EXAM_ADMINS}, district="district")

    class Meta:
        ordering = ["subject", "level", "pk"]
        verbose_name = _("exam question")
        verbose_name_plural = _("exam questions")
        indexes = [models.Index(fields=["subject", "level", "is_active"])]

    def __str__(self):
        return f"Q{self.pk:05d}" if self.pk else "Q"

    @property
    def number(self) -> str:
        return str(self)

    @property
    def options(self) -> list[tuple[str, str]]:
        """(letter, text) of the options the question has."""
        texts = (self.option_a, self.option_b, self.option_c, self.option_d, self.option_e)
        return [(letter, text) for letter, text in zip("ABCDE", texts, strict=True) if text]


class Attempt(BaseModel):
    """One practice quiz or mock exam taken by one user: theirs alone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exam_attempts",
        verbose_name=_("user"),
    )
    mode = models.CharField(_("quiz mode"), max_length=10, choices=AttemptMode.choices)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    level = models.CharField(_("level"), max_length=16, choices=ExamLevel.choices)
    started_at = models.DateTimeField(_("started at"))
    # Mock exams only: answers recorded after this instant are not counted.
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    max_score = models.PositiveIntegerField(_("full marks"), default=0)
    correct_count = models.PositiveIntegerField(_("correct answers"), null=True, blank=True)

    objects = ScopedManager()
    scope_rule = ScopeRule(roles={}, own="user", owner_only=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("exam attempt")
        verbose_name_plural = _("exam attempts")

    def __str__(self):
        return f"{self.get_mode_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> int | None:
        if self.score is None or not self.max_score:
            return None
        return round(100 * self.score / self.max_score)


class AttemptItem(BaseModel):
    """One question of an attempt and the answer given to it."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="items", verbose_name=_("attempt")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    chosen = models.CharField(
        _("answer given"), max_length=5, blank=True, validators=[single_line_text]
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    is_correct = models.BooleanField(_("correct"), null=True, blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=0)

    objects = ScopedManager()
    scope_rule = ScopeRule(roles={}, own="attempt__user", owner_only=True)

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("attempt answer")
        verbose_name_plural = _("attempt answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="exams_item_position")
        ]

    def __str__(self):
        return f"{self.attempt_id}/{self.position}"


class ExamResult(BaseModel):
    """A person's result in one paper of the national social-worker exam of one year."""

    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="exam_results",
        verbose_name=_("person"),
    )
    year = models.PositiveSmallIntegerField(
        _("exam year"), validators=[MinValueValidator(FIRST_EXAM_YEAR), MaxValueValidator(2099)]
    )
    level = models.CharField(_("level"), max_length=16, choices=ExamLevel.choices)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    passed = models.BooleanField(_("passed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": EXAM_ADMINS, "change": EXAM_ADMINS},
        district="district",
        own="person__user_account",
        own_roles={"view": ANY_ROLE},
    )

    class Meta:
        ordering = ["-year", "level", "subject", "pk"]
        verbose_name = _("national exam result")
        verbose_name_plural = _("national exam results")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "level", "subject"], name="exams_result_once"
            )
        ]
        indexes = [models.Index(fields=["year", "level", "subject"])]

    def __str__(self):
        return f"{self.year} {self.get_subject_display()}"
