"""Excel export of the filtered people list: masked values only, written to the access log."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.core.exports import xlsx_export

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


def _cells(person) -> list:
    return [
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


def people_xlsx(people, *, user, request=None, filters: str = "") -> bytes:
    rows = people.select_related("community__street", "owner_agency").iterator(chunk_size=1000)
    return xlsx_export(
        rows,
        cells=_cells,
        sheet_title=_("People"),
        headers=HEADERS,
        object_type="people.Person",
        user=user,
        request=request,
        filters=filters,
    )
