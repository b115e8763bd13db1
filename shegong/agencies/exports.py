"""Excel export of the filtered agency list: masked contact phones, logged as an export."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shegong.core.exports import xlsx_export


def _headers() -> list[str]:
    return [
        pgettext("agency", "Name"),
        _("Unified social credit code"),
        _("Kind"),
        _("Street"),
        _("Community"),
        _("Address"),
        _("Legal representative"),
        _("Contact person"),
        _("Contact phone"),
        _("Email"),
        _("Registered on"),
        _("Active"),
    ]


def _cells(agency) -> list:
    return [
        agency.name,
        agency.uscc,
        str(agency.get_kind_display()),
        agency.community.street.name,
        agency.community.name,
        agency.address,
        agency.legal_representative,
        agency.contact_name,
        agency.contact_phone_masked,
        agency.email,
        agency.registered_on,
        _("Yes") if agency.is_active else _("No"),
    ]


def agencies_xlsx(agencies, *, user, request=None, filters: str = "") -> bytes:
    return xlsx_export(
        agencies.iterator(chunk_size=500),
        cells=_cells,
        sheet_title=_("Agencies"),
        headers=_headers(),
        object_type="agencies.Agency",
        user=user,
        request=request,
        filters=filters,
    )
