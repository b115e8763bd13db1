"""Reads of pairing agreements: always through the scope."""

from django.db.models import Count, Q
from django.utils import timezone

from shegong.core.scope import CHANGE, VIEW
from shegong.pairing.choices import AgreementStatus
from shegong.pairing.filters import AgreementFilter
from shegong.pairing.models import Commitment, PairingAgreement


def agreements_for(user, action: str = VIEW):
    return PairingAgreement.objects.for_user(user, action).select_related(
        "community__street", "agency"
    )


def agreement_filter(user, params) -> AgreementFilter:
    return AgreementFilter(params, queryset=agreements_for(user), user=user)


def agreement_for_user_or_404(user, pk, action: str = VIEW) -> PairingAgreement:
    return PairingAgreement.objects.select_related(
        "community__street", "agency"
    ).get_for_user_or_404(user, action, pk=pk)


def may_manage(user, agreement: PairingAgreement) -> bool:
    return PairingAgreement.objects.for_user(user, CHANGE).filter(pk=agreement.pk).exists()


def commitments_of(user, agreement: PairingAgreement):
    return Commitment.objects.for_user(user).filter(agreement=agreement).select_related("done_by")


def commitment_for_user_or_404(user, agreement: PairingAgreement, pk) -> Commitment:
    return Commitment.objects.select_related("agreement__community__street").get_for_user_or_404(
        user, agreement=agreement, pk=pk
    )


def reviews_due(user):
    """Active agreements the user reviews that have no review for the current year yet."""
    return AgreementFilter(
        {"review_due": "true"}, queryset=PairingAgreement.objects.for_user(user, CHANGE)
    ).qs


def overdue_commitments(user, sides: set[str] | None = None):
    rows = Commitment.objects.for_user(user, CHANGE).filter(
        agreement__status=AgreementStatus.ACTIVE,
        done=False,
        due_on__lt=timezone.localdate(),
    )
    return rows if sides is None else rows.filter(side__in=sides)


JOINT_ACTIVITIES_SHOWN = 20


def joint_activities_of(user, agreement: PairingAgreement):
    """The agreement's joint activities the user may see, latest first, with their sessions and
    person-times. Read through the reverse relation the activities app declares, so this app
    names nothing above it."""
    return (
        agreement.joint_activities.for_user(user)
        .annotate(
            session_count=Count("sessions", distinct=True),
            person_times=Count("sessions__attendances", distinct=True),
        )
        .order_by("-starts_on", "-id")
    )


def agreement_counts(user) -> dict:
    return PairingAgreement.objects.for_user(user).aggregate(
        active=Count("pk", filter=Q(status=AgreementStatus.ACTIVE)),
        total=Count("pk"),
        urban=Count("pk", filter=Q(status=AgreementStatus.ACTIVE, community__urban_village=True)),
    )
