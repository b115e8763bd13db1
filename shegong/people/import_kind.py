"""The people import as a kind of import job: registered from ``PeopleConfig.ready()``.

The imports app runs the job; this says who may import people where, what the upload page
asks, how the header is checked at upload, and which importer checks and inserts the rows
(``people.importers``).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shegong.core.forms import TablerFormMixin
from shegong.imports.readers import peek
from shegong.imports.registry import ImportKind
from shegong.imports.templates_xlsx import header_template_xlsx
from shegong.people.import_columns import COLUMN_LABELS, HEADERS

# The importer and the services it uses load the pinyin dictionaries (tens of MB): they are
# imported when an import runs, not when the kind is registered at start-up.


def may_import_people(user) -> bool:
    from shegong.people.importers import may_import_people

    return may_import_people(user)


def importer(job):
    from shegong.people.importers import PeopleImporter

    return PeopleImporter.for_job(job)


class PeopleImportForm(TablerFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    community = forms.ModelChoiceField(
        label=gettext_lazy("Default home community"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("For rows whose 所属社区 cell is empty."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from shegong.people.selectors import person_community_choices

        self.fields["community"].queryset = person_community_choices(user)
        self.fields["file"].help_text = _(
            "An .xlsx or .csv file of at most %(limit)s, with the columns of the template."
        ) % {"limit": filesizeformat(settings.SHEGONG_IMPORT_MAX_BYTES)}


def check_structure(path, file_format: str) -> int:
    from shegong.people.importers import map_header

    head = peek(path, file_format)
    map_header(head.header)
    return head.estimated_rows if head.has_data else 0


def check_target(actor, community, agency) -> None:
    from shegong.people.selectors import person_community_choices, user_agency

    if not may_import_people(actor):
        raise PermissionDenied
    if (
        community is not None
        and not person_community_choices(actor).filter(pk=community.pk).exists()
    ):
        raise ValidationError({"community": [_("Choose a community inside your own scope.")]})
    if agency is not None and not actor.is_superuser and agency != user_agency(actor):
        raise ValidationError({"community": [_("Choose a community inside your own scope.")]})


def target(actor, cleaned: dict) -> dict:
    """An agency worker's people are kept by their agency; the default community is chosen."""
    from shegong.people.selectors import user_agency

    return {"community": cleaned.get("community"), "agency": user_agency(actor)}


def template_xlsx() -> bytes:
    return header_template_xlsx({"people": HEADERS})


def warm_up() -> None:
    from shegong.people.search import search_text_for

    search_text_for("预热")  # loads the pinyin dictionaries


def done_message(job) -> str:
    count = job.imported_rows
    return ngettext("%(counter)s person imported.", "%(counter)s people imported.", count) % {
        "counter": count
    }


KIND = ImportKind(
    code="people",
    label=gettext_lazy("People"),
    title=gettext_lazy("Import people"),
    may_import=may_import_people,
    check_target=check_target,
    target=target,
    check_structure=check_structure,
    importer=importer,
    upload_form=PeopleImportForm,
    upload_template="people/import_new.html",
    template_xlsx=template_xlsx,
    template_name="people-import-template",
    column_labels=COLUMN_LABELS,
    done_message=done_message,
    done_url="people:list",
    done_link=gettext_lazy("Go to people"),
    warm_up=warm_up,
)
