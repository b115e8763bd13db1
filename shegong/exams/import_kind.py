"""The question import as a kind of import job: registered from ``ExamsConfig.ready()``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shegong.core.forms import TablerFormMixin
from shegong.exams.import_columns import (
    COLUMN_LABELS,
    COLUMNS,
    HEADERS,
    RESULT_COLUMN_LABELS,
    RESULT_COLUMNS,
    RESULT_HEADERS,
)
from shegong.imports.columns import map_header
from shegong.imports.readers import peek
from shegong.imports.registry import ImportKind
from shegong.imports.templates_xlsx import header_template_xlsx


def may_import_questions(user) -> bool:
    from shegong.exams.services import may_manage_exams

    return may_manage_exams(user)


def importer(job):
    from shegong.exams.importers import QuestionImporter

    return QuestionImporter.for_job(job)


class QuestionImportForm(TablerFormMixin, forms.Form):
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
    head = peek(path, file_format)
    map_header(COLUMNS, head.header)
    return head.estimated_rows if head.has_data else 0


def check_target(actor, community, agency) -> None:
    """The bank is the district's: a job is placed with no community or agency."""
    if not may_import_questions(actor):
        raise PermissionDenied
    if community is not None or agency is not None:
        raise ValidationError({"community": [_("Choose a community inside your own scope.")]})


def target(actor, cleaned: dict) -> dict:
    return {"community": None, "agency": None}


def template_xlsx() -> bytes:
    return header_template_xlsx({"questions": HEADERS})


def done_message(job) -> str:
    count = job.imported_rows
    return ngettext("%(counter)s question imported.", "%(counter)s questions imported.", count) % {
        "counter": count
    }


QUESTIONS_KIND = ImportKind(
    code="exam_questions",
    label=gettext_lazy("Exam questions"),
    title=gettext_lazy("Import exam questions"),
    may_import=may_import_questions,
    check_target=check_target,
    target=target,
    check_structure=check_structure,
    importer=importer,
    upload_form=QuestionImportForm,
    upload_template="exams/question_import_new.html",
    template_xlsx=template_xlsx,
    template_name="exam-questions-import-template",
    column_labels=COLUMN_LABELS,
    done_message=done_message,
    done_url="exams:questions",
    done_link=gettext_lazy("Go to the question bank"),
)


def result_importer(job):
    from shegong.exams.importers import ResultImporter

    return ResultImporter.for_job(job)


def check_result_structure(path, file_format: str) -> int:
    head = peek(path, file_format)
    map_header(RESULT_COLUMNS, head.header)
    return head.estimated_rows if head.has_data else 0


def result_template_xlsx() -> bytes:
    return header_template_xlsx({"results": RESULT_HEADERS})


def result_done_message(job) -> str:
    count = job.imported_rows
    return ngettext("%(counter)s result imported.", "%(counter)s results imported.", count) % {
        "counter": count
    }


RESULTS_KIND = ImportKind(
    code="exam_results",
    label=gettext_lazy("National exam results"),
    title=gettext_lazy("Import national exam results"),
    may_import=may_import_questions,
    check_target=check_target,
    target=target,
    check_structure=check_result_structure,
    importer=result_importer,
    upload_form=QuestionImportForm,
    upload_template="exams/result_import_new.html",
    template_xlsx=result_template_xlsx,
    template_name="exam-results-import-template",
    column_labels=RESULT_COLUMN_LABELS,
    done_message=result_done_message,
    done_url="exams:results",
    done_link=gettext_lazy("Go to exam results"),
)
