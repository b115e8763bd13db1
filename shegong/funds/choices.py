from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    DONATION = "donation", _("Donation")
    DISBURSEMENT = "disbursement", _("Disbursement")
    REVERSAL = "reversal", _("Reversal")


class DonorType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ORGANISATION = "organisation", _("Company or organisation")


class DonationForm(models.TextChoices):
    MONEY = "money", _("Money")
    IN_KIND = "in_kind", _("Goods in kind")
