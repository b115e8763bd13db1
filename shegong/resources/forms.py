"""Forms collect input; the services validate (scope, state, bounds) and write. Choices are
filtered by the user's scope (DESIGN §4.2)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import TablerFormMixin, limit_choices
from shegong.people.selectors import people_for
from shegong.places.models import Community, Street
from shegong.places.selectors import communities_within
from shegong.resources.choices import Category
from shegong.resources.models import Need, Project, Resource, Wish


class PersonNumberField(forms.CharField):
    """A resident named by their number (P000123): looked up in the user's scope only."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "help_text", _("The resident's number, e.g. P000123; leave empty if none.")
        )
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value).strip().upper()
        if not value:
            return None
        digits = value.removeprefix("P")
        person = None
        if digits.isdecimal() and len(digits) < 12:
            person = people_for(self.user).filter(pk=int(digits)).first()
        if person is None:
            raise forms.ValidationError(_("Choose a resident you may see."))
        return person


class NeedForm(TablerFormMixin, forms.ModelForm):
    person = PersonNumberField(label=_("Resident"))

    class Meta:
        model = Need
        fields = [
            "title",
            "category",
            "urgency",
            "people_affected",
            "community",
            "source",
            "person",
            "wanted_by",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].user = user
        limit_choices(self, "community", communities_within(user).select_related("street"))

    def _post_clean(self):
        pass


class DispatchForm(TablerFormMixin, forms.Form):
    agency = forms.ModelChoiceField(queryset=None, required=False, label=_("Agency"))
    resource = forms.ModelChoiceField(queryset=None, required=False, label=_("Resource"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, agencies, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["resource"].queryset = resources


class NoteForm(TablerFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeclineForm(TablerFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeliverForm(TablerFormMixin, forms.Form):
    delivered_on = forms.DateField(label=_("Delivered on"), required=False)
    summary = forms.CharField(
        label=_("Delivery summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    activity = forms.ModelChoiceField(
        label=_("Delivered through activity"),
        queryset=None,
        required=False,
        help_text=_("The activity of the need's community through which it was met, if any."),
    )

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities.order_by("-starts_on", "-id")


class RateForm(TablerFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", "—")] + [(n, "★" * n) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CategoriesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Category.choices)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)


class ResourceForm(TablerFormMixin, forms.ModelForm):
    categories = CategoriesField(label=_("Categories served"))

    class Meta:
        model = Resource
        fields = [
            "name",
            "kind",
            "owner_agency",
            "community",
            "categories",
            "capacity",
            "capacity_unit",
            "available_from",
            "available_to",
            "schedule",
            "district_wide",
            "service_streets",
            "service_communities",
            "is_active",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["categories"] = self.instance.category_list
        limit_choices(self, "owner_agency", agencies)
        self.fields["owner_agency"].help_text = _("Leave empty when the community owns it.")
        self.fields["community"].queryset = Community.objects.select_related("street")
        self.fields["service_communities"].queryset = Community.objects.select_related("street")
        self.fields["service_streets"].queryset = Street.objects.order_by("code")

    def _post_clean(self):
        pass


class ProjectForm(TablerFormMixin, forms.ModelForm):
    categories = CategoriesField(label=_("Categories"))

    class Meta:
        model = Project
        fields = [
            "title",
            "community",
            "categories",
            "starts_on",
            "ends_on",
            "status",
            "lead_agency",
            "needs",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, agencies, needs, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["categories"] = self.instance.category_list
        limit_choices(self, "community", communities_within(user).select_related("street"))
        limit_choices(self, "lead_agency", agencies)
        limit_choices(self, "needs", needs)

    def _post_clean(self):
        pass


class WishForm(TablerFormMixin, forms.ModelForm):
    person = PersonNumberField(label=_("Resident"))

    class Meta:
        model = Wish
        fields = [
            "title",
            "community",
            "person",
            "recipient_description",
            "wanted_by",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].user = user
        limit_choices(self, "community", communities_within(user).select_related("street"))
        self.fields["recipient_description"].help_text = _(
            "Shown publicly after the masked surname, e.g. 老人 (王** 老人)."
        )
        for name in ("title", "description"):
            self.fields[name].help_text = _(
                "Shown publicly: write no name, address or phone number here."
            )

    def _post_clean(self):
        pass
