"""Reads of import jobs: a user sees only their own."""

from shegong.imports.models import ImportJob


def jobs_for(user):
    return ImportJob.objects.for_user(user).select_related("community", "agency")


def job_errors(job: ImportJob, limit: int = 200):
    # In the order the rows were checked: sheet by sheet, row by row.
    return list(job.row_errors.order_by("id")[:limit])
