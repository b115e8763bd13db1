from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class QualificationLevel(models.TextChoices):
    """National social-work qualification levels, lowest first; a Taiwan licence is its own kind
    (a policy's criterion says what level it counts as)."""

    ASSISTANT = "assistant", _("Assistant social worker (助理社会工作师)")
    INTERMEDIATE = "intermediate", _("Social worker (社会工作师)")
    SENIOR = "senior", _("Senior social worker (高级社会工作师)")
    TAIWAN = "taiwan", _("Taiwan social-worker licence")


# Rank of the national levels; the Taiwan licence has none of its own.
LEVEL_RANK = {
    QualificationLevel.ASSISTANT: 1,
    QualificationLevel.INTERMEDIATE: 2,
    QualificationLevel.SENIOR: 3,
}


class Title(models.TextChoices):
    LEADING = "leading", _("Leading talent (领军人才)")
    TOP = "top", _("Top talent (拔尖人才)")


class TitleTier(models.TextChoices):
    CITY = "city", _("City level")
    DISTRICT = "district", _("District level")


class PolicyKind(models.TextChoices):
    SUBSIDY = "subsidy", _("Subsidy")
    SELECTION = "selection", _("Title selection")


class ApplicantKind(models.TextChoices):
    WORKER = "worker", _("Social worker")
    AGENCY = "agency", _("Agency (nomination)")
    RESIDENT = "resident", _("Resident")
    # The agency itself applies (rent relief in the park, a new organisation's grant), filed by
    # its director; the other kinds name a person.
    ORGANISATION = "organisation", _("Organisation (the agency itself)")


class AmountBasis(models.TextChoices):
    FLAT = "flat", _("One amount for everyone")
    LEVEL = "level", _("By qualification level")
    TITLE = "title", _("By title")


class PaymentMode(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    MONTHLY = "monthly", _("Monthly")


class ReviewRole(models.TextChoices):
    AGENCY = "agency_admin", _("Agency confirms")
    STREET = "street_admin", _("Street reviews")
    DISTRICT = "district_admin", _("District approves")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for changes")
    REJECTED = "rejected", _("Rejected")
    IN_NOTICE = "in_notice", _("Public notice (公示)")
    SCHEDULED = "scheduled", _("Payment scheduled")
    PAID = "paid", _("Paid out")
    GRANTED = "granted", _("Title granted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses in which an application holds its place under the policy: a second one for the same
# person is refused (a partial unique constraint says so too).
ACTIVE_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.RETURNED,
    ApplicationStatus.IN_NOTICE,
    ApplicationStatus.SCHEDULED,
    ApplicationStatus.PAID,
    ApplicationStatus.GRANTED,
)
# Statuses whose amount is committed against the policy's budget.
COMMITTED_STATUSES = (
    ApplicationStatus.IN_NOTICE,
    ApplicationStatus.SCHEDULED,
    ApplicationStatus.PAID,
)


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for changes")
    REJECT = "reject", _("Reject")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class CpdReview(models.TextChoices):
    """Where a hand-recorded continuing-education entry stands: only accepted hours count."""

    PENDING = "pending", pgettext_lazy("cpd", "Awaiting review")
    ACCEPTED = "accepted", pgettext_lazy("cpd", "Accepted")
    REJECTED = "rejected", pgettext_lazy("cpd", "Not accepted")
