"""Excel export of the filtered activity list (no personal data), logged as an export."""

from django.utils.translation import gettext as _

from shegong.core.exports import xlsx_export


def _headers() -> list[str]:
    return [
        _("Title"),
        _("Kind"),
        _("Category"),
        _("Street"),
        _("Community"),
        _("Organiser"),
        _("Starts on"),
        _("Ends on"),
        _("Stage"),
        _("Sessions"),
        _("Person-times"),
    ]


def _cells(activity) -> list:
    return [
        activity.title,
        str(activity.get_kind_display()),
        str(activity.get_category_display()),
        activity.community.street.name,
        activity.community.name,
        activity.organiser_name,
        activity.starts_on,
        activity.ends_on,
        str(activity.get_stage_display()) if activity.stage else "",
        activity.session_count,
        activity.person_times,
    ]


def activities_xlsx(activities, *, user, request=None, filters: str = "") -> bytes:
    return xlsx_export(
        activities.iterator(chunk_size=500),
        cells=_cells,
        sheet_title=_("Activities"),
        headers=_headers(),
        object_type="activities.Activity",
        user=user,
        request=request,
        filters=filters,
    )
