"""The finance office's spreadsheets for one policy's batch: the approved list (everyone past
the district's approval) and the payment summary (each instalment, paid or due). Names and
amounts only: no ID number or mobile leaves in them. An organisation applying for itself is
named in full in both columns, the payee and its agency."""

from django.utils.translation import gettext as _

from shegong.core.exports import xlsx_export
from shegong.talent.choices import ApplicationStatus
from shegong.talent.models import Application, Payment


def _agency_name(application) -> str:
    if application.applicant_agency_id is not None:
        return application.applicant_agency.name
    return application.agency.name if application.agency_id else ""


APPROVED = (
    ApplicationStatus.IN_NOTICE,
    ApplicationStatus.SCHEDULED,
    ApplicationStatus.PAID,
    ApplicationStatus.GRANTED,
)


def approved_xlsx(policy, *, user, request=None) -> bytes:
    rows = (
        Application.objects.filter(policy=policy, status__in=APPROVED)
        .select_related("profile__person", "applicant_agency", "agency")
        .order_by("number")
    )
    return xlsx_export(
        rows.iterator(chunk_size=500),
        cells=lambda a: [
            a.number,
            a.applicant_name,
            _agency_name(a),
            str(a.get_status_display()),
            a.amount,
            a.notice_starts,
            a.notice_ends,
        ],
        sheet_title=_("Approved list"),
        headers=[
            _("Number"),
            _("Name"),
            _("Agency"),
            _("Status"),
            _("Amount (yuan)"),
            _("Public notice from"),
            _("Public notice until"),
        ],
        object_type="talent.Application",
        user=user,
        request=request,
        filters=f"policy={policy.pk}",
    )


def payments_xlsx(policy, *, user, request=None) -> bytes:
    rows = (
        Payment.objects.filter(policy=policy)
        .select_related(
            "application__profile__person",
            "application__applicant_agency",
            "application__agency",
        )
        .order_by("application__number", "instalment")
    )
    return xlsx_export(
        rows.iterator(chunk_size=500),
        cells=lambda p: [
            p.application.number,
            p.application.applicant_name,
            _agency_name(p.application),
            p.instalment,
            p.due_on,
            p.amount,
            p.paid_on or "",
            p.reference,
        ],
        sheet_title=_("Payment summary"),
        headers=[
            _("Number"),
            _("Name"),
            _("Agency"),
            _("Instalment"),
            _("Due on"),
            _("Amount (yuan)"),
            _("Paid out on"),
            _("Payment reference"),
        ],
        object_type="talent.Payment",
        user=user,
        request=request,
        filters=f"policy={policy.pk}",
    )
