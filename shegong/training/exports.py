"""Excel exports of the academy's filtered lists: masked mobiles, each written to the access log."""

from django.utils.translation import gettext as _

from shegong.core.exports import xlsx_export


def classes_xlsx(rows, *, user, request=None, filters: str = "") -> bytes:
    return xlsx_export(
        rows.iterator(chunk_size=500),
        cells=lambda k: [
            k.title,
            k.year,
            str(k.get_level_display()),
            k.capacity,
            k.confirmed,
            k.waitlisted,
            k.session_count,
            k.completed,
            k.cpd_hours,
        ],
        sheet_title=_("Classes"),
        headers=[
            _("Title"),
            _("Year"),
            _("Level"),
            _("Capacity"),
            _("Confirmed"),
            _("Waitlisted"),
            _("Sessions"),
            _("Completed"),
            _("Continuing-education hours"),
        ],
        object_type="training.TrainingClass",
        user=user,
        request=request,
        filters=filters,
    )


def enrolments_xlsx(rows, *, user, request=None, filters: str = "") -> bytes:
    def cells(e):
        completion = getattr(e, "completion", None)
        return [
            e.person.name,
            e.person.id_number_masked,
            e.mobile_masked,
            e.klass.title,
            e.site.name if e.site_id else "",
            str(e.get_employer_type_display()),
            e.employer_name,
            str(e.get_status_display()),
            e.attended,
            completion.certificate_number if completion else "",
            completion.hours if completion else "",
        ]

    return xlsx_export(
        rows.iterator(chunk_size=500),
        cells=cells,
        sheet_title=_("Learners"),
        headers=[
            _("Name"),
            _("ID number"),
            _("Mobile"),
            _("Class"),
            _("Remote site"),
            _("Employer type"),
            _("Employer"),
            _("Status"),
            _("Sessions attended"),
            _("Certificate number"),
            _("Hours"),
        ],
        object_type="training.Enrolment",
        user=user,
        request=request,
        filters=filters,
    )


def teachers_xlsx(rows, *, user, request=None, filters: str = "") -> bytes:
    return xlsx_export(
        rows.iterator(chunk_size=500),
        cells=lambda t: [
            t.name,
            t.organisation,
            t.title,
            t.expertise,
            t.session_count,
            round(t.rating, 2) if t.rating is not None else "",
            _("Yes") if t.is_active else _("No"),
        ],
        sheet_title=_("Teachers"),
        headers=[
            _("Name"),
            _("Organisation"),
            _("Title"),
            _("Expertise"),
            _("Sessions taught"),
            _("Rating"),
            _("Active"),
        ],
        object_type="training.Teacher",
        user=user,
        request=request,
        filters=filters,
    )
