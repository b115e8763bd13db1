"""Excel export of the filtered agency list: masked contact phones, logged as an export."""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from shegong.core.access import log_access
from shegong.core.models import AccessLog


def agencies_xlsx(agencies, *, user, request=None, filters: str = "") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Agencies"))
    sheet.append(
        [
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
    )
    count = 0
    for agency in agencies.iterator(chunk_size=500):
        count += 1
        sheet.append(
            [
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
        )
    buffer = BytesIO()
    workbook.save(buffer)
    log_access(
        user=user,
        action=AccessLog.Action.EXPORT,
        object_type="agencies.Agency",
        detail=f"{count} rows; {filters}"[:300],
        request=request,
    )
    return buffer.getvalue()
