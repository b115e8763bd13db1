from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import TablerFormMixin


class CasesImportForm(TablerFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Case register workbook"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx workbook of at most %(limit)s with the three sheets of the template."
        ) % {"limit": filesizeformat(settings.SHEGONG_IMPORT_MAX_BYTES)}


class PeopleImportForm(TablerFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    community = forms.ModelChoiceField(
        label=_("Default home community"),
        queryset=None,
        required=False,
        help_text=_("For rows whose 所属社区 cell is empty."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from shegong.people.selectors import person_community_choices

        self.fields["community"].queryset = person_community_choices(user)
        self.fields["file"].help_text = _(
            "An .xlsx or .csv file of at most %(limit)s, with the columns of the template."
        ) % {"limit": filesizeformat(settings.SHEGONG_IMPORT_MAX_BYTES)}
