from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import TablerFormMixin
from shegong.core.validators import single_line_text
from shegong.volunteers.choices import HoursStatus


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
