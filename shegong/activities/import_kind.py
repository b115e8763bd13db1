"""The attendance import as a kind of import job: registered from ``ActivitiesConfig.ready()``.

The imports app runs the job; this says who may import attendance, what the upload page asks,
how the header is checked at upload, and which importer checks and inserts the rows
(``activities.importers``).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shegong.activities.import_columns import COLUMN_LABELS, HEADERS, IDENTIFYING
from shegong.core.forms import TablerFormMixin
from shegong.imports.columns import map_header
from shegong.imports.readers import peek
from shegong.imports.registry import ImportKind
from shegong.imports.templates_xlsx import header_template_xlsx


def may_import_attendance(user) -> bool:
    from shegong.activities.models import Activity
    from shegong.core.scope import CHANGE, can

    return can(user, Activity, CHANGE)


def importer(job):
    from shegong.activities.importers import AttendanceImporter

    return AttendanceImporter.for_job(job)


class AttendanceImportForm(TablerFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx or .csv file of at most %(limit)s, with the columns of the template."
        ) % {"limit": filesizeformat(settings.SHEGONG_IMPORT_MAX_BYTES)}


def check_structure(path, file_format: str) -> int:
    from shegong.activities.import_columns import COLUMNS

    head = peek(path, file_format)
    positions = map_header(COLUMNS, head.header)
    if not any(key in positions for key in IDENTIFYING):
        raise ValidationError(
            _("The file needs a column 证件号码 or 手机号码 to find each person."),
            code="columns",
        )
    return head.estimated_rows if head.has_data else 0


def check_target(actor, community, agency) -> None:
    """Which activities a row may name is the importer's business (those the actor may
    change); the job itself is placed nowhere but with the actor's agency."""
    from shegong.people.selectors import user_agency

    if not may_import_attendance(actor):
        raise PermissionDenied
    if community is not None:
        raise ValidationError({"community": [_("Choose a community inside your own scope.")]})
    if agency is not None and not actor.is_superuser and agency != user_agency(actor):
        raise ValidationError({"community": [_("Choose a community inside your own scope.")]})


def target(actor, cleaned: dict) -> dict:
    from shegong.people.selectors import user_agency

    return {"community": None, "agency": user_agency(actor)}


def template_xlsx() -> bytes:
    return header_template_xlsx({"attendance": HEADERS})


def done_message(job) -> str:
    count = job.imported_rows
    return ngettext(
        "%(counter)s attendance imported.", "%(counter)s attendances imported.", count
    ) % {"counter": count}


KIND = ImportKind(
    code="attendance",
    label=gettext_lazy("Activity attendance"),
    title=gettext_lazy("Import attendance"),
    may_import=may_import_attendance,
    check_target=check_target,
    target=target,
    check_structure=check_structure,
    importer=importer,
    upload_form=AttendanceImportForm,
    upload_template="activities/attendance_import_new.html",
    template_xlsx=template_xlsx,
    template_name="attendance-import-template",
    column_labels=COLUMN_LABELS,
    done_message=done_message,
    done_url="activities:list",
    done_link=gettext_lazy("Go to activities"),
)
