"""Forms of the case-work pages. They parse input; the services decide what is allowed.

Rules the services enforce (dates against the intake, goals present, consent in force...) are not
repeated here, so the page and the API give the same message for the same mistake.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shegong.cases.choices import (
    Attainment,
    CaseSource,
    ClosureReason,
    ContactMethod,
    ItemStatus,
    NeedDomain,
    NeedLevel,
    RiskLevel,
)
from shegong.cases.models import TargetGroup
from shegong.core.forms import TablerFormMixin

DATE = {"type": "date"}


def date_input():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class CaseForm(TablerFormMixin, forms.Form):
    sections: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_errors: dict[str, list[str]] = {}


# --- client file --------------------------------------------------------------------------------


class ClientFileForm(CaseForm):
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    living_situation = forms.CharField(label=_("Living situation"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class HouseholdMemberForm(CaseForm):
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    relation = forms.CharField(label=_("Relation"), max_length=20, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    lives_with_client = forms.BooleanField(
        label=_("Lives with the client"), required=False, initial=True
    )
    is_guardian = forms.BooleanField(label=_("Guardian"), required=False)
    is_emergency_contact = forms.BooleanField(label=_("Emergency contact"), required=False)


class TaiwanItemForm(CaseForm):
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


# --- intake, assignment -------------------------------------------------------------------------


class CaseOpenForm(CaseForm):
    client = forms.ModelChoiceField(label=_("Client"), queryset=None)
    source = forms.ChoiceField(label=_("Source"), choices=CaseSource.choices)
    presenting_problem = forms.CharField(
        label=_("Presenting problem"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    intake_date = forms.DateField(label=_("Intake date"), widget=date_input())
    is_taiwan_service = forms.BooleanField(label=_("Taiwan compatriot service"), required=False)

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients


class ReassignForm(CaseForm):
    worker = forms.ModelChoiceField(label=_("Social worker"), queryset=None)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


# --- assessment ---------------------------------------------------------------------------------


class AssessmentForm(CaseForm):
    """One row per needs domain (level + note), then the summary."""

    sections = ("needs",)

    assessed_on = forms.DateField(label=_("Assessed on"), widget=date_input())
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    strengths = forms.CharField(
        label=_("Strengths"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    risks = forms.CharField(
        label=_("Risks"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for domain in NeedDomain:
            self.fields[f"need_{domain.value}"] = forms.ChoiceField(
                label=domain.label,
                choices=NeedLevel.choices,
                initial=NeedLevel.NONE,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"note_{domain.value}"] = forms.CharField(
                label=_("Note"),
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def need_rows(self):
        return [
            (domain.label, self[f"need_{domain.value}"], self[f"note_{domain.value}"])
            for domain in NeedDomain
        ]

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("assessed_on", "risk_level", "summary")}
        data["strengths"] = self.cleaned_data["strengths"]
        data["risks"] = self.cleaned_data["risks"]
        data["needs"] = {
            domain.value: {
                "level": self.cleaned_data[f"need_{domain.value}"] or NeedLevel.NONE,
                "note": self.cleaned_data[f"note_{domain.value}"],
            }
            for domain in NeedDomain
        }
        return data


# --- plan ---------------------------------------------------------------------------------------


class PlanForm(CaseForm):
    sections = ("goals", "tasks")

    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GoalRowForm(TablerFormMixin, forms.Form):
    description = forms.CharField(label=_("Goal"), max_length=300, required=False)
    measure = forms.CharField(label=_("How it is measured"), max_length=300, required=False)


class TaskRowForm(TablerFormMixin, forms.Form):
    description = forms.CharField(label=_("Task"), max_length=300, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=date_input())
    goal = forms.TypedChoiceField(
        label=_("Goal"), required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args, goal_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", "—")] + [
            (str(i), _("Goal %(n)s") % {"n": i + 1}) for i in range(goal_count)
        ]

    @property
    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(k) for k in ("description", "due_date"))


MIN_GOAL_ROWS = 2
MIN_TASK_ROWS = 3
MAX_ROWS = 30


def row_count(data, key: str, minimum: int) -> int:
    try:
        value = int((data or {}).get(key, minimum))
    except (TypeError, ValueError):
        value = minimum
    return max(minimum, min(value, MAX_ROWS))


class PlanRows:
    """The plan's form with its goal and task rows (fixed counts, grown by "add a row")."""

    def __init__(self, data=None, *, add: str = ""):
        self.goal_count = row_count(data, "goal_rows", MIN_GOAL_ROWS)
        self.task_count = row_count(data, "task_rows", MIN_TASK_ROWS)
        if add == "goal":
            self.goal_count = min(self.goal_count + 1, MAX_ROWS)
        elif add == "task":
            self.task_count = min(self.task_count + 1, MAX_ROWS)
        self.form = PlanForm(data)
        self.goals = [GoalRowForm(data, prefix=f"goal-{i}") for i in range(self.goal_count)]
        self.tasks = [
            TaskRowForm(data, prefix=f"task-{i}", goal_count=self.goal_count)
            for i in range(self.task_count)
        ]

    def is_valid(self) -> bool:
        results = [self.form.is_valid()]
        results += [row.is_valid() for row in self.goals + self.tasks]
        return all(results)

    def service_data(self) -> dict:
        goals = []
        index_of = {}
        for i, row in enumerate(self.goals):
            if (row.cleaned_data.get("description") or "").strip():
                index_of[i] = len(goals)
                goals.append(
                    {
                        "description": row.cleaned_data["description"],
                        "measure": row.cleaned_data.get("measure") or "",
                    }
                )
        tasks = []
        for row in self.tasks:
            if row.is_blank:
                continue
            goal = row.cleaned_data.get("goal")
            tasks.append(
                {
                    "description": row.cleaned_data.get("description") or "",
                    "due_date": row.cleaned_data.get("due_date"),
                    # A task pointing at a blank goal row points at no goal.
                    "goal": index_of.get(goal) if goal is not None else None,
                }
            )
        return {
            "summary": self.form.cleaned_data.get("summary", ""),
            "goals": goals,
            "tasks": tasks,
        }


