"""Benchmark: 1,000 members of the public enrolling at once in a free class of 300, through
gunicorn on SQLite.

    .venv/bin/python bench/enrolment.py                      # 1,000 people, 300 places
    .venv/bin/python bench/enrolment.py --people 200 --capacity 60

It prepares a temporary directory with production settings exactly as ``bench/checkin.py`` does
(its helpers are reused: environment, gunicorn, clients with their own addresses behind a trusted
proxy, waves of threads, p95), seeds the demo logins and places and one open class of
``--capacity`` places, starts gunicorn with 2 workers and:

1. ``--people`` threads at once, each a person with their own name, resident ID number, mobile
   and address, open the public enrolment page ``/training/enrol/?class=<id>`` (the form and its
   CSRF cookie) and send it back filled in, with no account, as a phone does;
2. the same number of threads request ``/healthz`` twice each, through the same gunicorn;
3. the same number of threads open and send the floor's empty form (``bench/checkin.py``,
   ``bench/floor_urls.py``), through the same gunicorn.

It checks that every POST answered the redirect to the confirmation page, that the class has
exactly ``--capacity`` confirmed enrolments and the rest on its waitlist (no over-booking, no one
lost), with no 5xx and no "database is locked" anywhere, and prints requests/s and p95 of both,
and the ratio of enrolment requests/s to /healthz requests/s (target >= 0.25). Exit status 1 on
an error, 2 on a missed target the floor reaches, 3 on a target beyond the floor.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkin import (  # noqa: E402
    FLOOR_PATH,
    ROOT,
    TARGET,
    Client,
    create_floor,
    environment,
    floor_report,
    floor_rows,
    floor_visitor,
    gunicorn_serving,
    healthz,
    p95,
    run_wave,
    send_form,
)

SEED = """
import datetime
from decimal import Decimal
from django.utils import timezone
from shegong.core.testing.personas import build_world
from shegong.training import services

world = build_world()
admin = world.users["training_admin"]
today = timezone.localdate()
course = services.course_create(
    actor=admin, subject="社会工作综合能力", level="junior", hours=Decimal("16")
)
klass = services.class_create(
    actor=admin, title="初级班", year=today.year, level="junior", capacity=CAPACITY,
    starts_on=today, ends_on=today + datetime.timedelta(days=60), courses=[course],
)
print(klass.pk)
"""


def resident_id(n: int) -> str:
    """The n-th synthetic GB 11643 number of 湖里区: distinct for n < 365 * 40 * 1000."""
    import datetime

    from stdnum.cn import ric

    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=n % (365 * 40))
    sequence = n // (365 * 40) % 1000
    body = f"350206{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def prepare(env: dict, capacity: int) -> int:
    python = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*python, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*python, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    seeded = subprocess.run(
        [*python, "shell", "-c", SEED.replace("CAPACITY", str(capacity))],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    create_floor(env)
    return int(seeded.stdout.split()[-1])


def person(n: int, port: int, path: str, class_id: int, results: list, start) -> None:
    send_form(
        n,
        port,
        path,
        results,
        start,
        fields=lambda _html: {
            "klass": class_id,
            "name": f"学员{n:04d}号",
            "id_type": "resident_id",
            "id_number": resident_id(n),
            "mobile": f"139{n:08d}",
            "employer_type": "social_org",
            "employer_name": "湖里区社工服务中心",
            "site": "",
        },
        succeeded=lambda status, _html: status == 302,
    )


def enrolment_counts(env: dict, class_id: int) -> dict[str, int]:
    code = (
        "from shegong.training.models import Enrolment; import json; "
        f"rows = Enrolment.objects.filter(klass_id={class_id}); "
        "print(json.dumps({s: rows.filter(status=s).count() "
        "for s in ('confirmed', 'waitlisted', 'cancelled')}))"
    )
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1000, help="people (default 1000)")
    parser.add_argument("--capacity", type=int, default=300, help="places (default 300)")
    args = parser.parse_args()
    threading.stack_size(512 * 1024)
    with tempfile.TemporaryDirectory(prefix="shegong-enrolment-") as tmp:
        workdir = Path(tmp)
        env = environment(workdir)
        class_id = prepare(env, args.capacity)
        path = f"/training/enrol/?class={class_id}"
        with gunicorn_serving(env, workdir) as port:
            # Both workers warm: the enrolment page and /healthz once each.
            Client(port, "10.255.0.2").request("GET", path)
            Client(port, "10.255.0.3").request("GET", "/healthz")
            Client(port, "10.255.0.4").request("GET", FLOOR_PATH)
            enrolments, enrol_seconds = run_wave(person, args.people, port, path, class_id)
            health, health_seconds = run_wave(healthz, args.people, port)
            floor, floor_seconds = run_wave(floor_visitor, args.people, port)
        server_log = (workdir / "gunicorn.log").read_text()
        counts = enrolment_counts(env, class_id)
        floor_run = (floor, floor_seconds, floor_rows(env), args.people)
    return report(
        args, enrolments, enrol_seconds, health, health_seconds, counts, server_log, floor_run
    )


def report(
    args, enrolments, enrol_seconds, health, health_seconds, counts, server_log, floor_run
) -> int:
    errors = [r for r in enrolments + health if r[0] == "ERR" or r[1] != 200]
    locked = "database is locked" in server_log or any(
        "database is locked" in r[3] for r in enrolments + health
    )
    enrol_rate = len(enrolments) / enrol_seconds
    health_rate = len(health) / health_seconds
    posts = [r[2] for r in enrolments if r[0] == "POST"]
    gets = [r[2] for r in enrolments if r[0] == "GET"]
    print(
        f"enrolment: {args.people} people, {len(enrolments)} requests in "
        f"{enrol_seconds:.2f} s = {enrol_rate:.1f} requests/s; p95 {p95(gets + posts):.3f} s "
        f"(GET p95 {p95(gets):.3f} s, POST p95 {p95(posts):.3f} s)"
    )
    print(
        f"/healthz:  {len(health)} requests in {health_seconds:.2f} s = {health_rate:.1f} "
        f"requests/s; p95 {p95([r[2] for r in health]):.3f} s"
    )
    ratio = enrol_rate / health_rate
    print(f"ratio (enrolment / healthz requests/s): {ratio:.2f} (target >= 0.25)")
    expected_confirmed = min(args.capacity, args.people)
    expected_waiting = args.people - expected_confirmed
    print(
        f"enrolments: {counts['confirmed']} confirmed (expected {expected_confirmed}), "
        f"{counts['waitlisted']} waitlisted (expected {expected_waiting}), "
        f"{counts['cancelled']} cancelled"
    )
    failed = False
    if errors:
        failed = True
        statuses = sorted({r[1] for r in errors})
        print(f"ERRORS: {len(errors)} requests failed (status {statuses}); first:")
        print(errors[0][3][:2000])
    if locked:
        failed = True
        print("ERROR: 'database is locked' reached a request or the log")
    if counts["confirmed"] != expected_confirmed or counts["waitlisted"] != expected_waiting:
        failed = True
        print("ERROR: the class is over-booked or someone was lost")
    if failed:
        return 1
    return floor_report("enrolment", enrol_rate, health_rate, floor_run, TARGET)


if __name__ == "__main__":
    sys.exit(main())
