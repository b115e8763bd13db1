"""Page forms for people and consents. They collect input; the services validate and write."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import TablerFormMixin
from shegong.people.choices import ConsentKind, ConsentScope, Gender, IdType
from shegong.people.selectors import person_community_choices

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(TablerFormMixin, forms.Form):
    """Register or edit a person.

    On edit the ID number and mobile start empty and an empty field keeps the stored value: the
    edit page must not become a way around the logged "show full" button.
    """

    name = forms.CharField(label=_("Name"), max_length=50)
    id_type = forms.ChoiceField(label=_("ID type"), choices=IdType.choices)
    id_number = forms.CharField(
        label=_("ID number"),
        error_messages={"required": _("Enter the ID number.")},
        max_length=30,
        help_text=_("Gender and birth date are taken from a resident ID number."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE_WIDGET)
    mobile = forms.CharField(
        label=_("Mobile"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    community = forms.ModelChoiceField(label=_("Home community"), queryset=None, required=False)

    def __init__(self, *args, user, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["community"].queryset = person_community_choices(user, person)
        self.fields["birth_date"].widget.attrs["max"] = datetime.date.today().isoformat()
        if person is not None:
            # On edit an empty field keeps the stored number (which the service then checks).
            self.fields["id_number"].required = False
            for name in ("id_number", "mobile"):
                masked = getattr(person, f"{name}_masked")
                if masked:
                    self.fields[name].help_text = _(
                        "Now %(masked)s. Leave empty to keep it; type a new value to replace it."
                    ) % {"masked": masked}

    @classmethod
    def initial_for(cls, person) -> dict:
        return {
            "name": person.name,
            "id_type": person.id_type,
            "gender": person.gender,
            "birth_date": person.birth_date,
            "community": person.community_id,
        }

    def service_data(self) -> dict:
        """Keyword arguments for person_create / person_update."""
        data = dict(self.cleaned_data)
        if self.person is not None:
            for name in ("id_number", "mobile"):
                if not data[name].strip():
                    data.pop(name)
        return data


class ConsentForm(TablerFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ConsentKind.choices)
    scope = forms.ChoiceField(label=_("Scope"), choices=ConsentScope.choices)
    given_on = forms.DateField(
        label=_("Date given"), initial=datetime.date.today, widget=DATE_WIDGET
    )
    given_by = forms.CharField(
        label=_("Given by"),
        max_length=50,
        help_text=_("The person themself, or the guardian's name."),
    )
    guardian_relation = forms.CharField(
        label=_("Guardian's relation"),
        max_length=20,
        required=False,
        help_text=_("For a guardian's consent: father, mother, grandparent, ..."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ConsentWithdrawForm(TablerFormMixin, forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"), initial=datetime.date.today, widget=DATE_WIDGET
    )
