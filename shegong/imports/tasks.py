"""Background tasks of imports (run by ``manage.py db_worker``, or inline when
SHEGONG_TASKS_IMMEDIATE=1)."""

from django_tasks import task

from shegong.imports import runner


@task()
def validate_import(job_id: int) -> str:
    return runner.run_safely(runner.validate_job, job_id)


@task()
def run_import(job_id: int) -> str:
    return runner.run_safely(runner.import_job, job_id)
