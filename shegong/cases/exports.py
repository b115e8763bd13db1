"""Excel export of the filtered case list: masked client IDs, no content, written to the access
log. Place roles get the existence columns only, as on the page."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.core.exports import xlsx_export

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


def case_cells(with_content: bool):
    """One case's cells; with ``with_content`` the client and worker columns, filled for the
    rows annotated ``has_content`` (selectors)."""

    def cells(case) -> list:
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
        if not with_content:
            return row
        if not case.has_content:
            return row + [""] * len(CONTENT_HEADERS)
        return row + [
            case.client.name,
            case.client.id_number_masked,
            case.agency.name,
            str(case.worker),
            str(case.get_source_display()),
            _("Yes") if case.is_taiwan_service else "",
            case.last_contact_date,
        ]

    return cells


def headers_for(with_content: bool) -> tuple:
    return EXISTENCE_HEADERS + (CONTENT_HEADERS if with_content else ())


ROW_RELATIONS = ("community__street", "client", "agency", "worker")


def cases_xlsx(cases, *, user, with_content: bool, request=None, filters: str = "") -> bytes:
    """The cases as a workbook (see ``case_cells``)."""
    rows = cases.select_related(*ROW_RELATIONS)
    return xlsx_export(
        rows.iterator(chunk_size=1000),
        cells=case_cells(with_content),
        sheet_title=_("Cases"),
        headers=headers_for(with_content),
        object_type="cases.Case",
        user=user,
        request=request,
        filters=filters,
    )


def case_list_xlsx(cases, *, user, request=None, filters: str = "") -> bytes:
    """The case register as filtered, in community and intake order; client and worker columns
    for those who may read inside cases, filled for the rows they may read."""
    from shegong.cases.selectors import may_list_content, with_content_flag

    return cases_xlsx(
        with_content_flag(cases, user).order_by("community__code", "intake_date", "id"),
        user=user,
        with_content=may_list_content(user),
        request=request,
        filters=filters,
    )


def my_cases_xlsx(cases, *, user, request=None, filters: str = "") -> bytes:
    """My work as shown: the worker's own cases, client and worker columns included."""
    from shegong.cases.selectors import with_content_flag

    return cases_xlsx(
        with_content_flag(cases, user),
        user=user,
        with_content=True,
        request=request,
        filters=filters,
    )
