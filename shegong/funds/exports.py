"""Excel exports: the filtered fund list and a fund's filtered ledger, logged as exports."""

from django.utils.translation import gettext as _

from shegong.core.exports import xlsx_export


def funds_xlsx(funds, *, user, request=None, filters: str = "") -> bytes:
    return xlsx_export(
        funds.iterator(chunk_size=500),
        cells=lambda fund: [
            fund.name,
            fund.community.street.name,
            fund.community.name,
            fund.balance,
            fund.last_receipt_no,
        ],
        sheet_title=_("Charity funds"),
        headers=[_("Name"), _("Street"), _("Community"), _("Balance (yuan)"), _("Entries")],
        object_type="funds.Fund",
        user=user,
        request=request,
        filters=filters,
    )


def _entry_cells(entry) -> list:
    return [
        entry.receipt,
        entry.occurred_on,
        str(entry.get_kind_display()),
        entry.money,
        entry.in_kind_value or "",
        entry.donor_name,
        str(entry.get_donor_type_display()) if entry.donor_type else "",
        " ".join(filter(None, (entry.goods_description, entry.goods_quantity))),
        entry.purpose,
        entry.recipient,
        str(entry.need) if entry.need_id else "",
        entry.project.title if entry.project_id else "",
        entry.reverses.receipt if entry.reverses_id else "",
        entry.note,
    ]


def ledger_xlsx(fund, entries, *, user, request=None, filters: str = "") -> bytes:
    return xlsx_export(
        entries.iterator(chunk_size=500),
        cells=_entry_cells,
        sheet_title=fund.name[:31],
        headers=[
            _("Receipt"),
            _("Date"),
            _("Kind"),
            _("Amount (yuan)"),
            _("Estimated value (yuan)"),
            _("Donor"),
            _("Donor type"),
            _("Goods"),
            _("Purpose"),
            _("Recipient"),
            _("For the need"),
            _("For the project"),
            _("Reverses receipt"),
            _("Note"),
        ],
        object_type="funds.Entry",
        user=user,
        request=request,
        filters=f"fund={fund.pk}; {filters}",
    )
