"""Benchmark: case-work pages over a district-sized case register.

    .venv/bin/python bench/cases.py                          # 50,000 cases, 1,000,000 notes
    .venv/bin/python bench/cases.py --cases 2000 --notes 40000 --requests 10

It sets up a fresh SQLite database in a temporary directory (its own keys and demo logins, as
bench/people_import.py does) and fills it quickly: clients go through the ORM's bulk insert so
their ID numbers and mobiles are encrypted and indexed like real rows; cases, their assessments,
plans, goals, tasks, reviews, evaluations, history and service notes are written with
``executemany`` in the shape the services leave them in (person-times = the notes' participants,
an approved plan before the intervention, an approved closure behind every closed case).

The distribution is the district's: eight agencies of different sizes, ~85 social workers with
skewed caseloads, clients spread over Huli's communities, intake dates over six years, nine in
ten cases closed, about twenty notes per case (gamma-distributed, so some run long).

Then, in the same process, it measures through the Django test client (middleware, scope,
templates: the whole server side, no network):

- "My work" (/cases/my/) of the demo social worker,
- the agency case list (/cases/) of the demo agency director,
- the case file (/cases/<pk>/) of one of the worker's cases with 20 notes,
- /healthz, the floor every request pays; for scale, the notification bell (the least a
  signed-in request costs: session, user, roles, one count) and the home page,
- the signed-in shell: a bench-only page rendering the site's layout with nothing in it, for
  the same user (``add_shell_page``), which every signed-in page pays before its own work.

The pages are requested in turn, round after round, so load from elsewhere on the machine weighs
on all of them alike. It prints p50/p95 over ``--requests`` rounds, the database's share of one
request, the query count, each page's p50 as a ratio to /healthz and to the shell (the targets,
``TARGETS``: My work and the agency list <= 4 x the shell, the case file <= 5 x), and the same
ratio on CPU time (this thread's), which holds better than the wall clock on a busy machine.
Query counts are checked not to grow with the rows on the page (5 vs 25 vs 100 rows per page; a
file with 5 notes vs one with 20). It exits non-zero when a target or a flat count is missed.

Generating 50,000 cases takes a few minutes: ``--data DIR`` keeps the database in DIR and the
next run with the same ``--cases``/``--notes`` reuses it (``--data /tmp/shegong-bench``).
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
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from people_import import peak_rss_mb, setup_django  # noqa: E402

SEED = 20240601
YEARS = 6
CLOSED_SHARE = 0.9
# Agency sizes (generated social workers; agency A also has the demo worker).
AGENCY_WORKERS = (15, 14, 12, 11, 10, 9, 8, 6)
OPEN_STATUS_WEIGHTS = {
    "intake": 8,
    "assessment": 8,
    "planning": 8,
    "intervention": 60,
    "evaluation": 10,
    "closure_pending": 6,
}
STAGE_ORDER = (
    "intake",
    "assessment",
    "planning",
    "intervention",
    "evaluation",
    "closure_pending",
    "closed",
)
PROBLEMS = (
    "独居老人，行动不便，日常照料缺乏。",
    "低保家庭，子女学业受影响，家庭经济困难。",
    "困境儿童，父母外出务工，由祖辈照顾。",
    "残疾人就业困难，希望获得职业培训。",
    "家庭关系紧张，夫妻矛盾影响子女。",
    "失业后情绪低落，社会支持薄弱。",
    "慢性病患者，需要链接医疗救助资源。",
    "台胞家庭子女入学咨询及居住登记。",
)
NOTE_TEXTS = (
    "入户探访，了解案主近期生活状况，情绪较稳定。",
    "电话回访，确认救助申请材料已递交街道。",
    "陪同案主前往社区卫生服务中心复诊。",
    "与案主及其女儿面谈，讨论照护分工。",
    "链接社区长者食堂，安排每周三次送餐。",
    "个案会议：与社区、医院社工共同商讨安置方案。",
    "外展时偶遇案主，简短交谈，约定下次家访时间。",
    "协助填写临时救助申请表，并解释审批流程。",
)
METHODS = ("home_visit", "office", "phone", "online", "outreach", "accompany", "case_meeting")
METHOD_WEIGHTS = (35, 15, 30, 5, 5, 7, 3)
PARTICIPANTS = (1, 2, 3, 4, 5)
PARTICIPANT_WEIGHTS = (80, 12, 5, 2, 1)
# Case ids that become the demo worker's measured files: (name, number of notes).
BENCH_FILES = {1: ("twenty", 20), 2: ("five", 5)}


class Inserter:
    """``executemany`` into one model's table, columns named by field."""

    def __init__(self, model, fields: list[str], batch: int = 20_000):
        from django.db import connection

        self.connection = connection
        meta = model._meta
        columns = [meta.get_field(name).column for name in fields]
        quote = connection.ops.quote_name
        self.sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        self.rows: list[tuple] = []
        self.batch = batch
        self.count = 0

    def add(self, *row) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            with self.connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.count += len(self.rows)
            self.rows = []