# --- notes --------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class NoteForm(CaseForm):
    contact_date = forms.DateField(label=_("Date"), widget=date_input())
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    method = forms.ChoiceField(label=_("Method"), choices=ContactMethod.choices)
    # Required, as note_add requires it (with the service's message): the label shows the mark.
    content = forms.CharField(
        label=_("Content"),
        error_messages={"required": _("Write what happened in the contact.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    participants = forms.IntegerField(
        label=_("Participants"),
        min_value=1,
        max_value=500,
        initial=1,
        help_text=_("People served in this contact, the client included: its person-times."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class NoteCommentForm(CaseForm):
    text = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TaskDoneForm(CaseForm):
    done_on = forms.DateField(label=_("Done on"), widget=date_input())


# --- evaluation, closure, reopen ------------------------------------------------------------------


class EvaluationForm(CaseForm):
    """One attainment per goal of the approved plan."""

    sections = ("attainment",)

    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=date_input())
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=goal.description,
                choices=[("", "—"), *Attainment.choices],
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def goal_fields(self):
        return [self[f"goal_{goal.pk}"] for goal in self.goals]

    def service_data(self) -> dict:
        return {
            "evaluated_on": self.cleaned_data["evaluated_on"],
            "summary": self.cleaned_data["summary"],
            "attainment": {
                str(goal.pk): self.cleaned_data[f"goal_{goal.pk}"]
                for goal in self.goals
                if self.cleaned_data.get(f"goal_{goal.pk}")
            },
        }


class ClosureForm(CaseForm):
    reason = forms.ChoiceField(
        label=_("Closure reason"), choices=[("", "—"), *ClosureReason.choices], required=False
    )
    note = forms.CharField(
        label=_("Closure note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_reason(self):
        reason = self.cleaned_data.get("reason")
        if not reason:
            # The state machine's own words, so page and API say the same.
            raise ValidationError(_("Give the reason for closing the case."))
        return reason


class ReopenForm(CaseForm):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewDecisionForm(CaseForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return with comment"))],
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- referral -----------------------------------------------------------------------------------


class ReferralForm(CaseForm):
    to_agency = forms.ModelChoiceField(label=_("To agency"), queryset=None, required=False)
    to_service = forms.CharField(
        label=_("Or to a community service"), max_length=200, required=False
    )
    consent = forms.ModelChoiceField(label=_("Client's consent"), queryset=None, required=False)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_for_receiver = forms.CharField(
        label=_("Summary for the receiver"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The receiver reads only this: write what they need, nothing more."),
    )

    def __init__(self, *args, agencies, consents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agencies
        self.fields["consent"].queryset = consents
        self.fields["consent"].label_from_instance = lambda c: (
            f"{c.get_kind_display()} · {c.get_scope_display()} · {c.given_on:%Y-%m-%d}"
        )


class ReferralDecisionForm(CaseForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("decline", _("Decline"))]
    )
    worker = forms.TypedChoiceField(
        label=_("Social worker"), coerce=int, required=False, empty_value=None
    )
    decline_reason = forms.CharField(
        label=_("Reason for declining"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, workers, **kwargs):
        """``workers``: the receiving agency's workers, already loaded. The inbox loads them once
        per agency for all its forms; a queryset would run again for every form's select."""
        super().__init__(*args, **kwargs)
        self.workers = {worker.pk: worker for worker in workers}
        self.fields["worker"].choices = [("", "---------")] + [
            (worker.pk, str(worker)) for worker in workers
        ]

    def clean_worker(self):
        pk = self.cleaned_data.get("worker")
        return None if pk is None else self.workers[pk]
