"""Background tasks of case work (run by ``manage.py db_worker``, or inline when
SHEGONG_TASKS_IMMEDIATE=1)."""

from django_tasks import task

from shegong.cases import export_jobs


@task()
def run_case_export(export_id: int) -> str:
    return export_jobs.case_export_run(export_id)
