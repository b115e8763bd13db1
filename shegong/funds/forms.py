"""Forms of the fund pages: they collect input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import TablerFormMixin, iso_date_input
from shegong.funds.choices import DonationForm, DonorType
from shegong.places.selectors import communities_within


class FundOpenForm(TablerFormMixin, forms.Form):
    community = forms.ModelChoiceField(queryset=None, label=_("Community"))
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("Leave empty for “<community> charity fund”."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = (
            communities_within(user)
            .filter(charity_fund__isnull=True)
            .select_related("street")
            .order_by("code")
        )


class DonationEntryForm(TablerFormMixin, forms.Form):
    donor_type = forms.ChoiceField(
        label=_("Donor type"), choices=DonorType.choices, initial=DonorType.INDIVIDUAL
    )
    donor_name = forms.CharField(label=_("Donor"), max_length=100, required=False)
    donor_person = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Donor's person record (number)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("Optional, for an individual: the number of their record on the people page."),
    )
    form = forms.ChoiceField(
        label=_("Form"), choices=DonationForm.choices, initial=DonationForm.MONEY
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), required=False, max_digits=12, decimal_places=2
    )
    goods_description = forms.CharField(label=_("Goods"), max_length=200, required=False)
    goods_quantity = forms.CharField(label=_("Quantity"), max_length=50, required=False)
    estimated_value = forms.DecimalField(
        label=_("Estimated value (yuan)"), required=False, max_digits=12, decimal_places=2
    )
    occurred_on = forms.DateField(label=_("Date"), widget=iso_date_input(forms.DateInput()))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea)

    def __init__(self, *args, user, **kwargs):
        from shegong.people.selectors import people_for

        super().__init__(*args, **kwargs)
        self.fields["donor_person"].queryset = people_for(user)


class DisbursementForm(TablerFormMixin, forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    recipient = forms.CharField(label=_("Recipient"), max_length=100, required=False)
    need = forms.ModelChoiceField(label=_("For the need"), queryset=None, required=False)
    project = forms.ModelChoiceField(label=_("For the project"), queryset=None, required=False)
    occurred_on = forms.DateField(label=_("Date"), widget=iso_date_input(forms.DateInput()))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea)

    def __init__(self, *args, user, fund, **kwargs):
        from shegong.funds.services import disbursement_targets

        super().__init__(*args, **kwargs)
        needs, projects = disbursement_targets(user, fund)
        self.fields["need"].queryset = needs.order_by("-created_at", "-pk")
        self.fields["project"].queryset = projects.order_by("title", "pk")
        self.fields["need"].help_text = _("At most one of a need and a project.")


class ReversalForm(TablerFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    occurred_on = forms.DateField(label=_("Date"), widget=iso_date_input(forms.DateInput()))
