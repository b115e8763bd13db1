"""Excel exports of the filtered lists: masked values only, each logged as an export."""

from django.utils.translation import gettext as _

from shegong.core.exports import xlsx_export


def _date(value):
    return value.isoformat() if value else ""


def _need_cells(need):
    return [
        need.number,
        need.title,
        str(need.get_category_display()),
        str(need.get_urgency_display()),
        need.people_affected,
        need.community.street.name,
        need.community.name,
        str(need.get_source_display()),
        _date(need.wanted_by),
        str(need.get_status_display()),
        need.agency.name if need.agency_id else "",
        need.resource.name if need.resource_id else "",
        _date(need.delivered_on),
        need.rating or "",
    ]


def _resource_cells(resource):
    return [
        resource.name,
        str(resource.get_kind_display()),
        resource.owner_name,
        resource.community.name,
        resource.category_labels,
        resource.capacity or "",
        resource.capacity_unit,
        _date(resource.available_from),
        _date(resource.available_to),
        resource.schedule,
        _("Yes") if resource.district_wide else _("No"),
        _("Yes") if resource.is_active else _("No"),
    ]


def _project_cells(project):
    return [
        project.title,
        project.community.name,
        project.category_labels,
        _date(project.starts_on),
        _date(project.ends_on),
        str(project.get_status_display()),
        project.lead_agency.name if project.lead_agency_id else "",
    ]


def _wish_cells(wish):
    return [
        wish.pk,
        wish.title,
        wish.public_recipient,
        wish.community.name,
        _date(wish.wanted_by),
        str(wish.get_status_display()),
        wish.claimant_name,
        wish.claimant_mobile_masked,
        wish.claimant_company,
        _date(wish.fulfilled_on),
    ]


def _export(rows, cells, title, header, object_type, **kwargs):
    return xlsx_export(
        rows.iterator(chunk_size=500),
        cells=cells,
        sheet_title=title,
        headers=header,
        object_type=object_type,
        **kwargs,
    )


def needs_xlsx(rows, **kwargs) -> bytes:
    header = [
        _("Number"),
        _("Title"),
        _("Category"),
        _("Urgency"),
        _("People affected"),
        _("Street"),
        _("Community"),
        _("Raised by"),
        _("Wanted by"),
        _("Status"),
        _("Dispatched to agency"),
        _("Dispatched to resource"),
        _("Delivered on"),
        _("Rating"),
    ]
    return _export(rows, _need_cells, _("Needs"), header, "resources.Need", **kwargs)


def resources_xlsx(rows, **kwargs) -> bytes:
    header = [
        _("Name"),
        _("Kind"),
        _("Owner"),
        _("Located in"),
        _("Categories served"),
        _("Capacity"),
        _("Capacity unit"),
        _("Available from"),
        _("Available to"),
        _("Schedule"),
        _("Serves the whole district"),
        _("Active"),
    ]
    return _export(rows, _resource_cells, _("Resources"), header, "resources.Resource", **kwargs)


def projects_xlsx(rows, **kwargs) -> bytes:
    header = [
        _("Title"),
        _("Community"),
        _("Categories"),
        _("Starts on"),
        _("Ends on"),
        _("Status"),
        _("Lead agency"),
    ]
    return _export(
        rows, _project_cells, _("Community projects"), header, "resources.Project", **kwargs
    )


def wishes_xlsx(rows, **kwargs) -> bytes:
    header = [
        _("Number"),
        _("Wish"),
        _("For"),
        _("Community"),
        _("Wanted by"),
        _("Status"),
        _("Claimant"),
        _("Claimant mobile"),
        _("Company"),
        _("Fulfilled on"),
    ]
    return _export(rows, _wish_cells, _("Small wishes"), header, "resources.Wish", **kwargs)


EXPORTS = {
    "need": needs_xlsx,
    "resource": resources_xlsx,
    "project": projects_xlsx,
    "wish": wishes_xlsx,
}