class Values:
    """Database values of dates and times, computed once per day (a million notes share them)."""

    def __init__(self):
        from django.db import connection
        from django.utils import timezone

        self.ops = connection.ops
        self.tz = timezone.get_current_timezone()
        self._dates: dict[int, str] = {}
        self._stamps: dict[int, str] = {}

    def date(self, day: datetime.date | None):
        if day is None:
            return None
        key = day.toordinal()
        if key not in self._dates:
            self._dates[key] = self.ops.adapt_datefield_value(day)
        return self._dates[key]

    def stamp(self, day: datetime.date):
        """A timestamp in the working day of ``day`` (created_at of rows written that day)."""
        key = day.toordinal()
        if key not in self._stamps:
            moment = datetime.datetime.combine(day, datetime.time(10, 30), tzinfo=self.tz)
            self._stamps[key] = self.ops.adapt_datetimefield_value(moment)
        return self._stamps[key]


# --- people and staff -----------------------------------------------------------------------------


def make_staff(world, rng: random.Random) -> dict[int, dict]:
    """Social workers and a supervisor per agency; returns {agency_pk: {"workers", "lead"}}."""
    from shegong.accounts.models import RoleAssignment, User
    from shegong.agencies.models import Agency

    agencies = list(Agency.objects.order_by("pk"))
    users, assignments = [], []
    plan = {}
    for index, agency in enumerate(agencies):
        size = AGENCY_WORKERS[index % len(AGENCY_WORKERS)]
        staff = []
        for n in range(size + 1):
            role = "supervisor" if n == 0 else "social_worker"
            user = User(
                username=f"a{agency.pk}_{role}_{n}", display_name=f"{agency.pk}号机构社工{n}"
            )
            user.set_unusable_password()
            users.append(user)
            staff.append((user, role))
        plan[agency.pk] = staff
    User.objects.bulk_create(users, batch_size=500)
    saved = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
    staff_of: dict[int, dict] = {}
    for agency in agencies:
        workers, lead = [], None
        for user, role in plan[agency.pk]:
            user = saved[user.username]
            assignments.append(RoleAssignment(user=user, role=role, agency=agency))
            if role == "supervisor":
                lead = user.pk
            else:
                workers.append(user.pk)
        staff_of[agency.pk] = {"workers": workers, "lead": lead}
    RoleAssignment.objects.bulk_create(assignments, batch_size=500)
    # The demo logins of agency A carry cases like everyone else.
    a = staff_of[world.agency_a.pk]
    a["workers"].insert(0, world.users["social_worker"].pk)
    a["lead"] = world.users["supervisor"].pk
    # Caseloads are skewed: a few workers carry much more than others.
    for entry in staff_of.values():
        entry["weights"] = [rng.uniform(0.5, 1.5) for _ in entry["workers"]]
    return staff_of


