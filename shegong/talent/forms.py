"""Forms of the talent pages: they collect input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shegong.core.forms import TablerFormMixin
from shegong.talent.choices import (
    AmountBasis,
    ApplicantKind,
    Decision,
    PaymentMode,
    PolicyKind,
    QualificationLevel,
    Title,
    TitleTier,
)


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


class AgencyApplyForm(TablerFormMixin, forms.Form):
    """An organisation's application, filed by its director: which agency (those they direct),
    the statement and the attachment."""

    agency = forms.ModelChoiceField(queryset=None, label=_("Applying organisation"))
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

    def __init__(self, *args, agencies, **kwargs):
        from shegong.agencies.models import Agency

        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            pk__in=[a.pk for a in agencies]
        ).order_by("name")
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk


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
    paid_on = forms.DateField(label=_("Paid out on"))
    reference = forms.CharField(label=_("Payment reference"), max_length=50, required=False)


class AmountForm(TablerFormMixin, forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)


class CpdForm(TablerFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"))
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1)
    label = forms.CharField(label=_("What for"), max_length=200)
    evidence = forms.FileField(label=_("Evidence"), required=False)


class CpdReviewForm(TablerFormMixin, forms.Form):
    """A keeper's decision on hand-recorded hours; ``services.cpd_review`` checks the reason."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("", _("Choose…")),
            ("accepted", pgettext_lazy("cpd", "Accept")),
            ("rejected", pgettext_lazy("cpd", "Reject")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the hours are not accepted."),
    )


class QualificationForm(TablerFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=QualificationLevel.choices)
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


CHAINS = {
    "agency_street_district": ["agency_admin", "street_admin", "district_admin"],
    "street_district": ["street_admin", "district_admin"],
    "district": ["district_admin"],
}


class PolicyForm(TablerFormMixin, forms.Form):
    """A policy on one page: the criteria are the library's kinds, each switched on by filling
    its parameter (or ticking it); nothing typed here is ever evaluated as an expression."""

    name = forms.CharField(label=_("Name"), max_length=100)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2099)
    kind = forms.ChoiceField(label=_("Kind"), choices=PolicyKind.choices)
    applicant_kind = forms.ChoiceField(label=_("Who applies"), choices=ApplicantKind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    budget = forms.DecimalField(label=_("Budget (yuan)"), max_digits=12, decimal_places=2)
    opens_on = forms.DateField(label=_("Applications open"))
    closes_on = forms.DateField(label=_("Applications close"))
    amount_basis = forms.ChoiceField(label=_("Amount by"), choices=AmountBasis.choices)
    amount_flat = forms.DecimalField(
        label=_("Amount (yuan)"), required=False, max_digits=12, decimal_places=2
    )
    amount_assistant = forms.DecimalField(
        label=QualificationLevel.ASSISTANT.label, required=False, max_digits=12, decimal_places=2
    )
    amount_intermediate = forms.DecimalField(
        label=QualificationLevel.INTERMEDIATE.label, required=False, max_digits=12, decimal_places=2
    )
    amount_senior = forms.DecimalField(
        label=QualificationLevel.SENIOR.label, required=False, max_digits=12, decimal_places=2
    )
    amount_leading = forms.DecimalField(
        label=Title.LEADING.label, required=False, max_digits=12, decimal_places=2
    )
    amount_top = forms.DecimalField(
        label=Title.TOP.label, required=False, max_digits=12, decimal_places=2
    )
    payment_mode = forms.ChoiceField(label=_("Payment mode"), choices=PaymentMode.choices)
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=120, initial=1)
    notice_days = forms.IntegerField(
        label=_("Public notice (working days)"), min_value=1, max_value=30, initial=5
    )
    annual_cap = forms.DecimalField(
        label=_("Annual cap per person (yuan)"), required=False, max_digits=12, decimal_places=2
    )
    lifetime_cap = forms.DecimalField(
        label=_("Lifetime cap per person (yuan)"), required=False, max_digits=12, decimal_places=2
    )
    chain = forms.ChoiceField(
        label=_("Review chain"),
        choices=[
            ("agency_street_district", _("Agency confirms → street reviews → district approves")),
            ("street_district", _("Street reviews → district approves")),
            ("district", _("District approves")),
        ],
    )
    requires_attachment = forms.BooleanField(
        label=_("Attachment required"), required=False, initial=True
    )
    grants_title = forms.ChoiceField(
        label=_("Grants title"), choices=[("", "—"), *Title.choices], required=False
    )
    grants_tier = forms.ChoiceField(
        label=_("Title tier"), choices=[("", "—"), *TitleTier.choices], required=False
    )
    # The criteria library, one field (or box) per kind.
    c_level = forms.ChoiceField(
        label=_("Qualification at least"),
        choices=[
            ("", "—"),
            (QualificationLevel.ASSISTANT, QualificationLevel.ASSISTANT.label),
            (QualificationLevel.INTERMEDIATE, QualificationLevel.INTERMEDIATE.label),
            (QualificationLevel.SENIOR, QualificationLevel.SENIOR.label),
        ],
        required=False,
    )
    c_months = forms.IntegerField(
        label=_("Employed in the district at least (months)"),
        min_value=0,
        max_value=600,
        required=False,
    )
    c_title = forms.BooleanField(label=_("Holds a talent title"), required=False)
    c_not_paid = forms.BooleanField(label=_("Not already paid under this policy"), required=False)
    c_cap = forms.DecimalField(
        label=_("Cumulative cap under this policy (yuan)"),
        required=False,
        max_digits=12,
        decimal_places=2,
    )
    c_taiwan = forms.BooleanField(label=_("Holds a Taiwan residence permit"), required=False)
    c_business = forms.BooleanField(label=_("Business registered in the district"), required=False)
    c_age = forms.IntegerField(label=_("Age at most"), min_value=16, max_value=100, required=False)
    # For organisations applying for themselves.
    c_agency_months = forms.IntegerField(
        label=_("Organisation registered in the district at least (months)"),
        min_value=0,
        max_value=600,
        required=False,
    )
    c_agency_at_most = forms.IntegerField(
        label=_("… and at most (months), for a grant to new organisations"),
        min_value=0,
        max_value=600,
        required=False,
    )
    c_park_tenant = forms.BooleanField(
        label=_("Organisation is a tenant of the incubation park"), required=False
    )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        amounts = {
            key: str(data.pop(f"amount_{key}"))
            for key in ("flat", "assistant", "intermediate", "senior", "leading", "top")
            if data.get(f"amount_{key}") is not None
        }
        basis_keys = {
            "flat": ("flat",),
            "level": ("assistant", "intermediate", "senior"),
            "title": ("leading", "top"),
        }
        data["amounts"] = {
            k: v for k, v in amounts.items() if k in basis_keys[data["amount_basis"]]
        }
        for key in ("flat", "assistant", "intermediate", "senior", "leading", "top"):
            data.pop(f"amount_{key}", None)
        criteria = []
        if data.pop("c_level"):
            criteria.append(
                {"kind": "qualification_min", "params": {"level": self.cleaned_data["c_level"]}}
            )
        if data.get("c_months") is not None:
            criteria.append({"kind": "employed_months", "params": {"months": data["c_months"]}})
        data.pop("c_months")
        if data.pop("c_title"):
            criteria.append({"kind": "title_held", "params": {}})
        if data.pop("c_not_paid"):
            criteria.append({"kind": "not_paid_before", "params": {}})
        cap = data.pop("c_cap")
        if cap is not None:
            criteria.append({"kind": "cumulative_cap", "params": {"cap": str(cap)}})
        if data.pop("c_taiwan"):
            criteria.append({"kind": "taiwan_permit", "params": {}})
        if data.pop("c_business"):
            criteria.append({"kind": "business_in_district", "params": {}})
        age = data.pop("c_age")
        if age is not None:
            criteria.append({"kind": "age_max", "params": {"age": age}})
        agency_months = data.pop("c_agency_months")
        at_most = data.pop("c_agency_at_most")
        if agency_months is not None:
            params = {"months": agency_months}
            if at_most is not None:
                params["at_most"] = at_most
            criteria.append({"kind": "agency_registered_months", "params": params})
        if data.pop("c_park_tenant"):
            criteria.append({"kind": "park_tenant", "params": {}})
        data["criteria"] = criteria
        data["steps"] = CHAINS[data.pop("chain")]
        return data


