"""Forms of the purchased-service pages: they collect input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.accounts.choices import Role
from shegong.agencies.models import Agency
from shegong.core.forms import TablerFormMixin
from shegong.places.models import Community, Street
from shegong.purchasing.choices import Gate, Grade, Stage
from shegong.purchasing.models import Budget
from shegong.purchasing.services import DEFAULT_TRANCHES

SCORE_FIELDS = ("professional", "outcomes", "management", "finance")
TRANCHE_ROWS = 4


class BudgetForm(TablerFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2099)
    street = forms.ModelChoiceField(
        queryset=Street.objects.order_by("code"),
        required=False,
        label=_("Funding street"),
        empty_label=_("District"),
    )
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ProjectForm(TablerFormMixin, forms.Form):
    # The service judges the payment plan as a whole: its refusal is said at the first tranche.
    error_fields = {"tranches": "tranche_1_percent"}
    budget = forms.ModelChoiceField(queryset=None, label=_("Budget"))
    title = forms.CharField(label=_("Title"), max_length=100)
    agency = forms.ModelChoiceField(queryset=None, label=_("Agency"))
    communities = forms.ModelMultipleChoiceField(
        queryset=Community.objects.select_related("street").order_by("code"),
        label=_("Communities served"),
    )
    starts_on = forms.DateField(label=_("Starts on"))
    ends_on = forms.DateField(label=_("Ends on"))
    contract_no = forms.CharField(label=_("Contract number"), max_length=40, required=False)
    contract_amount = forms.DecimalField(
        label=_("Contract amount (yuan)"), max_digits=14, decimal_places=2
    )
    target_cases = forms.IntegerField(label=_("Target: cases"), min_value=0, initial=0)
    target_group_sessions = forms.IntegerField(
        label=_("Target: group sessions"), min_value=0, initial=0
    )
    target_community_sessions = forms.IntegerField(
        label=_("Target: community activity sessions"), min_value=0, initial=0
    )
    target_person_times = forms.IntegerField(
        label=_("Target: person-times"), min_value=0, initial=0
    )
    target_volunteer_hours = forms.IntegerField(
        label=_("Target: volunteer hours"), min_value=0, initial=0
    )
    target_satisfaction = forms.IntegerField(
        label=_("Target: satisfaction (%)"), min_value=0, max_value=100, initial=90
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = (
            Budget.objects.for_user(user, "change").select_related("street").order_by("-year")
        )
        self.fields["agency"].queryset = Agency.objects.for_user(user).order_by("name")
        # The contract's payment plan: up to four tranches, 40/30/30 offered.
        blank_rows = [(None, "", "")] * (TRANCHE_ROWS - len(DEFAULT_TRANCHES))
        defaults = [*DEFAULT_TRANCHES, *blank_rows]
        for seq, (percent, gate, grade) in enumerate(defaults, start=1):
            self.fields[f"tranche_{seq}_percent"] = forms.IntegerField(
                label=_("Tranche %(n)s: share (%%)") % {"n": seq},
                min_value=1,
                max_value=100,
                required=False,
                initial=percent,
            )
            self.fields[f"tranche_{seq}_gate"] = forms.ChoiceField(
                label=_("Tranche %(n)s: paid after") % {"n": seq},
                choices=[("", "—"), *Gate.choices],
                required=False,
                initial=gate,
            )
            self.fields[f"tranche_{seq}_grade"] = forms.ChoiceField(
                label=_("Tranche %(n)s: lowest grade") % {"n": seq},
                # A failing grade releases no money: not offered (the service refuses it).
                choices=[("", "—"), *(c for c in Grade.choices if c[0] != Grade.FAIL)],
                required=False,
                initial=grade,
            )

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("tranche_")}
        communities = list(data["communities"])
        data["communities"] = communities
        data["street"] = communities[0].street if communities else None
        data["tranches"] = [
            (
                self.cleaned_data[f"tranche_{seq}_percent"],
                self.cleaned_data[f"tranche_{seq}_gate"],
                self.cleaned_data[f"tranche_{seq}_grade"],
            )
            for seq in range(1, TRANCHE_ROWS + 1)
            if self.cleaned_data.get(f"tranche_{seq}_percent") is not None
            or self.cleaned_data.get(f"tranche_{seq}_gate")
            or self.cleaned_data.get(f"tranche_{seq}_grade")
        ]
        return data


class SignForm(TablerFormMixin, forms.Form):
    signed_on = forms.DateField(label=_("Signed on"))
    contract_no = forms.CharField(label=_("Contract number"), max_length=40, required=False)


class PayForm(TablerFormMixin, forms.Form):
    paid_on = forms.DateField(label=_("Date paid"))
    voucher = forms.CharField(label=_("Voucher number"), max_length=40, required=False)


class ContractChangeForm(TablerFormMixin, forms.Form):
    amount = forms.DecimalField(label=_("Contract amount (yuan)"), max_digits=14, decimal_places=2)
    ends_on = forms.DateField(label=_("Ends on"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class AssignForm(TablerFormMixin, forms.Form):
    evaluator = forms.ModelChoiceField(queryset=None, label=_("Evaluator"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from shegong.accounts.models import User

        self.fields["evaluator"].queryset = User.objects.filter(
            role_assignments__role=Role.EVALUATOR, role_assignments__is_active=True
        ).distinct()


class EvaluationForm(TablerFormMixin, forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    evaluated_on = forms.DateField(label=_("Evaluated on"))
    score_professional = forms.IntegerField(
        label=_("Professional service (0–100)"), min_value=0, max_value=100
    )
    score_outcomes = forms.IntegerField(label=_("Outcomes (0–100)"), min_value=0, max_value=100)
    score_management = forms.IntegerField(label=_("Management (0–100)"), min_value=0, max_value=100)
    score_finance = forms.IntegerField(label=_("Finance (0–100)"), min_value=0, max_value=100)
    satisfaction = forms.IntegerField(
        label=_("Satisfaction (%)"), min_value=0, max_value=100, required=False
    )
    findings = forms.CharField(
        label=_("Findings"), max_length=4000, required=False, widget=forms.Textarea
    )
    rectification = forms.CharField(label=_("Rectification item"), max_length=200, required=False)
    rectification_deadline = forms.DateField(label=_("Rectification deadline"), required=False)

    def service_data(self) -> dict:
        data = self.cleaned_data
        items = []
        if data.get("rectification"):
            items.append((data["rectification"], data.get("rectification_deadline")))
        return {
            "stage": data["stage"],
            "evaluated_on": data["evaluated_on"],
            "scores": {name: data[f"score_{name}"] for name in SCORE_FIELDS},
            "satisfaction": data.get("satisfaction"),
            "findings": data.get("findings", ""),
            "rectifications": items,
        }


class CloseForm(TablerFormMixin, forms.Form):
    note = forms.CharField(label=_("How it was put right"), max_length=200)
