"""Excel exports of the filtered question bank and results (masked ID numbers), logged."""

from django.utils.translation import gettext as _

from shegong.core.exports import xlsx_export


def questions_xlsx(questions, *, user, request=None, filters: str = "") -> bytes:
    """In the columns of the import template, so an export can be edited and imported into
    another district's bank."""
    from shegong.exams.import_columns import HEADERS

    def cells(q):
        return [
            str(q.get_subject_display()),
            str(q.get_level_display()),
            str(q.get_kind_display()),
            q.stem,
            q.option_a,
            q.option_b,
            q.option_c,
            q.option_d,
            q.option_e,
            q.answer,
            q.explanation,
            q.number,
            _("Yes") if q.is_active else _("No"),
        ]

    return xlsx_export(
        questions.iterator(chunk_size=500),
        cells=cells,
        sheet_title=_("Question bank"),
        headers=[*HEADERS, _("Number"), _("In use")],
        object_type="exams.Question",
        user=user,
        request=request,
        filters=filters,
    )


def results_xlsx(results, *, user, request=None, filters: str = "") -> bytes:
    def cells(r):
        return [
            r.person.name,
            r.person.id_number_masked,
            r.year,
            str(r.get_level_display()),
            str(r.get_subject_display()),
            r.score,
            _("Passed") if r.passed else _("Not passed"),
        ]

    return xlsx_export(
        results.iterator(chunk_size=500),
        cells=cells,
        sheet_title=_("Exam results"),
        headers=[
            _("Name"),
            _("ID number"),
            _("Exam year"),
            _("Exam level"),
            _("Subject"),
            _("Score"),
            _("Result"),
        ],
        object_type="exams.ExamResult",
        user=user,
        request=request,
        filters=filters,
    )
