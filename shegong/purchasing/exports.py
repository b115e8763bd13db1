"""Excel exports: the filtered projects, budget execution, and the agency portfolio, each
written to the access log by ``core.exports``."""

from django.utils.translation import gettext as _

from shegong.core.exports import xlsx_export
from shegong.purchasing.choices import Grade


def _grade(value) -> str:
    return str(Grade(value).label) if value else ""


def projects_xlsx(projects, *, user, request=None, filters: str = "") -> bytes:
    return xlsx_export(
        projects.iterator(chunk_size=500),
        cells=lambda p: [
            p.budget.year,
            p.title,
            p.agency.name,
            p.street.name,
            p.starts_on,
            p.ends_on,
            p.contract_no,
            p.contract_amount,
            p.paid,
            _grade(p.latest_grade),
        ],
        sheet_title=_("Service projects"),
        headers=[
            _("Year"),
            _("Title"),
            _("Agency"),
            _("Street"),
            _("Starts on"),
            _("Ends on"),
            _("Contract number"),
            _("Contract amount (yuan)"),
            _("Paid (yuan)"),
            _("Latest grade"),
        ],
        object_type="purchasing.Project",
        user=user,
        request=request,
        filters=filters,
    )


def budgets_xlsx(budgets, *, user, request=None, filters: str = "") -> bytes:
    return xlsx_export(
        budgets.iterator(chunk_size=500),
        cells=lambda b: [
            b.year,
            b.source_name,
            b.amount,
            b.committed,
            b.paid,
            b.amount - b.paid,
            b.project_count,
        ],
        sheet_title=_("Budget execution"),
        headers=[
            _("Year"),
            _("Funding source"),
            _("Amount (yuan)"),
            _("Committed (yuan)"),
            _("Paid (yuan)"),
            _("Remaining (yuan)"),
            _("Projects"),
        ],
        object_type="purchasing.Budget",
        user=user,
        request=request,
    )


def portfolio_xlsx(rows, *, user, request=None) -> bytes:
    return xlsx_export(
        rows,
        cells=lambda r: [
            r["name"],
            r["projects"],
            r["contracted"],
            r["paid"],
            *[r["grades"][grade.value] for grade in reversed(Grade)],
            "、".join(str(year) for year in r["ineligible_years"]),
        ],
        sheet_title=_("Agency portfolio"),
        headers=[
            _("Agency"),
            _("Projects"),
            _("Contracted (yuan)"),
            _("Paid (yuan)"),
            *[grade.label for grade in reversed(Grade)],
            _("Not eligible to bid in"),
        ],
        object_type="purchasing.Project",
        user=user,
        request=request,
    )
