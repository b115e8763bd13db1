"""The legacy case register as a kind of import job: registered from ``CasesConfig.ready()``.

The imports app runs the job; ``cases.importers`` checks and inserts the three sheets.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shegong.cases.register_layout import COLUMN_LABELS, COLUMNS, SHEET_LABELS, SHEETS, map_header
from shegong.core.forms import TablerFormMixin
from shegong.imports.readers import peek
from shegong.imports.registry import ImportKind
from shegong.imports.templates_xlsx import header_template_xlsx


def may_import_cases(user) -> bool:
    from shegong.cases.importers import may_import_cases

    return may_import_cases(user)


def importer(job):
    # Imported when an import runs: the importer loads the people services and their
    # dictionaries, which a process registering the kind at start-up does not need.
    from shegong.cases.importers import CaseRegisterImporter

    return CaseRegisterImporter.for_job(job)


class CasesImportForm(TablerFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Case register workbook"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx workbook of at most %(limit)s with the three sheets of the template."
        ) % {"limit": filesizeformat(settings.SHEGONG_IMPORT_MAX_BYTES)}


def check_structure(path, file_format: str) -> int:
    """Every sheet is there with its required columns (headers only); returns the number of
    rows, estimated."""
    total = 0
    for sheet, names in SHEETS.items():
        head = peek(path, "xlsx", names)
        map_header(sheet, head.header)
        total += head.estimated_rows
    return total


def check_target(actor, community, agency) -> None:
    """A legacy case register goes into the agency its director or a supervisor leads: the
    check ``cases_bulk_create`` makes again when the rows are written."""
    from shegong.cases.services import require_agency_lead
    from shegong.core.scope import OutOfScope

    if actor is None:  # an upload always has its user: never the system
        raise PermissionDenied
    try:
        require_agency_lead(actor, agency)
    except OutOfScope:
        raise PermissionDenied from None


def target(actor, cleaned: dict) -> dict:
    from shegong.agencies.models import Agency
    from shegong.cases.selectors import lead_agency_ids

    agency = Agency.objects.filter(pk__in=lead_agency_ids(actor)).order_by("pk").first()
    return {"community": None, "agency": agency}


def template_xlsx() -> bytes:
    return header_template_xlsx(
        {
            SHEET_LABELS[sheet]: [column.header for column in columns]
            for sheet, columns in COLUMNS.items()
        }
    )


def done_message(job) -> str:
    count = job.imported_rows
    return ngettext(
        "%(counter)s row of the case register imported (clients, cases and service notes).",
        "%(counter)s rows of the case register imported (clients, cases and service notes).",
        count,
    ) % {"counter": count}


KIND = ImportKind(
    code="cases",
    label=gettext_lazy("Case register"),
    title=gettext_lazy("Import a case register"),
    may_import=may_import_cases,
    check_target=check_target,
    target=target,
    check_structure=check_structure,
    importer=importer,
    upload_form=CasesImportForm,
    upload_template="cases/import_new.html",
    template_xlsx=template_xlsx,
    template_name="case-register-template",
    column_labels=COLUMN_LABELS,
    done_message=done_message,
    done_url="cases:list",
    done_link=gettext_lazy("Go to cases"),
    formats=("xlsx",),
)
