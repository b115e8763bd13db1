"""Reads of import jobs: a user sees only their own."""

from shegong.imports.models import ImportJob


def jobs_for(user):
    return ImportJob.objects.for_user(user).select_related("community", "agency")


def job_errors(job: ImportJob, limit: int = 200):
    return list(job.row_errors.all()[:limit])
