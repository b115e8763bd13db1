"""Forms of the academy's pages; the services validate, these only carry the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import TablerFormMixin
from shegong.core.validators import single_line_text, visible_text
from shegong.people.choices import IdType
from shegong.training.choices import ClassLevel, EmployerType, SessionMode
from shegong.training.models import Course, Site, Teacher, TrainingClass


class EnrolmentForm(TablerFormMixin, forms.Form):
    """The public, real-name enrolment form (no account)."""

    klass = forms.ModelChoiceField(queryset=TrainingClass.objects.none(), label=_("Class"))
    name = forms.CharField(
        label=_("Name"), max_length=50, validators=[single_line_text, visible_text]
    )
    id_type = forms.ChoiceField(label=_("ID type"), choices=IdType.choices, initial="resident_id")
    id_number = forms.CharField(label=_("ID number"), max_length=30, validators=[single_line_text])
    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    employer_type = forms.ChoiceField(label=_("Employer type"), choices=EmployerType.choices)
    employer_name = forms.CharField(
        label=_("Employer"), max_length=100, validators=[single_line_text, visible_text]
    )
    site = forms.ModelChoiceField(
        queryset=Site.objects.none(),
        required=False,
        label=_("Remote site"),
        help_text=_("Only if you follow the sessions at a remote site."),
    )

    def __init__(self, *args, classes, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["klass"].queryset = classes
        self.fields["site"].queryset = sites


class CourseForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Course
        fields = ["subject", "level", "hours", "description"]


class ClassForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = TrainingClass
        fields = [
            "title",
            "year",
            "level",
            "courses",
            "capacity",
            "completion_percent",
            "cpd_hours",
            "starts_on",
            "ends_on",
            "enrolment_open",
            "description",
        ]
        widgets = {"courses": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = Course.objects.for_user(user)
        self.fields["cpd_hours"].required = False
        self.fields["cpd_hours"].help_text = _("Left empty: the sum of the courses' hours.")
        if self.instance.pk:
            for name in ("year", "level", "courses"):
                self.fields.pop(name)

    def clean(self):
        # The period's rule on its field (the service's words): the model form would otherwise
        # check the table's constraint itself and show its raw name as a form-wide error.
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The class cannot end before it starts."))
        return cleaned


class SessionForm(TablerFormMixin, forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.none(), label=_("Course"))
    teacher = forms.ModelChoiceField(
        queryset=Teacher.objects.none(), required=False, label=_("Teacher")
    )
    mode = forms.ChoiceField(choices=SessionMode.choices, label=_("Mode"))
    venue = forms.CharField(
        label=_("Venue"), required=False, max_length=200, validators=[single_line_text]
    )
    live_url = forms.URLField(
        label=_("Live-stream link"), required=False, max_length=300, assume_scheme="https"
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, klass, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = klass.courses.all()
        self.fields["teacher"].queryset = Teacher.objects.for_user(user).filter(is_active=True)


class TeacherForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Teacher
        fields = [
            "name",
            "organisation",
            "title",
            "expertise",
            "qualifications",
            "bio",
            "is_active",
        ]
        help_texts = {"expertise": _("Separate tags with commas or 、.")}


class SiteForm(TablerFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    coordinators = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Coordinators"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from shegong.accounts.models import User

        self.fields["coordinators"].queryset = User.objects.filter(
            role_assignments__role="site_coordinator", role_assignments__is_active=True
        ).distinct()


class FeedbackForm(TablerFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50, validators=[single_line_text])
    mobile = forms.CharField(label=_("Mobile"), max_length=20, validators=[single_line_text])
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


LEVEL_CHOICES = ClassLevel.choices
