from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    UNKNOWN = "unknown", _("Unknown")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID card")
    TAIWAN_PERMIT = "tw_permit", _("Residence permit (Taiwan)")
    HK_PERMIT = "hk_permit", _("Residence permit (Hong Kong)")
    MACAU_PERMIT = "mo_permit", _("Residence permit (Macau)")
    PASSPORT = "passport", _("Passport")


# Residence permits for Hong Kong, Macau and Taiwan residents follow GB 11643 with these
# area prefixes (国务院办公厅 2018) instead of a mainland area code.
PERMIT_PREFIX = {
    IdType.HK_PERMIT: "810000",
    IdType.MACAU_PERMIT: "820000",
    IdType.TAIWAN_PERMIT: "830000",
}


class ConsentKind(models.TextChoices):
    SEPARATE = "separate", _("Separate consent (单独同意)")
    GUARDIAN = "guardian", _("Guardian consent for a minor")


class ConsentScope(models.TextChoices):
    PERSONAL_DATA = "personal_data", _("Processing of personal data")
    SENSITIVE_DATA = "sensitive_data", _("Sensitive data (health, minors)")
    SHARING = "sharing", _("Sharing with partner organisations")
    PHOTOS = "photos", _("Photos and publicity")
