"""Benchmark: the purchased-service project page (live KPI actuals) and the budget execution
page at Huli scale.

    .venv/bin/python bench/projects.py                        # ≈1.13 M person-times, 200 projects
    .venv/bin/python bench/projects.py --cases 2000 --notes 40000 --attendance 10000 --requests 10
    .venv/bin/python bench/projects.py --data /tmp/shegong-projects   # keep and reuse the records

Data: the case register of ``bench/cases.py`` (its generator: clients, workers, cases and
service notes, whose participants are person-times), plus group and community activities of
the agencies with sessions and attendance (each attendance one person-time), written with
``executemany``; then about 200 projects over the years the records span, created through the
services by the district administrator (budgets, contracts, signing, payments, evaluations).

Measured in the same process, through the Django test client, pages requested in turn round
after round (see ``bench/cases.py``): the signed-in shell (the site's layout with nothing in it,
the same user), the project page of agency A's largest project (targets, live actuals, chart,
tranches, evaluations) and the budget execution page of the district administrator. Targets:
each p50 ≤ 4 × the shell's. Query counts are checked not to grow with the records: the project
page of a project with few records against the largest one, and the budget page with 2 against
all years.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import random
import statistics
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import (  # noqa: E402
    Inserter,
    Values,
    add_shell_page,
    make_cases,
    make_clients,
    make_staff,
    p95,
    queries,
    sql_ms,
    timed_together,
)
from people_import import setup_django  # noqa: E402

SEED = 20251201
TARGETS = {"project page": 4.0, "budget execution": 4.0}
PROJECTS_PER_YEAR = 34  # × 6 years ≈ 200


def make_activities(args, world, clients_of, rng: random.Random) -> int:
    """Group and community activities of the agencies with sessions and attendance."""
    from django.db import transaction
    from django.utils import timezone

    from shegong.activities.models import Activity, ActivitySession, Attendance

    values = Values()
    tz = timezone.get_current_timezone()
    today = datetime.date.today()
    agencies = sorted(clients_of)
    activities = Inserter(
        Activity,
        [
            "id",
            "kind",
            "title",
            "category",
            "description",
            "community",
            "agency",
            "starts_on",
            "ends_on",
            "stage",
            "created_at",
            "updated_at",
        ],
    )
    sessions = Inserter(
        ActivitySession,
        ["id", "activity", "starts_at", "ends_at", "place", "capacity", "created_at", "updated_at"],
    )
    attendance = Inserter(
        Attendance,
        ["session", "person", "source", "walk_in", "created_at", "updated_at"],
    )
    per_session = 12
    session_count = max(1, args.attendance // per_session)
    activity_id = session_id = 0
    written = 0
    with transaction.atomic():
        while session_id < session_count:
            agency = rng.choice(agencies)
            people = clients_of[agency]
            person, community = rng.choice(people)
            day = today - datetime.timedelta(days=rng.randrange(1, 6 * 365))
            activity_id += 1
            kind = "group" if rng.random() < 0.4 else "community"
            activities.add(
                activity_id,
                kind,
                "社区活动",
                "neighbourhood",
                "",
                community,
                agency,
                values.date(day),
                values.date(day + datetime.timedelta(days=60)),
                "mature" if kind == "group" else "",
                values.stamp(day),
                values.stamp(day),
            )
            for n in range(6):
                session_id += 1
                start = datetime.datetime.combine(
                    day + datetime.timedelta(days=7 * n), datetime.time(9), tzinfo=tz
                )
                sessions.add(
                    session_id,
                    activity_id,
                    values.ops.adapt_datetimefield_value(start),
                    values.ops.adapt_datetimefield_value(start + datetime.timedelta(hours=2)),
                    "活动室",
                    30,
                    values.stamp(day),
                    values.stamp(day),
                )
                seen = set()
                for _ in range(per_session):
                    pk = rng.choice(people)[0]
                    if pk in seen:
                        continue
                    seen.add(pk)
                    attendance.add(
                        session_id, pk, "staff", False, values.stamp(day), values.stamp(day)
                    )
                    written += 1
        for inserter in (activities, sessions, attendance):
            inserter.flush()
    return written


def make_projects(world, rng: random.Random) -> dict:
    """≈200 projects over six years through the services, all agencies and streets."""
    from shegong.agencies.models import Agency
    from shegong.purchasing import services
    from shegong.purchasing.choices import Stage

    admin, evaluator = world.users["district_admin"], world.users["evaluator"]
    agencies = list(Agency.objects.order_by("pk"))
    streets = list(world.district.streets.order_by("code"))
    today = datetime.date.today()
    for year in range(today.year - 5, today.year + 1):
        budget = services.budget_create(actor=admin, year=year, amount=Decimal("20000000"))
        for n in range(PROJECTS_PER_YEAR):
            street = streets[n % len(streets)]
            communities = list(street.communities.order_by("code"))
            served = rng.sample(communities, min(3, len(communities)))
            agency = agencies[n % len(agencies)]
            if year == today.year - 1 and n == 0:
                agency, served = (
                    world.agency_a,
                    [world.home_community]
                    + [
                        c
                        for c in world.home_street.communities.order_by("code")
                        if c != world.home_community
                    ][:2],
                )
                street = world.home_street
            project = services.project_create(
                actor=admin,
                budget=budget,
                agency=agency,
                street=street,
                communities=served,
                title=f"{year}年项目{n + 1}",
                starts_on=datetime.date(year, 1, 1),
                ends_on=datetime.date(year, 12, 31) if year < today.year else today,
                contract_amount=Decimal("500000"),
                target_cases=50,
                target_group_sessions=20,
                target_community_sessions=40,
                target_person_times=5000,
                target_volunteer_hours=300,
                target_satisfaction=90,
            )
            services.project_sign(actor=admin, project=project, signed_on=datetime.date(year, 1, 5))
            services.tranche_pay(
                actor=admin, tranche=project.tranches.get(seq=1), paid_on=datetime.date(year, 1, 10)
            )
            if year < today.year:
                services.project_assign_evaluator(actor=admin, project=project, evaluator=evaluator)
                services.evaluation_submit(
                    actor=evaluator,
                    project=project,
                    stage=Stage.MIDTERM,
                    scores={k: 80 for k in ("professional", "outcomes", "management", "finance")},
                    satisfaction=90,
                    evaluated_on=datetime.date(year, 7, 1),
                    rectifications=[("完善记录", datetime.date(year, 9, 1))],
                )
    # The measured pages: the past-year project with the most person-times, and the one with
    # the fewest (same shape: signed, paid once, mid-term evaluated), for the flat-count check.
    from shegong.purchasing.models import Project
    from shegong.purchasing.selectors import kpi_actuals

    past = Project.objects.filter(budget__year__lt=today.year)
    ranked = sorted(past, key=lambda project: kpi_actuals(project)["person_times"])
    return {"largest": ranked[-1].pk, "smallest": ranked[0].pk}


def measure(args, world, ids) -> int:
    from django.test import Client

    from shegong.purchasing.models import Project
    from shegong.purchasing.selectors import kpi_actuals

    admin = Client()
    admin.force_login(world.users["district_admin"])
    shell = add_shell_page()
    largest, smallest = ids["largest"], ids["smallest"]
    actuals = kpi_actuals(Project.objects.get(pk=largest))
    few = kpi_actuals(Project.objects.get(pk=smallest))
    print(f"largest project's actuals: {actuals}")
    pages = [
        ("project page", f"project /purchasing/{largest}/", f"/purchasing/{largest}/"),
        ("budget execution", "budget execution /purchasing/budgets/", "/purchasing/budgets/"),
    ]
    measured = [(Client(), "/healthz"), (admin, shell)] + [(admin, p) for *_x, p in pages]
    samples = timed_together(measured, args.requests)
    health_p50 = statistics.median(samples[0][0])
    shell_p50, shell_cpu = statistics.median(samples[1][0]), statistics.median(samples[1][1])
    columns = ("p50 ms", "p95 ms", "sql ms", "queries", "/shell", "target", "cpu/shell")
    print(f"\n{'page':42} " + " ".join(f"{c:>9}" for c in columns))
    print(f"{'/healthz':42} {health_p50:9.2f} {p95(samples[0][0]):9.2f}")
    print(
        f"{'shell ' + shell:42} {shell_p50:9.2f} {p95(samples[1][0]):9.2f} "
        f"{sql_ms(admin, shell):9.2f} {queries(admin, shell):9} {'1.0':>9}"
    )
    within = True
    for (key, label, path), (wall, cpu) in zip(pages, samples[2:], strict=True):
        p50 = statistics.median(wall)
        ratio = p50 / shell_p50
        within &= ratio <= TARGETS[key]
        print(
            f"{label:42} {p50:9.2f} {p95(wall):9.2f} {sql_ms(admin, path):9.2f} "
            f"{queries(admin, path):9} {ratio:9.1f} {'<= 4':>9} "
            f"{statistics.median(cpu) / shell_cpu:9.1f}"
        )
    print("\nquery counts against the records:")
    counts = {
        "project (few records)": queries(admin, f"/purchasing/{smallest}/"),
        "project (most records)": queries(admin, f"/purchasing/{largest}/"),
        "budgets (2 years)": queries(
            admin, f"/purchasing/budgets/?year={datetime.date.today().year}"
        ),
        "budgets (all years)": queries(admin, "/purchasing/budgets/"),
    }
    for label, count in counts.items():
        print(f"  {label:26} {count} queries")
    flat = (
        counts["project (few records)"] == counts["project (most records)"]
        and counts["budgets (2 years)"] == counts["budgets (all years)"]
    )
    print(f"  few-records project person-times: {few['person_times']}")
    print(
        f"\nratio targets (p50 / shell): {'met' if within else 'NOT met'}; "
        f"query counts {'flat' if flat else 'grow with records'}"
    )
    return 0 if within and flat else 1


def run(args, workdir: Path) -> int:
    """Generate the records into ``workdir`` (or reuse the ones a previous run left there with
    the same sizes), then measure."""
    setup_django(workdir, "")
    from django.db import connection

    from shegong.core.testing.personas import build_world

    world = build_world()
    saved = workdir / "bench-projects.json"
    sizes = {key: getattr(args, key) for key in ("cases", "notes", "clients", "attendance")}
    if saved.exists():
        ids = json.loads(saved.read_text())
        if ids["sizes"] != sizes:
            sys.exit(f"{workdir} holds other sizes: {ids['sizes']}")
        print(f"reusing {workdir}: {sizes}")
        gc.freeze()
        return measure(args, world, ids)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size = -200000")
    rng = random.Random(SEED)
    staff_of = make_staff(world, rng)
    clients_of = make_clients(args.clients, world, rng)
    make_cases(args, world, staff_of, clients_of, rng)
    attended = make_activities(args, world, clients_of, rng)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(participants), 0) FROM cases_servicenote")
        note_times = cursor.fetchone()[0]
        cursor.execute("ANALYZE")
    print(
        f"generated: {args.cases:,} cases, {note_times:,} note person-times, "
        f"{attended:,} attendances = {note_times + attended:,} person-times"
    )
    ids = make_projects(world, rng)
    saved.write_text(json.dumps({**ids, "sizes": sizes}))
    del staff_of, clients_of
    gc.collect()
    gc.freeze()
    return measure(args, world, ids)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=40_000)
    parser.add_argument("--notes", type=int, default=700_000)
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--attendance", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--data",
        type=Path,
        help="keep the generated database in this directory, and reuse it when it is there",
    )
    args = parser.parse_args()
    if args.data:
        args.data.mkdir(parents=True, exist_ok=True)
        return run(args, args.data)
    with tempfile.TemporaryDirectory(prefix="shegong-bench-") as tmp:
        return run(args, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
