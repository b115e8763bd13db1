"""The administrative tree: district → street (街道) → community (社区).

Three plain tables rather than a generic tree: the depth is fixed by law, and a foreign key per
level makes every scope filter a simple join.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.models import BaseModel
from shegong.core.scope import ScopedManager, ScopeRule
from shegong.core.validators import single_line_text, visible_text

PLACE_EDITORS = frozenset({"district_admin"})


class District(BaseModel):
    code = models.CharField(
        _("statistical code"), max_length=12, unique=True, validators=[single_line_text]
    )
    name = models.CharField(_("name"), max_length=50, validators=[single_line_text, visible_text])

    objects = ScopedManager()
    scope_rule = ScopeRule(roles={"change": PLACE_EDITORS}, district="self", everyone_views=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name


class Street(BaseModel):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="streets", verbose_name=_("district")
    )
    code = models.CharField(
        _("statistical code"), max_length=12, unique=True, validators=[single_line_text]
    )
    name = models.CharField(_("name"), max_length=50, validators=[single_line_text, visible_text])

    objects = ScopedManager()
    scope_rule = ScopeRule(roles={"change": PLACE_EDITORS}, street="self", everyone_views=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("street")
        verbose_name_plural = _("streets")

    def __str__(self):
        return self.name


class Community(BaseModel):
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="communities", verbose_name=_("street")
    )
    code = models.CharField(
        _("statistical code"), max_length=12, unique=True, validators=[single_line_text]
    )
    name = models.CharField(_("name"), max_length=50, validators=[single_line_text, visible_text])
    urban_village = models.BooleanField(
        _("urban village"),
        default=False,
        help_text=_("城中村: no public list designates them, so the district sets this flag."),
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(roles={"change": PLACE_EDITORS}, community="self", everyone_views=True)
    # Choosing a community: one list group per street (core.forms.GroupedChoiceIterator).
    choice_group = "street"

    class Meta:
        ordering = ["code"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self):
        return self.name
