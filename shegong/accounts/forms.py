from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from shegong.core.forms import TablerFormMixin


class LoginForm(TablerFormMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class UserCreateForm(TablerFormMixin, forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=50, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; the user should change it after logging in."),
    )


class RoleGrantForm(TablerFormMixin, forms.Form):
    """A role and a node. Both lists hold only what this administrator may grant."""

    role = forms.ChoiceField(label=_("Role"))
    node = forms.ChoiceField(label=_("Where"))

    def __init__(self, *args, admin, **kwargs):
        from shegong.accounts.choices import NodeKind, Role
        from shegong.accounts.selectors import grantable_nodes, grantable_roles
        from shegong.places.models import Street

        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["role"].choices = [("", self.blank_label)] + [
            (role, labels[role]) for role in grantable_roles(admin)
        ]
        kind_labels = dict(NodeKind.choices)
        streets = dict(Street.objects.values_list("pk", "name"))
        groups: dict[str, list] = {}
        for kind, node in grantable_nodes(admin):
            group = kind_labels[kind]
            if kind == NodeKind.COMMUNITY:
                # Communities under their street, as everywhere a community is chosen.
                group = f"{group} · {streets[node.street_id]}"
            groups.setdefault(group, []).append((f"{kind}:{node.pk}", str(node)))
        self.fields["node"].choices = [("", self.blank_label), *groups.items()]

    def clean_node(self):
        from shegong.accounts.selectors import resolve_node

        kind, _sep, pk = self.cleaned_data["node"].partition(":")
        node = resolve_node(kind, pk)
        if node is None:
            raise forms.ValidationError(_("Choose where the role applies."))
        return node


class TokenCreateForm(TablerFormMixin, forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("token", "Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the mobile app or a reporting script."),
    )
    # Every token expires: at most, and by default, SHEGONG_API_TOKEN_DAYS after it is made.
    expires_in_days = forms.TypedChoiceField(label=_("Expires"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = settings.SHEGONG_API_TOKEN_DAYS
        days = sorted({d for d in (7, 30, 90) if d < default} | {default})
        field = self.fields["expires_in_days"]
        field.choices = [
            (d, ngettext("in %(days)d day", "in %(days)d days", d) % {"days": d}) for d in days
        ]
        field.initial = default
