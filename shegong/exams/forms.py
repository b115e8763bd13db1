"""Forms collect input only; the services validate and write (their errors go next to fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import TablerFormMixin
from shegong.exams.choices import AttemptMode, ExamLevel, QuestionKind, Subject
from shegong.exams.services import MAX_MINUTES, MAX_QUESTIONS


class QuestionForm(TablerFormMixin, forms.Form):
    subject = forms.ChoiceField(label=_("Subject"), choices=Subject.choices)
    level = forms.ChoiceField(label=_("Exam level"), choices=ExamLevel.choices)
    kind = forms.ChoiceField(label=_("Question type"), choices=QuestionKind.choices)
    stem = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    option_a = forms.CharField(label=_("Option A"))
    option_b = forms.CharField(label=_("Option B"))
    option_c = forms.CharField(label=_("Option C"), required=False)
    option_d = forms.CharField(label=_("Option D"), required=False)
    option_e = forms.CharField(label=_("Option E"), required=False)
    answer = forms.CharField(
        label=_("Correct answer"),
        max_length=10,
        help_text=_("The letters of the correct options: B, or ACD for a multiple choice."),
    )
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 4}))
    is_active = forms.BooleanField(label=_("In use"), required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]
        # Length and text rules are the service's: the form only carries what was typed.
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.max_length = None
                field.validators = []


class AttemptStartForm(TablerFormMixin, forms.Form):
    mode = forms.ChoiceField(
        label=_("Quiz mode"), choices=AttemptMode.choices, initial=AttemptMode.PRACTICE
    )
    level = forms.ChoiceField(
        label=_("Exam level"), choices=ExamLevel.choices, initial=ExamLevel.JUNIOR
    )
    subject = forms.ChoiceField(
        label=_("Subject"), choices=Subject.choices, initial=Subject.COMPREHENSIVE
    )
    count = forms.IntegerField(
        label=_("Number of questions"),
        initial=10,
        required=False,
        help_text=_("From 1 to %(n)s.") % {"n": MAX_QUESTIONS},
    )
    minutes = forms.IntegerField(
        label=_("Time limit (minutes, mock exam only)"),
        initial=30,
        required=False,
        help_text=_("From 1 to %(n)s.") % {"n": MAX_MINUTES},
    )


PASSED_CHOICES = (("", "---------"), ("true", _("Passed")), ("false", _("Not passed")))


class ResultForm(TablerFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"))
    id_number = forms.CharField(
        label=_("ID number"),
        help_text=_("The resident ID number of a person on file; it is never shown in full."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    year = forms.CharField(label=_("Exam year"))
    level = forms.ChoiceField(label=_("Exam level"), choices=ExamLevel.choices)
    subject = forms.ChoiceField(label=_("Subject"), choices=Subject.choices)
    score = forms.CharField(label=_("Score"), required=False)
    passed = forms.ChoiceField(label=_("Result"), choices=PASSED_CHOICES, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["name"]
            del self.fields["id_number"]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["passed"] = {"true": True, "false": False}.get(data.get("passed") or "")
        return data
