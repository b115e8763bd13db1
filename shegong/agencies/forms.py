from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.agencies.models import Agency
from shegong.agencies.services import AGENCY_FIELDS, may_create_agency
from shegong.core.forms import TablerFormMixin, limit_choices
from shegong.places.models import Community
from shegong.places.selectors import communities_within


class AgencyForm(TablerFormMixin, forms.ModelForm):
    """Collects input only; the service validates (USCC, phone, scope) and writes.

    ``_post_clean`` is switched off so the form never copies input onto the instance nor runs
    model validation: the service's checks are the single source of truth, and the instance
    stays as stored until the service saves it.
    """

    class Meta:
        model = Agency
        fields = list(AGENCY_FIELDS)
        widgets = {
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "registered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uscc"].help_text = _("18 digits or capital letters, e.g. 52350206MJ0000101X.")
        choices = communities_within(user)
        if self.instance.pk:
            # The agency's current community stays selectable even when outside the editor's
            # place nodes; the director of the agency cannot move it at all.
            choices = choices | Community.objects.filter(pk=self.instance.community_id)
        limit_choices(self, "community", choices.select_related("street").order_by("code"))
        if self.instance.pk and not may_create_agency(user):
            # The director edits the record but neither moves nor closes the agency.
            self.fields["community"].disabled = True
            del self.fields["is_active"]
        if self.instance.pk:
            # Never put the stored number into the page: show its mask, keep it when left empty.
            self.initial["contact_phone"] = ""
            if self.instance.contact_phone:
                self.fields["contact_phone"].widget.attrs["placeholder"] = (
                    self.instance.contact_phone_masked
                )
                self.fields["contact_phone"].help_text = _(
                    "Leave empty to keep the current number."
                )

    def _post_clean(self):
        pass
