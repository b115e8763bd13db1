from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    GROUP = "group", _("Group work (小组)")
    COMMUNITY = "community", _("Community activity (社区活动)")


class ActivityCategory(models.TextChoices):
    ELDERLY = "elderly", _("Older people")
    CHILDREN = "children", _("Children and youth")
    FAMILY = "family", _("Families and women")
    DISABILITY = "disability", _("People with disabilities")
    HEALTH = "health", _("Health and wellbeing")
    CULTURE = "culture", _("Culture and sport")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood and integration")
    VOLUNTEERING = "volunteering", _("Volunteering")
    OTHER = "other", _("Other")


class GroupStage(models.TextChoices):
    """The stages of group work (MZ/T 095-2017): 筹备 → 形成 → 转折 → 成熟 → 结束."""

    PREPARING = "preparing", _("Preparing (筹备)")
    FORMING = "forming", _("Forming (形成)")
    TRANSITION = "transition", _("Transition (转折)")
    MATURE = "mature", _("Mature (成熟)")
    ENDED = "ended", _("Ended (结束)")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceSource(models.TextChoices):
    STAFF = "staff", _("Marked by staff")
    CHECKIN = "checkin", _("Checked in by QR code")
    IMPORT = "import", _("Imported")
