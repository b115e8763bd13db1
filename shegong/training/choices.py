from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassLevel(models.TextChoices):
    JUNIOR = "junior", _("Junior")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class SessionMode(models.TextChoices):
    OFFLINE = "offline", _("Offline")
    ONLINE = "online", _("Online live")
    HYBRID = "hybrid", _("Hybrid")


class EmployerType(models.TextChoices):
    GOVERNMENT = "government", _("Government body")
    ENTERPRISE = "enterprise", _("Enterprise or public institution")
    SOCIAL_ORG = "social_org", _("Social organisation")
    COMMUNITY = "community", _("Community")
    OTHER = "other", _("Other")


class EnrolmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    CANCELLED = "cancelled", _("Cancelled")


class TrainingAttendanceSource(models.TextChoices):
    CHECKIN = "checkin", _("QR check-in")
    STAFF = "staff", _("Marked by staff")
