"""Excel export of the filtered case list: masked client IDs, no content, written to the access
log. Place roles get the existence columns only, as on the page."""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from shegong.core.access import log_access
from shegong.core.models import AccessLog

EXISTENCE_HEADERS = (
    gettext_lazy("Case number"),
    gettext_lazy("Status"),
    gettext_lazy("Risk level"),
    gettext_lazy("Street"),
    gettext_lazy("Community"),
    gettext_lazy("Intake date"),
    gettext_lazy("Closed on"),
    gettext_lazy("Person-times"),
)
CONTENT_HEADERS = (
    gettext_lazy("Client"),
    gettext_lazy("ID number"),
    gettext_lazy("Agency"),
    gettext_lazy("Social worker"),
    gettext_lazy("Source"),
    gettext_lazy("Taiwan compatriot service"),
    gettext_lazy("Last contact"),
)


def cases_xlsx(cases, *, user, with_content: bool, request=None, filters: str = "") -> bytes:
    """Write-only workbook streamed in chunks. With ``with_content`` the client and worker
    columns are added, filled for the rows annotated ``has_content`` (selectors)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cases"))
    headers = EXISTENCE_HEADERS + (CONTENT_HEADERS if with_content else ())
    sheet.append([str(header) for header in headers])
    count = 0
    rows = cases.select_related("community__street", "client", "agency", "worker")
    for case in rows.iterator(chunk_size=1000):
        count += 1
        row = [
            case.number,
            str(case.get_status_display()),
            str(case.get_risk_level_display()),
            case.community.street.name,
            case.community.name,
            case.intake_date,
            case.closed_on,
            case.person_times,
        ]
        if with_content:
            if case.has_content:
                row += [
                    case.client.name,
                    case.client.id_number_masked,
                    case.agency.name,
                    str(case.worker),
                    str(case.get_source_display()),
                    _("Yes") if case.is_taiwan_service else "",
                    case.last_contact_date,
                ]
            else:
                row += [""] * len(CONTENT_HEADERS)
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    log_access(
        user=user,
        action=AccessLog.Action.EXPORT,
        object_type="cases.Case",
        detail=f"{count} rows; {filters}",
        request=request,
    )
    return buffer.getvalue()
