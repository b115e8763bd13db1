from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    SOCIAL_WORK = "social_work", _("Social-work agency")
    SOCIAL_ORGANISATION = "social_org", _("Other social organisation")
    FOUNDATION = "foundation", _("Charitable foundation")
