"""Excel export of the filtered people list: masked values only, written to the access log."""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from shegong.core.access import log_access
from shegong.core.models import AccessLog

HEADERS = (
    gettext_lazy("No."),
    gettext_lazy("Name"),
    gettext_lazy("Gender"),
    gettext_lazy("Birth date"),
    gettext_lazy("Age"),
    gettext_lazy("ID type"),
    gettext_lazy("ID number"),
    gettext_lazy("Mobile"),
    gettext_lazy("Street"),
    gettext_lazy("Home community"),
    gettext_lazy("Registered by agency"),
)


def people_xlsx(people, *, user, request=None, filters: str = "") -> bytes:
    """Write-only workbook, streamed from the database in chunks so memory stays flat."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("People"))
    sheet.append([str(header) for header in HEADERS])
    count = 0
    for person in people.select_related("community__street", "owner_agency").iterator(
        chunk_size=1000
    ):
        count += 1
        sheet.append(
            [
                person.number,
                person.name,
                str(person.get_gender_display()),
                person.birth_date,
                person.age(),
                str(person.get_id_type_display()),
                person.id_number_masked,
                person.mobile_masked,
                person.community.street.name if person.community else "",
                person.community.name if person.community else "",
                person.owner_agency.name if person.owner_agency else "",
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    log_access(
        user=user,
        action=AccessLog.Action.EXPORT,
        object_type="people.Person",
        detail=f"{count} rows; {filters}",
        request=request,
    )
    return buffer.getvalue()
