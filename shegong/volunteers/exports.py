"""Excel export of the filtered volunteer list (no ID numbers, no mobiles), logged as an export."""

from django.utils.translation import gettext as _

from shegong.core.exports import xlsx_export


def volunteers_xlsx(rows, *, user, request=None, filters: str = "") -> bytes:
    return xlsx_export(
        rows.iterator(chunk_size=500),
        cells=lambda v: [
            v.number,
            v.person.name,
            v.team.name,
            v.team.owner_name,
            "、".join(v.skill_labels()),
            str(v.get_status_display()),
            v.approved_hours,
            v.points_balance,
        ],
        sheet_title=_("Volunteers"),
        headers=[
            _("Volunteer number"),
            _("Name"),
            _("Team"),
            _("Run by"),
            _("Skills"),
            _("Status"),
            _("Approved hours"),
            _("Points"),
        ],
        object_type="volunteers.VolunteerProfile",
        user=user,
        request=request,
        filters=filters,
    )
