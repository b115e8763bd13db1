"""Forms of the pairing pages: they collect input; the services validate and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import TablerFormMixin
from shegong.pairing.choices import Side
from shegong.pairing.state import ACTIVATE, END
from shegong.places.selectors import communities_within

COMMITMENT_ROWS = 5


class AgreementForm(TablerFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    community = forms.ModelChoiceField(queryset=None, label=_("Community"))
    agency = forms.ModelChoiceField(queryset=None, label=_("Agency"))
    starts_on = forms.DateField(label=_("Starts on"))
    ends_on = forms.DateField(label=_("Ends on"))
    goals = forms.CharField(
        label=_("Goals"), required=False, max_length=20000, widget=forms.Textarea
    )

    def __init__(self, *args, user, **kwargs):
        from shegong.agencies.selectors import agencies_for

        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = (
            communities_within(user).select_related("street").order_by("code")
        )
        self.fields["agency"].queryset = agencies_for(user).filter(is_active=True).order_by("name")
        for n in range(COMMITMENT_ROWS):
            self.fields[f"c{n}_text"] = forms.CharField(
                label=_("Commitment %(n)s") % {"n": n + 1}, max_length=300, required=False
            )
            self.fields[f"c{n}_side"] = forms.ChoiceField(
                label=_("Owner side"), choices=[("", "—"), *Side.choices], required=False
            )
            self.fields[f"c{n}_due_on"] = forms.DateField(label=_("Due on"), required=False)

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("title", "community", "agency", "starts_on")}
        data["ends_on"] = self.cleaned_data["ends_on"]
        data["goals"] = self.cleaned_data["goals"]
        data["commitments"] = [
            {
                "text": self.cleaned_data[f"c{n}_text"],
                "side": self.cleaned_data[f"c{n}_side"],
                "due_on": self.cleaned_data[f"c{n}_due_on"],
            }
            for n in range(COMMITMENT_ROWS)
            if self.cleaned_data.get(f"c{n}_text")
        ]
        return data


class CommitmentForm(TablerFormMixin, forms.Form):
    text = forms.CharField(label=_("Commitment"), max_length=300)
    side = forms.ChoiceField(label=_("Owner side"), choices=Side.choices)
    due_on = forms.DateField(label=_("Due on"))


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(ACTIVATE, ACTIVATE), (END, END)])


class ReviewForm(TablerFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2099)
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    comments = forms.CharField(
        label=_("Comments"), required=False, max_length=20000, widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
