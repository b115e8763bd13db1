"""Forms collect input only; the services validate (scope, periods, capacity) and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.activities.models import Activity, ActivitySession
from shegong.activities.services import (
    organising_agencies,
    organising_communities,
    pairing_choices,
    project_choices,
    served_communities,
)
from shegong.core.forms import TablerFormMixin, limit_choices
from shegong.core.validators import single_line_text, visible_text


class ActivityForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "category",
            "description",
            "agency",
            "community",
            "pairing",
            "project",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pairing"].help_text = _(
            "A joint activity of an agreement pairing the community with the organising agency."
        )
        self.fields["project"].help_text = _(
            "Delivered under this purchased-service project: it counts for the project's targets."
        )
        if self.instance.pk:
            # What an activity is and whom it serves stay as created.
            for name in ("kind", "agency", "community"):
                del self.fields[name]
            if self.instance.agency_id is None:
                # Only an agency's activity is a joint one, or delivered under its project.
                del self.fields["pairing"]
                del self.fields["project"]
                return
            choices = pairing_choices(
                user,
                community=self.instance.community,
                agency=self.instance.agency,
                keep=self.instance.pairing_id,  # still choosable after it has ended
            )
            limit_choices(self, "pairing", choices)
            limit_choices(
                self,
                "project",
                project_choices(
                    user, community=self.instance.community, agency=self.instance.agency
                ),
            )
            return
        if user.is_superuser or organising_agencies(user).exists():
            limit_choices(self, "pairing", pairing_choices(user))
            limit_choices(self, "project", project_choices(user))
        else:
            # The community's own activities are no joint ones, nor an agency's project work.
            del self.fields["pairing"]
            del self.fields["project"]
        limit_choices(self, "agency", organising_agencies(user))
        limit_choices(self, "community", served_communities(user))
        if not organising_communities(user).exists():
            self.fields["agency"].required = True
        else:
            self.fields["agency"].help_text = _(
                "Leave empty when the community organises it itself."
            )

    def _post_clean(self):
        pass


class SessionForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = ActivitySession
        fields = ["starts_at", "ends_at", "place", "capacity"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def _post_clean(self):
        pass


class StageForm(TablerFormMixin, forms.Form):
    to = forms.CharField(max_length=16, validators=[single_line_text])


class ContactForm(TablerFormMixin, forms.Form):
    """A person by name and mobile: a walk-in, or someone signed up by staff."""

    name = forms.CharField(
        label=_("Name"), max_length=50, validators=[single_line_text, visible_text]
    )
    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


class MarkForm(TablerFormMixin, forms.Form):
    person = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
