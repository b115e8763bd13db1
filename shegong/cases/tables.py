"""Case lists. Place roles get the existence columns only (DESIGN §4.2): no client, no worker."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from shegong.cases.models import Case

EXISTENCE_COLUMNS = (
    "number",
    "status",
    "community",
    "intake_date",
    "risk_level",
    "person_times",
)
CONTENT_COLUMNS = ("client", "worker", "last_contact_date")


class CaseTable(tables.Table):
    """Sortable by the keys the CaseFilter's ``sort`` knows, so the page and the API agree."""

    number = tables.Column(
        verbose_name=_("Case number"), linkify=("cases:detail", {"pk": tables.A("pk")})
    )
    client = tables.Column(verbose_name=_("Client"), orderable=False, empty_values=())
    community = tables.Column(verbose_name=_("Community"), order_by="community__code")
    worker = tables.Column(verbose_name=_("Social worker"), orderable=False, empty_values=())
    last_contact_date = tables.DateColumn(
        verbose_name=_("Last contact"), format="Y-m-d", empty_values=()
    )
    intake_date = tables.DateColumn(verbose_name=_("Intake date"), format="Y-m-d")
    person_times = tables.Column(
        verbose_name=_("Person-times"), attrs={"td": {"class": "text-end"}}
    )

    class Meta:
        model = Case
        fields = ("number", "status", "risk_level", "intake_date", "person_times")
        sequence = (
            "number",
            "client",
            "status",
            "risk_level",
            "community",
            "worker",
            "intake_date",
            "last_contact_date",
            "person_times",
        )
        attrs = {"class": "table card-table table-vcenter", "data-testid": "case-table"}
        order_by_field = "sort"
        empty_text = _("No cases found.")

    def __init__(self, *args, show_content: bool = True, **kwargs):
        if not show_content:
            kwargs["exclude"] = CONTENT_COLUMNS
        super().__init__(*args, **kwargs)

    def render_client(self, record):
        # A mixed-role user may read some rows inside and only the existence of others.
        if not getattr(record, "has_content", True):
            return "—"
        return record.client.name

    def render_worker(self, record):
        if not getattr(record, "has_content", True):
            return "—"
        return str(record.worker)

    def render_last_contact_date(self, record, value):
        if not getattr(record, "has_content", True) or value is None:
            return "—"
        return value.strftime("%Y-%m-%d")


class MyCaseTable(CaseTable):
    """My work: the worker's own cases with overdue tasks and the no-contact flag."""

    overdue_tasks = tables.Column(
        verbose_name=_("Overdue tasks"), attrs={"td": {"class": "text-end"}}
    )
    no_contact = tables.BooleanColumn(verbose_name=_("No recent contact"))

    class Meta(CaseTable.Meta):
        exclude = ("worker", "community")
        sequence = (
            "number",
            "client",
            "status",
            "risk_level",
            "overdue_tasks",
            "last_contact_date",
            "no_contact",
            "intake_date",
            "person_times",
        )
        attrs = {"class": "table card-table table-vcenter", "data-testid": "my-case-table"}
        empty_text = _("No open cases.")

    def render_overdue_tasks(self, value):
        return value or "0"
