"""Benchmark: import a people sheet through the page's code path, against openpyxl merely
reading the same file.

    .venv/bin/python bench/people_import.py            # 100,000 rows
    .venv/bin/python bench/people_import.py --rows 2000

It writes an .xlsx of synthetic people with a few bad rows in one process, then, in a fresh
second process (so that its memory is the import's, not the sheet writer's), sets up a SQLite
database in a temporary directory (its own keys, media and demo logins) and:

1. imports it the way the upload page does: ``import_job_create`` (format and header check,
   stored upload, queued check), the check task (every row validated, duplicates looked up by
   blind index), the user's choice "import only the valid rows", and the import task (checked
   again, encrypted, inserted in bulk in one transaction). Tasks run inline.
2. times openpyxl in read-only mode iterating over every row of the same file, doing nothing.

It prints rows/s for both, their ratio (import / openpyxl; ≥ 1.0 means the whole import is at
least as fast as the bare read) and the peak resident memory of the process during the import
(the peak is reset after the setup, whose migrations alone briefly take more than the import).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(workdir: Path, database_url: str) -> None:
    os.environ["SHEGONG_VAR_DIR"] = str(workdir / "var")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["SHEGONG_TASKS_IMMEDIATE"] = "1"
    os.environ["DEBUG"] = "0"  # DEBUG keeps every SQL statement in memory
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "shegong.settings"
    (workdir / "var").mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_sheet(path: Path, rows: int, bad: int, community: str) -> list[int]:
    """Write the sheet; return the spreadsheet row numbers that were made bad."""
    sys.path.insert(0, str(ROOT))
    from shegong.imports.tests.sheets import people_rows, write_xlsx

    data = people_rows(rows, community=community)
    step = max(rows // max(bad, 1), 1)
    broken = []
    for i in range(bad):
        index = min(i * step + step // 2, rows - 1)
        row = data[index]
        kind = i % 3
        if kind == 0:  # wrong check digit
            row[2] = row[2][:-1] + ("0" if row[2][-1] != "0" else "1")
        elif kind == 1:  # malformed mobile
            row[3] = "1380013"
        else:  # repeats the first row's ID number
            row[2] = data[0][2]
        broken.append(index + 2)
    write_xlsx(path, data)
    return broken


def peak_rss_mb() -> float:
    """This process's peak resident memory (since the last ``reset_peak_rss``)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kib) / 1024


def resident_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGESIZE") / 2**20


def reset_peak_rss() -> bool:
    """Start the peak over from what is resident now (Linux: ``clear_refs`` 5), so that the
    peak measured next is the import's, not that of migrating and building the demo logins
    (about 300 MB, transient). False where the kernel does not allow it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def children_peak_rss_mb() -> float:
    """The forked processes that check rows (shegong.imports.parallel) share most pages with
    the parent copy-on-write; this is the largest one's own peak."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_import(path: Path, user, community):
    from django.core.files.uploadedfile import UploadedFile

    from shegong.imports.models import ImportJob
    from shegong.imports.services import import_job_confirm, import_job_create

    with path.open("rb") as handle:
        upload = UploadedFile(handle, name=path.name, size=path.stat().st_size)
        started = time.perf_counter()
        job = import_job_create(actor=user, upload=upload, kind="people", community=community)
        checked = time.perf_counter()
    job.refresh_from_db()
    if job.status == "validated":
        import_job_confirm(actor=user, job=job)
    done = time.perf_counter()
    return ImportJob.objects.get(pk=job.pk), checked - started, done - started


def run_openpyxl(path: Path) -> tuple[int, float]:
    from openpyxl import load_workbook

    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True)
    count = 0
    for _row in workbook.active.iter_rows(values_only=True):
        count += 1
    workbook.close()
    return count - 1, time.perf_counter() - started


# The community every synthetic row names: the demo world's home community.
COMMUNITY = "兴隆社区"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="data rows (default 100000)")
    parser.add_argument("--bad", type=int, default=10, help="rows made invalid (default 10)")
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL URL of an EMPTY database; SQLite if unset"
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the import")
    parser.add_argument("--sheet", type=Path, help=argparse.SUPPRESS)  # the measuring process
    parser.add_argument("--write-sheet", type=Path, help=argparse.SUPPRESS)  # the writer
    args = parser.parse_args()

    if args.write_sheet:
        started = time.perf_counter()
        broken = make_sheet(args.write_sheet, args.rows, args.bad, COMMUNITY)
        print(
            f"sheet: {args.rows:,} rows ({len(broken)} bad), "
            f"{args.write_sheet.stat().st_size / 1e6:.1f} MB, "
            f"written in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        return 0
    if args.sheet:
        return measure(args)
    with tempfile.TemporaryDirectory(prefix="shegong-sheet-") as tmp:
        sheet = Path(tmp) / "people.xlsx"
        passed = [f"--rows={args.rows}", f"--bad={args.bad}"]
        this = [sys.executable, __file__]
        subprocess.run([*this, *passed, f"--write-sheet={sheet}"], check=True)
        if args.database_url:
            passed.append(f"--database-url={args.database_url}")
        if args.profile:
            passed.append("--profile")
        return subprocess.run([*this, *passed, f"--sheet={sheet}"], check=False).returncode


def measure(args) -> int:
    path = args.sheet
    with tempfile.TemporaryDirectory(prefix="shegong-bench-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir, args.database_url)
        from shegong.core.testing.personas import build_world
        from shegong.people.models import Person

        world = build_world()
        assert world.home_community.name == COMMUNITY, world.home_community.name
        user = world.users["community_staff"]
        bad_rows = min(args.bad, args.rows)
        # A running task worker has these loaded already; loading them here would charge the
        # first import with a one-off cost of module imports and dictionaries.
        import shegong.imports.tasks  # noqa: F401
        import shegong.people.importers  # noqa: F401
        from shegong.people.search import search_text_for

        search_text_for("预热")
        setup_peak = peak_rss_mb()
        peak_reset = reset_peak_rss()
        rss_before = resident_mb()

        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        job, check_seconds, import_seconds = run_import(path, user, world.home_community)
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        rss_import = peak_rss_mb()
        imported = Person.objects.count()
        expected = args.rows - bad_rows
        if job.status != "done" or imported != expected:
            print(
                f"FAILED: job {job.status} {job.message!r}; {imported} people, expected {expected}"
            )
            return 1

        read_rows, openpyxl_seconds = run_openpyxl(path)
        assert read_rows == args.rows, read_rows

        import_rate = args.rows / import_seconds
        openpyxl_rate = args.rows / openpyxl_seconds
        print(
            f"import (check {check_seconds:.2f} s + choice + import): {import_seconds:.2f} s, "
            f"{import_rate:,.0f} rows/s; {job.error_rows} rows with errors, "
            f"{job.imported_rows:,} imported"
        )
        print(
            f"openpyxl read-only, iterate only:  {openpyxl_seconds:.2f} s, "
            f"{openpyxl_rate:,.0f} rows/s"
        )
        print(f"ratio (import / openpyxl rows/s):  {import_rate / openpyxl_rate:.2f}")
        print(
            f"peak RSS during the import: {rss_import:.0f} MB (resident before it "
            f"{rss_before:.0f} MB; the setup's peak, migrations and demo logins, was "
            f"{setup_peak:.0f} MB{'' if peak_reset else ', not reset: this kernel refused'}); "
            f"largest row-checking worker process: {children_peak_rss_mb():.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
