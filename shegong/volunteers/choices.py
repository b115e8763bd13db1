from django.db import models
from django.utils.translation import gettext_lazy as _


class Skill(models.TextChoices):
    CARE = "care", _("Elderly and child care")
    TEACHING = "teaching", _("Tutoring and teaching")
    MEDICAL = "medical", _("First aid and health")
    LEGAL = "legal", _("Legal advice")
    EVENTS = "events", _("Event support")
    OTHER = "other", _("Other")


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    CANCELLED = "cancelled", _("Cancelled")


class HoursSource(models.TextChoices):
    CHECKIN = "checkin", _("Check-in and check-out")
    STAFF = "staff", _("Entered by staff")


class HoursStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PointsKind(models.TextChoices):
    EARN = "earn", _("Earned")
    SPEND = "spend", _("Exchanged")