# Criteria kinds and the form field that holds each one's parameter (a box when it has none).
CRITERION_FIELDS = {
    "qualification_min": ("c_level", "level"),
    "employed_months": ("c_months", "months"),
    "title_held": ("c_title", None),
    "not_paid_before": ("c_not_paid", None),
    "cumulative_cap": ("c_cap", "cap"),
    "taiwan_permit": ("c_taiwan", None),
    "business_in_district": ("c_business", None),
    "age_max": ("c_age", "age"),
}
# Where the page shows a service error about a part of the policy that is no single field.
EDIT_ERROR_FIELDS = {"steps": "chain", "amounts": "amount_basis", "criteria": "c_level"}


class PolicyEditForm(PolicyForm):
    """The creation form without what never changes (kind, who applies), filled from the
    policy; ``services.policy_update`` decides what may change."""

    def __init__(self, *args, policy, **kwargs):
        self.policy = policy
        kwargs.setdefault("initial", self.initial_for(policy))
        super().__init__(*args, **kwargs)
        del self.fields["kind"], self.fields["applicant_kind"]
        steps = list(policy.steps.order_by("position").values_list("role", flat=True))
        if steps not in CHAINS.values():
            # A chain set through the API that the page's three options do not name: keep it.
            field = self.fields["chain"]
            field.choices = [("current", " → ".join(steps)), *field.choices]

    @staticmethod
    def initial_for(policy) -> dict:
        initial = {
            name: getattr(policy, name)
            for name in (
                "name",
                "year",
                "description",
                "budget",
                "opens_on",
                "closes_on",
                "amount_basis",
                "payment_mode",
                "months",
                "notice_days",
                "annual_cap",
                "lifetime_cap",
                "requires_attachment",
                "grants_title",
                "grants_tier",
            )
        }
        for key, value in (policy.amounts or {}).items():
            initial[f"amount_{key}"] = value
        steps = list(policy.steps.order_by("position").values_list("role", flat=True))
        initial["chain"] = next((k for k, v in CHAINS.items() if v == steps), "current")
        for criterion in policy.criteria.all():
            field, param = CRITERION_FIELDS.get(criterion.kind, (None, None))
            if field:
                initial[field] = criterion.params.get(param) if param else True
        return initial

    def service_data(self) -> dict:
        data = super().service_data() if self.cleaned_data.get("chain") != "current" else None
        if data is None:
            self.cleaned_data["chain"] = "district"  # placeholder, replaced below
            data = super().service_data()
            data["steps"] = list(
                self.policy.steps.order_by("position").values_list("role", flat=True)
            )
        # Parameters the page does not show (a Taiwan licence counted as a level) are kept.
        kept = {c.kind: c.params for c in self.policy.criteria.all()}
        for item in data["criteria"]:
            item["params"] = {**kept.get(item["kind"], {}), **item["params"]}
        return data
