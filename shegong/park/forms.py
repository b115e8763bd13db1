"""Forms of the park pages: they collect input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import TablerFormMixin
from shegong.park.choices import RentBasis, UnitKind, UnitStatus
from shegong.park.models import DEFAULT_DISCOUNT_PERCENT, DEFAULT_FREE_MONTHS
from shegong.places.selectors import communities_within


class ParkForm(TablerFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    community = forms.ModelChoiceField(queryset=None, label=_("Community"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    free_months = forms.IntegerField(
        label=_("Rent-free months"),
        initial=DEFAULT_FREE_MONTHS,
        help_text=_("Counted from an organisation's first day in the park, across contracts."),
    )
    discount_percent = forms.DecimalField(
        label=_("Discount after the free months (%)"),
        initial=DEFAULT_DISCOUNT_PERCENT,
        max_digits=5,
        decimal_places=2,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = (
            communities_within(user).select_related("street").order_by("code")
        )


class UnitForm(TablerFormMixin, forms.Form):
    park = forms.ModelChoiceField(queryset=None, label=_("Park"))
    code = forms.CharField(label=_("Code"), max_length=30, help_text=_("e.g. A101 or D-12"))
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    floor = forms.IntegerField(label=_("Floor"))
    area = forms.DecimalField(label=_("Area (m²)"), max_digits=8, decimal_places=2)
    rent_basis = forms.ChoiceField(label=_("Rent basis"), choices=RentBasis.choices)
    rent_rate = forms.DecimalField(
        label=_("Rent (yuan)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Per m² per month, or per month for the whole unit, as the basis says."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=UnitStatus.choices, initial=UnitStatus.IN_SERVICE
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks
        only = list(parks[:2])
        if len(only) == 1:
            self.fields["park"].initial = only[0].pk


class ContractForm(TablerFormMixin, forms.Form):
    park = forms.ModelChoiceField(queryset=None, label=_("Park"))
    agency = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Agency"),
        help_text=_("A registered organisation; leave empty for one still being incubated."),
    )
    tenant_name = forms.CharField(
        label=_("Organisation not yet registered"), max_length=100, required=False
    )
    units = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Units"),
        # A list box rather than check boxes: the shared field template draws a check box
        # field as one box.
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    start_date = forms.DateField(label=_("Start date"))
    end_date = forms.DateField(label=_("End date"))
    free_months = forms.IntegerField(
        label=_("Rent-free months"),
        required=False,
        help_text=_("Leave empty for the park's policy."),
    )
    discount_percent = forms.DecimalField(
        label=_("Discount after the free months (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=_("Leave empty for the park's policy."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, parks, units, **kwargs):
        from shegong.agencies.selectors import agencies_for

        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks
        only = list(parks[:2])
        if len(only) == 1:
            self.fields["park"].initial = only[0].pk
        self.fields["agency"].queryset = agencies_for(user).order_by("name")
        self.fields["units"].queryset = units
        self.fields["units"].label_from_instance = lambda unit: (
            _("%(park)s · %(code)s (%(area)s m², %(rent)s yuan a month)")
            % {"park": unit.park.name, "code": unit.code, "area": unit.area, "rent": unit.list_rent}
        )


class TerminateForm(TablerFormMixin, forms.Form):
    last_day = forms.DateField(label=_("Last day of the tenancy"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class PaymentForm(TablerFormMixin, forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label=_("Date"))
    reference = forms.CharField(
        label=_("Receipt or transfer reference"), max_length=100, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ReversalForm(TablerFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    paid_on = forms.DateField(label=_("Date"))
