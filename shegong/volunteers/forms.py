from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import TablerFormMixin
from shegong.core.validators import single_line_text, visible_text
from shegong.volunteers.choices import HoursStatus, Skill, VolunteerStatus


class DecisionForm(TablerFormMixin, forms.Form):
    to = forms.ChoiceField(
        label=_("Decision"),
        choices=[(HoursStatus.APPROVED, _("Approve")), (HoursStatus.REJECTED, _("Reject"))],
    )
    decision_note = forms.CharField(
        label=_("Note"), required=False, max_length=200, validators=[single_line_text]
    )


class ExchangeForm(TablerFormMixin, forms.Form):
    item = forms.CharField(label=_("Item"), max_length=100, validators=[single_line_text])
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100_000)


class CertificateForm(TablerFormMixin, forms.Form):
    person_in_charge = forms.CharField(
        label=_("Person in charge"), max_length=50, validators=[single_line_text]
    )
    handler = forms.CharField(label=_("Handler"), max_length=50, validators=[single_line_text])
    handler_contact = forms.CharField(
        label=_("Handler's contact"), max_length=50, validators=[single_line_text]
    )


class ShiftForm(TablerFormMixin, forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=None)
    title = forms.CharField(label=_("Shift role"), max_length=100, validators=[single_line_text])
    capacity = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=500)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda s: (
            f"{s.activity.title} · {timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}"
        )


# --- volunteers and teams: the choices come from the view (the user's scope); the services
# validate and write, so these forms only collect input.


def _skills_field():
    return forms.MultipleChoiceField(
        label=_("Skills"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RegisterForm(TablerFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=None)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)
    skills = _skills_field()

    def __init__(self, *args, people, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["team"].queryset = teams


class VolunteerEditForm(TablerFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)
    skills = _skills_field()
    status = forms.ChoiceField(label=_("Status"), choices=VolunteerStatus.choices)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["status"].help_text = _("A suspended volunteer cannot sign up for shifts.")


class TeamForm(TablerFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Team name"), max_length=100, validators=[single_line_text, visible_text]
    )
    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, required=False)

    def __init__(self, *args, communities, agencies, community_teams=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        if not agencies.exists():
            del self.fields["agency"]  # community staff keep their community's own teams
            return
        self.fields["agency"].queryset = agencies
        if not community_teams:
            self.fields["agency"].required = True  # an agency's lead: teams of their agency
        else:
            self.fields["agency"].help_text = _(
                "The agency that runs the team; leave empty for the community's own team."
            )


class HoursEntryForm(TablerFormMixin, forms.Form):
    """Staff enter hours served without a check-in. Only the date is required here: the
    service says what else is missing, with the same messages as the API."""

    activity = forms.ModelChoiceField(label=_("Activity"), queryset=None, required=False)
    served_on = forms.DateField(label=_("Date served"))
    hours = forms.DecimalField(
        label=_("Hours"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "inputmode": "decimal"}),
    )
    reason = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        validators=[single_line_text],
        help_text=_("Why the hours are entered by hand, e.g. a paper sign-in sheet."),
    )

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["activity"].label_from_instance = lambda a: (
            f"{a.title} · {a.starts_on:%Y-%m-%d}–{a.ends_on:%Y-%m-%d}"
        )
