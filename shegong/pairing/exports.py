"""Excel export of the filtered pairing agreements, logged as an export."""

from django.utils.translation import gettext as _

from shegong.core.exports import xlsx_export


def _cells(agreement) -> list:
    reviews = "; ".join(f"{r.year}: {r.score}" for r in agreement.reviews.all())
    commitments = list(agreement.commitments.all())
    return [
        agreement.title,
        agreement.community.street.name,
        agreement.community.name,
        _("Yes") if agreement.community.urban_village else _("No"),
        agreement.agency.name,
        agreement.starts_on,
        agreement.ends_on,
        str(agreement.get_status_display()),
        len(commitments),
        sum(1 for c in commitments if c.done),
        reviews,
    ]


def agreements_xlsx(agreements, *, user, request=None, filters: str = "") -> bytes:
    return xlsx_export(
        agreements.prefetch_related("reviews", "commitments").iterator(chunk_size=500),
        cells=_cells,
        sheet_title=_("Pairing agreements"),
        headers=[
            _("Title"),
            _("Street"),
            _("Community"),
            _("Urban village"),
            _("Agency"),
            _("Starts on"),
            _("Ends on"),
            _("Status"),
            _("Commitments"),
            _("Done"),
            _("Annual reviews (score)"),
        ],
        object_type="pairing.PairingAgreement",
        user=user,
        request=request,
        filters=filters,
    )