def make_clients(count: int, world, rng: random.Random) -> dict[int, list[tuple[int, int]]]:
    """People through the ORM (encrypted, indexed); returns {agency_pk: [(person, community)]}."""
    from shegong.agencies.models import Agency
    from shegong.people.models import Person
    from shegong.people.tests.factories import mobile, resident_id
    from shegong.places.models import Community

    agencies = list(Agency.objects.order_by("pk").values_list("pk", flat=True))
    weights = [AGENCY_WORKERS[i % len(AGENCY_WORKERS)] for i in range(len(agencies))]
    communities = list(
        Community.objects.filter(street__district=world.district).values_list("pk", flat=True)
    )
    surnames, given = "陈林黄张李吴王郑蔡许杨洪刘谢郭", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
    people = []
    for n in range(1, count + 1):
        number = resident_id(n + 500_000)
        name = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
        people.append(
            Person(
                name=name,
                id_number=number,
                mobile=mobile(n + 500_000),
                birth_date=datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                gender="male" if int(number[16]) % 2 else "female",
                community_id=rng.choice(communities),
                owner_agency_id=rng.choices(agencies, weights)[0],
                search_text=name,
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)
    by_agency: dict[int, list[tuple[int, int]]] = {pk: [] for pk in agencies}
    for pk, community, agency in Person.objects.filter(owner_agency__isnull=False).values_list(
        "pk", "community_id", "owner_agency_id"
    ):
        by_agency[agency].append((pk, community))
    return by_agency


# --- cases ---------------------------------------------------------------------------------------


def note_counts(cases: int, notes: int, rng: random.Random) -> list[int]:
    """Notes per case: gamma-distributed around the mean, adjusted to the exact total."""
    mean = notes / cases
    counts = [max(0, round(rng.gammavariate(2.0, mean / 2.0))) for _ in range(cases)]
    difference = notes - sum(counts)
    while difference:
        i = rng.randrange(cases)
        if difference > 0:
            counts[i] += 1
            difference -= 1
        elif counts[i] > 0:
            counts[i] -= 1
            difference += 1
    return counts


def make_cases(args, world, staff_of, clients_of, rng: random.Random) -> dict:
    """Every case-work row; returns the ids the measurement needs."""
    from django.db import transaction

    from shegong.cases.models import (
        Assessment,
        Case,
        CaseEvent,
        Evaluation,
        NoteComment,
        PlanGoal,
        PlanTask,
        Review,
        ServiceNote,
        ServicePlan,
    )

    values = Values()
    today = datetime.date.today()
    agencies = sorted(staff_of)
    weights = [len(staff_of[a]["workers"]) for a in agencies]
    counts = note_counts(args.cases, args.notes, rng)
    demo_worker = world.users["social_worker"].pk
    bench_files = {}

    cases = Inserter(
        Case,
        [
            "id",
            "number",
            "client",
            "agency",
            "community",
            "worker",
            "status",
            "source",
            "presenting_problem",
            "risk_level",
            "is_taiwan_service",
            "intake_date",
            "last_contact_date",
            "person_times",
            "status_before_closure",
            "closure_reason",
            "closure_note",
            "closed_on",
            "created_at",
            "updated_at",
        ],
        batch=5000,
    )
    notes = Inserter(
        ServiceNote,
        [
            "id",
            "case",
            "contact_date",
            "duration_minutes",
            "method",
            "content",
            "participants",
            "created_by",
            "created_at",
            "updated_at",
        ],
    )
    comments = Inserter(NoteComment, ["note", "author", "text", "created_at", "updated_at"])
    assessments = Inserter(
        Assessment,
        [
            "case",
            "assessed_on",
            "needs",
            "strengths",
            "risks",
            "risk_level",
            "summary",
            "created_by",
            "created_at",
            "updated_at",
        ],
    )
    plans = Inserter(
        ServicePlan,
        ["id", "case", "version", "status", "summary", "created_by", "created_at", "updated_at"],
    )
    goals = Inserter(PlanGoal, ["id", "plan", "description", "measure", "created_at", "updated_at"])
    tasks = Inserter(
        PlanTask,
        ["plan", "goal", "description", "due_date", "done_on", "created_at", "updated_at"],
    )
    reviews = Inserter(
        Review,
        [
            "case",
            "kind",
            "plan",
            "status",
            "requested_by",
            "decided_by",
            "decided_at",
            "comment",
            "created_at",
            "updated_at",
        ],
    )
    evaluations = Inserter(
        Evaluation,
        ["case", "evaluated_on", "attainment", "summary", "created_by", "created_at", "updated_at"],
    )
    events = Inserter(
        CaseEvent, ["case", "kind", "from_status", "to_status", "actor", "note", "created_at"]
    )
    needs = json.dumps(
        {
            "livelihood": {"level": "high", "note": "收入不稳定"},
            "care": {"level": "some", "note": ""},
        }
    )
    open_statuses = list(OPEN_STATUS_WEIGHTS)
    open_weights = list(OPEN_STATUS_WEIGHTS.values())
    note_id = plan_id = goal_id = carry = 0
    span = YEARS * 365

    with transaction.atomic():
        for case_id in range(1, args.cases + 1):
            measured = BENCH_FILES.get(case_id)
            agency = world.agency_a.pk if measured else rng.choices(agencies, weights)[0]
            staff = staff_of[agency]
            worker = demo_worker if measured else rng.choices(staff["workers"], staff["weights"])[0]
            lead = staff["lead"]
            client, community = rng.choice(clients_of[agency])
            closed = not measured and rng.random() < CLOSED_SHARE
            if closed:
                intake = today - datetime.timedelta(days=rng.randint(60, span))
                end = min(intake + datetime.timedelta(days=rng.randint(30, 400)), today)
                status = "closed"
            else:
                intake = today - datetime.timedelta(days=rng.randint(30, 365))
                end = today
                status = "intervention" if measured else rng.choices(open_statuses, open_weights)[0]
            # Notes a case cannot take (a fresh intake, a measured file of fixed size) go to
            # the next one, so the total comes out exact.
            wanted = counts[case_id - 1] + carry
            n_notes = wanted
            if status == "intake":
                n_notes = min(n_notes, 1)
            if measured:
                # The measured files of the demo worker, with known sizes.
                bench_files[measured[0]], n_notes = case_id, measured[1]
            n_notes = max(n_notes, 0)
            carry = wanted - n_notes
            stage = STAGE_ORDER.index(status)
            days = max((end - intake).days, 0)
            contact_days = sorted(
                intake + datetime.timedelta(days=rng.randint(0, days)) for _ in range(n_notes)
            )
            person_times = 0
            for day in contact_days:
                note_id += 1
                participants = rng.choices(PARTICIPANTS, PARTICIPANT_WEIGHTS)[0]
                person_times += participants
                stamp = values.stamp(day)
                notes.add(
                    note_id,
                    case_id,
                    values.date(day),
                    rng.choice((20, 30, 45, 60, 90, 120)),
                    rng.choices(METHODS, METHOD_WEIGHTS)[0],
                    rng.choice(NOTE_TEXTS),
                    participants,
                    worker,
                    stamp,
                    stamp,
                )
                if rng.random() < 0.02:
                    comments.add(note_id, lead, "请注意记录案主的情绪变化。", stamp, stamp)
            created = values.stamp(intake)
            updated = values.stamp(end)
            cases.add(
                case_id,
                f"{intake.year}-{agency:03d}-{case_id:06d}",
                client,
                agency,
                community,
                worker,
                status,
                rng.choice(("walk_in", "referral", "outreach", "community")),
                rng.choice(PROBLEMS),
                rng.choices(("low", "medium", "high", "crisis"), (50, 35, 12, 3))[0],
                False,
                values.date(intake),
                values.date(contact_days[-1]) if contact_days else None,
                person_times,
                "evaluation" if status == "closure_pending" else "",
                "goals_achieved" if stage >= STAGE_ORDER.index("closure_pending") else "",
                "",
                values.date(end) if closed else None,
                created,
                updated,
            )
            events.add(case_id, "opened", "", "intake", worker, "", created)
            if stage >= 1:
                assessments.add(
                    case_id, values.date(intake), needs, "", "", "medium", "需要链接救助资源。",
                    worker, created, created,
                )  # fmt: skip
                events.add(case_id, "status", "intake", "assessment", worker, "", created)
            if stage >= 2:
                plan_id += 1
                approved = stage >= 3
                plans.add(
                    plan_id, case_id, 1, "approved" if approved else "submitted", "三个月服务计划",
                    worker, created, created,
                )  # fmt: skip
                first_goal = goal_id + 1
                for text in ("申请临时救助", "改善家庭支持"):
                    goal_id += 1
                    goals.add(goal_id, plan_id, text, "按月回访确认", created, created)
                for k in range(3):
                    due = intake + datetime.timedelta(days=30 * (k + 1))
                    done = values.date(due) if (closed or rng.random() < 0.6) else None
                    tasks.add(
                        plan_id, first_goal + k % 2, f"任务{k + 1}", values.date(due), done,
                        created, created,
                    )  # fmt: skip
                reviews.add(
                    case_id, "plan", plan_id, "approved" if approved else "pending", worker,
                    lead if approved else None, created if approved else None, "", created,
                    created,
                )  # fmt: skip
                if approved:
                    events.add(case_id, "review", "planning", "intervention", lead, "", created)
            if stage >= 4:
                attainment = json.dumps(
                    {str(first_goal): "achieved", str(first_goal + 1): "partly"}
                )
                evaluations.add(
                    case_id, values.date(end), attainment, "目标基本达成。", worker, updated,
                    updated,
                )  # fmt: skip
            if stage >= 5:
                decided = status == "closed"
                reviews.add(
                    case_id, "closure", None, "approved" if decided else "pending", worker,
                    lead if decided else None, updated if decided else None, "", updated, updated,
                )  # fmt: skip
                if decided:
                    events.add(case_id, "review", "closure_pending", "closed", lead, "", updated)
        for inserter in (
            cases, notes, comments, assessments, plans, goals, tasks, reviews, evaluations, events,
        ):  # fmt: skip
            inserter.flush()
    return {
        "notes": notes.count,
        "cases": cases.count,
        "comments": comments.count,
        "tasks": tasks.count,
        "bench_files": bench_files,
    }


# --- measurement ---------------------------------------------------------------------------------


def timed(client, path: str, requests: int) -> list[float]:
    return timed_together([(client, path)], requests)[0][0]


def timed_together(pages: list[tuple], requests: int) -> list[tuple[list[float], list[float]]]:
    """Request the pages in turn, ``requests`` rounds, so that whatever else the machine is doing
    weighs on every page alike and their ratios hold even when the absolute times drift.

    Each page gets its wall-clock samples and its CPU samples (this thread's CPU time, SQLite's
    included: it runs in the thread): on a shared machine the wall clock also counts the time
    spent waiting for a core, the CPU time only the work of the request."""
    for client, path in pages:
        for _ in range(3):  # warm caches: templates, translations, the user's assignments
            assert client.get(path).status_code == 200, path
    samples = [([], []) for _ in pages]
    for _ in range(requests):
        for (client, path), (wall, cpu) in zip(pages, samples, strict=True):
            started, cpu_started = time.perf_counter(), time.thread_time()
            response = client.get(path)
            cpu.append((time.thread_time() - cpu_started) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200, path
    return len(context)


def sql_ms(client, path: str) -> float:
    """Time spent executing SQL in one request (the median of five), to tell SQL from Python.
    (SQLite hands over the rows after a sort during fetching; that part counts as Python.)"""
    from django.db import connection

    spent = [0.0]

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started

    totals = []
    for _ in range(5):
        spent[0] = 0.0
        with connection.execute_wrapper(timer):
            assert client.get(path).status_code == 200, path
        totals.append(spent[0] * 1000)
    return statistics.median(totals)


def rows_shown(client, path: str, marker: str) -> int:
    return client.get(path).content.decode().count(marker)


# p50 / shell p50 each case page must stay within.
TARGETS = {"my work": 4.0, "agency list": 4.0, "case file": 5.0}


def add_shell_page() -> str:
    """A bench-only page: the site's layout with nothing in it, for the same signed-in user.

    It pays everything a signed-in page pays before its own content (session, user, roles, the
    menu and the base template), so a page's p50 over it is what that page's own work costs."""
    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render
    from django.urls import clear_url_caches, path

    from shegong import urls

    @login_required
    def shell(request):
        return render(request, "base.html", {})

    urls.urlpatterns.append(path("bench-shell/", shell))
    clear_url_caches()
    return "/bench-shell/"


def measure(args, world, ids) -> int:
    from django.test import Client

    def logged_in(username):
        client = Client()
        client.force_login(world.users[username])
        return client

    worker, director = logged_in("social_worker"), logged_in("agency_admin")
    twenty, five = ids["bench_files"]["twenty"], ids["bench_files"]["five"]
    shell_path = add_shell_page()
    pages = [
        # For scale, not targets: the least a signed-in request costs (session, user, roles, one
        # count and a fragment of HTML), and the home page (the shell, menu and figures).
        ("bell", "signed-in floor: bell", worker, "/notifications/bell/"),
        ("home", "home /", worker, "/"),
        ("my work", "my cases /cases/my/", worker, "/cases/my/"),
        ("agency list", "agency list /cases/", director, "/cases/"),
        ("case file", f"case file /cases/{twenty}/ (20 notes)", worker, f"/cases/{twenty}/"),
    ]
    anonymous = Client()
    # Every page in turn with /healthz and the shells, round after round (see timed_together).
    measured = [(anonymous, "/healthz"), (worker, shell_path), (director, shell_path)]
    measured += [(client, path) for _key, _label, client, path in pages]
    samples = timed_together(measured, args.requests)
    health, worker_shell, director_shell = (wall for wall, _cpu in samples[:3])
    health_p50 = statistics.median(health)
    # The shell of each measured user (the director's menu differs from the worker's).
    shell_p50 = {
        id(worker): (statistics.median(samples[1][0]), statistics.median(samples[1][1])),
        id(director): (statistics.median(samples[2][0]), statistics.median(samples[2][1])),
    }
    columns = ("p50 ms", "p95 ms", "sql ms", "queries", "/healthz", "/shell", "target")
    columns += ("cpu p50", "cpu/shell")
    print(f"\n{'page':42} " + " ".join(f"{c:>9}" for c in columns))
    print(f"{'/healthz':42} {health_p50:9.2f} {p95(health):9.2f} {'':>9} {'1':>9} {'1.0':>9}")
    for name, client in (("worker", worker), ("director", director)):
        p50, cpu_p50 = shell_p50[id(client)]
        label = f"shell {shell_path} ({name})"
        print(
            f"{label:42} {p50:9.2f} {'':>9} {sql_ms(client, shell_path):9.2f} "
            f"{queries(client, shell_path):9} {p50 / health_p50:9.1f} {'1.0':>9} {'':>9} "
            f"{cpu_p50:9.2f} {'1.0':>9}"
        )
    within = True
    for (key, label, client, path), (wall, cpu) in zip(pages, samples[3:], strict=True):
        p50, cpu_p50 = statistics.median(wall), statistics.median(cpu)
        shell_wall, shell_cpu = shell_p50[id(client)]
        ratio = p50 / shell_wall
        target = TARGETS.get(key)
        if target is not None:
            within &= ratio <= target
        print(
            f"{label:42} {p50:9.2f} {p95(wall):9.2f} {sql_ms(client, path):9.2f} "
            f"{queries(client, path):9} {p50 / health_p50:9.1f} {ratio:9.1f} "
            f"{f'<= {target:.0f}' if target else '':>9} {cpu_p50:9.2f} {cpu_p50 / shell_cpu:9.1f}"
        )
    # A second healthz run after the pages: the floor should not have moved.
    health_after = statistics.median(timed(anonymous, "/healthz", args.requests))
    print(f"{'/healthz (again, after the pages)':42} {health_after:8.2f}")

    print("\nquery counts against the rows on the page:")
    flat = True
    checks = [
        ("agency list", director, "/cases/?per_page={n}", (5, 25, 100)),
        ("my cases", worker, "/cases/my/?per_page={n}", (5, 25, 100)),
    ]
    for label, client, template, sizes in checks:
        counted = {}
        for n in sizes:
            path = template.format(n=n)
            counted[n] = (queries(client, path), rows_shown(client, path, "/cases/"))
        same = len({q for q, _rows in counted.values()}) == 1
        flat &= same
        detail = ", ".join(f"{n}/page: {q} queries" for n, (q, _rows) in counted.items())
        print(f"  {label:12} {detail}  -> {'flat' if same else 'GROWS'}")
    file_counts = {n: queries(worker, f"/cases/{pk}/") for n, pk in ((5, five), (20, twenty))}
    same = file_counts[5] == file_counts[20]
    flat &= same
    print(
        f"  {'case file':12} 5 notes: {file_counts[5]} queries, 20 notes: {file_counts[20]} "
        f"queries  -> {'flat' if same else 'GROWS'}"
    )
    print(
        f"\nratio targets (p50 / shell): {'met' if within else 'NOT met'}; "
        f"query counts {'flat' if flat else 'grow with rows'}"
    )
    return 0 if flat and within else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=50_000, help="cases (default 50000)")
    parser.add_argument("--notes", type=int, default=1_000_000, help="notes (default 1000000)")
    parser.add_argument("--clients", type=int, default=20_000, help="clients (default 20000)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--data",
        type=Path,
        help="keep the generated database in this directory, and reuse it when it is there",
    )
    args = parser.parse_args()
    if args.cases < 10 or args.notes < 25:
        parser.error("at least 10 cases and 25 notes (two measured files hold 25)")

    if args.data:
        args.data.mkdir(parents=True, exist_ok=True)
        return run(args, args.data)
    with tempfile.TemporaryDirectory(prefix="shegong-bench-") as tmp:
        return run(args, Path(tmp))


def run(args, workdir: Path) -> int:
    """Generate the rows into ``workdir`` (or reuse the ones a previous run left there), then
    measure."""
    setup_django(workdir, "")
    from django.db import connection

    from shegong.core.testing.personas import build_world

    saved = workdir / "bench-ids.json"
    world = build_world()
    if saved.exists():
        ids = json.loads(saved.read_text())
        if (ids["cases"], ids["requested_notes"]) != (args.cases, args.notes):
            sys.exit(f"{workdir} holds {ids['cases']:,} cases / {ids['requested_notes']:,} notes")
        print(
            f"reusing {workdir}: {ids['cases']:,} cases, {ids['notes']:,} notes, "
            f"{ids['comments']:,} comments, {ids['tasks']:,} tasks"
        )
        return measure(args, world, ids)

    with connection.cursor() as cursor:
        # As the people import does: a larger page cache for the bulk insert.
        cursor.execute("PRAGMA cache_size = -200000")
    rng = random.Random(SEED)

    started = time.perf_counter()
    staff_of = make_staff(world, rng)
    clients_of = make_clients(args.clients, world, rng)
    people_seconds = time.perf_counter() - started
    started = time.perf_counter()
    ids = make_cases(args, world, staff_of, clients_of, rng)
    case_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    database = workdir / "var" / "shegong.sqlite3"
    size = f", database {database.stat().st_size / 1e6:.0f} MB" if database.exists() else ""
    workers = sum(len(s["workers"]) for s in staff_of.values())
    print(
        f"generated: {args.clients:,} clients and {workers} workers in {people_seconds:.1f} s; "
        f"{ids['cases']:,} cases, {ids['notes']:,} notes, {ids['comments']:,} comments, "
        f"{ids['tasks']:,} tasks in {case_seconds:.1f} s "
        f"({ids['notes'] / case_seconds:,.0f} notes/s){size}; peak RSS {peak_rss_mb():.0f} MB"
    )
    ids["requested_notes"] = args.notes
    saved.write_text(json.dumps(ids))
    # A server process does not hold the generator's 20,000 people and their rows: free them
    # and set the rest aside, so the measured requests do not pay for collecting them.
    del staff_of, clients_of
    gc.collect()
    gc.freeze()
    return measure(args, world, ids)


if __name__ == "__main__":
    sys.exit(main())
