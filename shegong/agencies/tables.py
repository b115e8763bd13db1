import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from shegong.agencies.models import Agency


class AgencyTable(tables.Table):
    name = tables.Column(linkify=("agencies:detail", {"pk": tables.A("pk")}))
    street = tables.Column(
        accessor="community__street__name",
        verbose_name=_("Street"),
        order_by="community__street__code",
    )
    community = tables.Column(order_by="community__code")
    contact_phone_masked = tables.Column(verbose_name=_("contact phone"), orderable=False)
    is_active = tables.BooleanColumn()

    class Meta:
        model = Agency
        fields = ("name", "uscc", "kind", "street", "community", "contact_name")
        sequence = (
            "name",
            "uscc",
            "kind",
            "street",
            "community",
            "contact_name",
            "contact_phone_masked",
            "is_active",
        )
        attrs = {"class": "table card-table table-vcenter", "data-testid": "agency-table"}
        empty_text = _("No agencies.")
