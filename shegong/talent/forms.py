"""Forms of the talent pages: they collect input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import TablerFormMixin
from shegong.talent.choices import Decision, Level, Title, TitleTier


class ApplyForm(TablerFormMixin, forms.Form):
    profile = forms.ModelChoiceField(queryset=None, label=_("Applicant"))
    statement = forms.CharField(
        label=_("Statement"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("The signed application form or certificate, as PDF, JPG or PNG."),
    )

    def __init__(self, *args, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles
        if profiles.count() == 1:
            self.fields["profile"].initial = profiles.first().pk


class ReviewForm(TablerFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResubmitForm(TablerFormMixin, forms.Form):
    statement = forms.CharField(
        label=_("Statement"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)


class ObjectionForm(TablerFormMixin, forms.Form):
    raised_by = forms.CharField(label=_("Raised by"), max_length=50)
    content = forms.CharField(
        label=_("Objection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(TablerFormMixin, forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[
            ("1", _("Upheld: reject the application")),
            ("0", _("Dismissed: the notice goes on")),
        ],
        coerce=lambda value: value == "1",
    )
    resolution = forms.CharField(
        label=_("Resolution"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PaymentForm(TablerFormMixin, forms.Form):
    paid_on = forms.DateField(label=_("Paid on"))
    reference = forms.CharField(label=_("Payment reference"), max_length=50, required=False)


class AmountForm(TablerFormMixin, forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)


class CpdForm(TablerFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"))
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1)
    label = forms.CharField(label=_("What for"), max_length=200)
    evidence = forms.FileField(label=_("Evidence"), required=False)


class QualificationForm(TablerFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    certificate_no = forms.CharField(label=_("Certificate number"), max_length=40)
    obtained_on = forms.DateField(label=_("Obtained on"))
    subjects = forms.CharField(label=_("Exam subjects passed"), max_length=200, required=False)


class CloseForm(TablerFormMixin, forms.Form):
    """Ending the public notice asks for nothing: the service checks the days and objections."""


class ProfileForm(TablerFormMixin, forms.Form):
    person = forms.ModelChoiceField(
        queryset=None,
        label=_("Person (number)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("The number of their record on the people page (P000123 → 123)."),
    )
    agency = forms.ModelChoiceField(queryset=None, label=_("Agency"), required=False)
    user = forms.ModelChoiceField(queryset=None, label=_("Login"), required=False)
    registration_start = forms.DateField(label=_("Registration period starts"), required=False)

    def __init__(self, *args, people, agencies, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["agency"].queryset = agencies
        self.fields["user"].queryset = users


class EmploymentForm(TablerFormMixin, forms.Form):
    agency = forms.ModelChoiceField(queryset=None, label=_("Agency"))
    started_on = forms.DateField(label=_("Started on"))
    ended_on = forms.DateField(label=_("Ended on"), required=False)
    position = forms.CharField(label=_("Position"), max_length=50, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class TitleForm(TablerFormMixin, forms.Form):
    title = forms.ChoiceField(label=_("Title"), choices=Title.choices)
    tier = forms.ChoiceField(label=_("Tier"), choices=TitleTier.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2099)
    years = forms.IntegerField(label=_("Valid for (years)"), min_value=1, max_value=50, initial=3)
