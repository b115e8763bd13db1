import django_tables2 as tables
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from shegong.accounts.models import User


class UserTable(tables.Table):
    username = tables.Column(linkify=("accounts:user_detail", {"pk": tables.A("pk")}))
    display_name = tables.Column()
    roles = tables.Column(empty_values=(), orderable=False, verbose_name=_("Roles"))
    is_active = tables.BooleanColumn()
    date_joined = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = User
        fields = ("username", "display_name", "roles", "is_active", "date_joined")
        attrs = {"class": "table card-table table-vcenter", "data-testid": "user-table"}
        empty_text = _("No users.")

    def render_roles(self, record):
        active = [a for a in getattr(record, "scoped_assignments", []) if a.is_active]
        return (
            format_html_join(
                " ", '<span class="badge bg-blue-lt">{}</span>', ((str(a),) for a in active)
            )
            or "—"
        )
