"""Choices of the three lists (需求清单 / 资源清单 / 项目清单) and small wishes (微心愿)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    """What a need is about and what a resource or project serves: one list for all three."""

    ELDERLY = "elderly", _("Elderly care")
    DISABILITY = "disability", _("Disability support")
    MINORS = "minors", _("Minors")
    HARDSHIP = "hardship", _("Hardship relief")
    EMPLOYMENT = "employment", _("Employment")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    ENVIRONMENT = "environment", _("Environment")
    CULTURE = "culture", _("Culture and sports")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class NeedSource(models.TextChoices):
    RESIDENT = "resident", _("Raised by a resident")
    STAFF = "staff", _("Recorded by community staff")
    VISIT = "visit", _("Found on a home visit")


class NeedStatus(models.TextChoices):
    RAISED = "raised", _("Raised")
    DISPATCHED = "dispatched", _("Dispatched")
    CLAIMED = "claimed", _("Claimed")
    DELIVERED = "delivered", _("Delivered")
    RATED = "rated", _("Rated")


class NeedEventKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    DISPATCHED = "dispatched", _("Dispatched")
    CLAIMED = "claimed", _("Claimed")
    DECLINED = "declined", _("Declined")
    DELIVERED = "delivered", _("Delivered")
    RATED = "rated", _("Rated")


class ResourceKind(models.TextChoices):
    VENUE = "venue", _("Venue")
    GOODS = "goods", _("Goods")
    FUNDS = "funds", _("Funds")
    VOLUNTEER_TEAM = "volunteer_team", _("Volunteer team")
    PROFESSIONAL = "professional", _("Professional service")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class WishStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("wish", "Open")
    CLAIMED = "claimed", _("Claimed")
    FULFILLED = "fulfilled", _("Fulfilled")
