import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from shegong.people.models import Person


class PersonTable(tables.Table):
    """Masked values only; sorting by ID number or mobile is impossible (they are encrypted)."""

    number = tables.Column(
        verbose_name=_("No."),
        order_by="id",
        linkify=("people:detail", {"pk": tables.A("pk")}),
        empty_values=(),
    )
    name = tables.Column(verbose_name=_("Name"), linkify=("people:detail", {"pk": tables.A("pk")}))
    id_number_masked = tables.Column(verbose_name=_("ID number"), orderable=False)
    mobile_masked = tables.Column(verbose_name=_("Mobile"), orderable=False)
    age = tables.Column(verbose_name=_("Age"), order_by="-birth_date", empty_values=())
    community = tables.Column(order_by="community__code")
    owner_agency = tables.Column(order_by="owner_agency__name")

    class Meta:
        model = Person
        fields = ("name", "gender", "birth_date", "id_type", "community", "owner_agency")
        sequence = (
            "number",
            "name",
            "gender",
            "birth_date",
            "age",
            "id_type",
            "id_number_masked",
            "mobile_masked",
            "community",
            "owner_agency",
        )
        attrs = {"class": "table card-table table-vcenter", "data-testid": "person-table"}
        empty_text = _("Nobody found.")

    def render_number(self, record):
        return record.number

    def render_age(self, record):
        age = record.age()
        return "" if age is None else age
