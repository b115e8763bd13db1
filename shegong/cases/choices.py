from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """MZ/T 094-2017: 接案 → 预估 → 计划 → 介入 → 评估 → 结案."""

    INTAKE = "intake", _("Intake")
    ASSESSMENT = "assessment", _("Assessment")
    PLANNING = "planning", _("Service plan")
    INTERVENTION = "intervention", _("Intervention")
    EVALUATION = "evaluation", _("Evaluation")
    CLOSURE_PENDING = "closure_pending", _("Closure awaiting approval")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = frozenset(set(CaseStatus) - {CaseStatus.CLOSED})


class CaseSource(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    REFERRAL = "referral", _("Referral")
    OUTREACH = "outreach", _("Outreach")
    COMMUNITY = "community", _("Community")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRISIS = "crisis", _("Crisis")


def choice_rank(field: str, choices: type[models.TextChoices]) -> models.Case:
    """The field's value as its position in ``choices`` (1, 2, ...), so a sort follows the
    order of the levels or steps rather than the alphabetical order of the stored values."""
    return models.Case(
        *(models.When(**{field: value}, then=rank) for rank, value in enumerate(choices, 1)),
        default=0,
        output_field=models.IntegerField(),
    )


def risk_rank() -> models.Case:
    return choice_rank("risk_level", RiskLevel)


class NeedDomain(models.TextChoices):
    """Structured assessment domains."""

    LIVELIHOOD = "livelihood", _("Livelihood and income")
    HEALTH = "health", _("Physical health")
    MENTAL = "mental", _("Mental health")
    FAMILY = "family", _("Family relationships")
    CARE = "care", _("Daily care")
    EDUCATION = "education", _("Education and schooling")
    EMPLOYMENT = "employment", _("Employment")
    HOUSING = "housing", _("Housing")
    SOCIAL = "social", _("Social support")
    SAFETY = "safety", _("Safety")
    LEGAL = "legal", _("Legal matters")


class NeedLevel(models.TextChoices):
    NONE = "none", _("No need")
    SOME = "some", _("Some need")
    HIGH = "high", _("High need")


class ContactMethod(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    OFFICE = "office", _("Office interview")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online")
    OUTREACH = "outreach", _("Outreach")
    ACCOMPANY = "accompany", _("Accompaniment")
    CASE_MEETING = "case_meeting", _("Case meeting")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


class Attainment(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class ClosureReason(models.TextChoices):
    GOALS_ACHIEVED = "goals_achieved", _("Goals achieved")
    CLIENT_WITHDREW = "client_withdrew", _("Client withdrew")
    REFERRED = "referred", _("Referred elsewhere")
    MOVED_AWAY = "moved_away", _("Client moved away")
    DECEASED = "deceased", _("Client deceased")
    OTHER = "other", _("Other")


class ReviewKind(models.TextChoices):
    PLAN = "plan", _("Service plan")
    CLOSURE = "closure", _("Closure")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Worker changed")
    REFERRED = "referred", _("Referral sent")
    REFERRAL_DECIDED = "referral_decided", _("Referral answered")
    REVIEW = "review", _("Supervisor decision")
    REOPENED = "reopened", _("Case reopened")


class TaiwanItem(models.TextChoices):
    """The personal-file checklist for Taiwan compatriots (台胞个人档案)."""

    DOCUMENTS = "documents", _("Identity documents and permits")
    RESIDENCE = "residence", _("Residence registration")
    SCHOOLING = "schooling", _("Children's schooling")
    EMPLOYMENT = "employment", _("Employment")
    STARTUP = "startup", _("Start-up plans and subsidies")


class ItemStatus(models.TextChoices):
    NOT_STARTED = "todo", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_NEEDED = "not_needed", _("Not needed")
