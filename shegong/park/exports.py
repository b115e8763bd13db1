"""The Excel export of the arrears list, logged as an export."""

from django.utils.translation import gettext as _

from shegong.core.exports import xlsx_export


def arrears_xlsx(rows, *, user, request=None, filters: str = "") -> bytes:
    return xlsx_export(
        rows,
        cells=lambda row: [
            row.contract.tenant_name,
            row.contract.park.name,
            ", ".join(unit.code for unit in row.contract.units.all()),
            row.contract.start_date,
            row.contract.last_day,
            str(row.contract.get_status_display()),
            row.standing.months_overdue,
            row.standing.oldest_overdue,
            row.standing.arrears,
            row.standing.paid,
        ],
        sheet_title=_("Arrears"),
        headers=[
            _("Tenant"),
            _("Park"),
            _("Units"),
            _("Start date"),
            _("End date"),
            _("Status"),
            _("Months overdue"),
            _("Overdue since"),
            _("Arrears (yuan)"),
            _("Paid (yuan)"),
        ],
        object_type="park.Contract",
        user=user,
        request=request,
        filters=filters,
    )
