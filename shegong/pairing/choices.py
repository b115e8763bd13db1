from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class Side(models.TextChoices):
    COMMUNITY = "community", _("Community")
    AGENCY = "agency", _("Agency")
