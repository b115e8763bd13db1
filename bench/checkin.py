"""Benchmark: 300 residents checking in to one session at once, through gunicorn on SQLite.

    .venv/bin/python bench/checkin.py                 # 300 residents
    .venv/bin/python bench/checkin.py --residents 50

It prepares a temporary directory with production settings as the CI's deploy step does
(``SHEGONG_ENV=production``, fresh keys, ``migrate``, ``collectstatic``, behind a trusted proxy
on loopback), but on a SQLite database: the demo logins and places, a community activity of
兴隆社区 and a session starting now with room for everyone, and its signed check-in link. Then
it starts gunicorn with 2 workers (``gunicorn.conf.py``) and:

1. ``--residents`` threads at once, each a resident with their own name, mobile and address
   (``X-Forwarded-For``, trusted from 127.0.0.1), open ``/c/<token>/`` (the form, its one-time
   nonce and the CSRF cookie) and send it back filled in, as a phone does;
2. the same number of threads request ``/healthz`` twice each, through the same gunicorn;
3. the same number of threads open and send the floor's empty form (``bench/floor_urls.py``:
   CSRF, two fields, one row written), through the same gunicorn: the least a public form
   costs on this stack, so a target even the floor cannot reach shows as such.

The per-address rate limit (SHEGONG_CHECKIN_RATE) is left as configured: each resident comes
from an address of their own, as on a street, where phones are not all behind one NAT.

It checks that every POST answered the success page and that the session has exactly one
attendance per resident, with no 5xx and no "database is locked" anywhere (answers and the
server's log), and prints requests/s and p95 of both, and the ratio of check-in requests/s to
/healthz requests/s (target >= 0.25), with the floor's. Exit status 1 on an error, 2 on a
missed target the floor reaches, 3 on a target beyond the floor.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.25  # check-in requests/s over /healthz requests/s
HOST = "shegong.example.org"
SEED = """
import datetime
from django.utils import timezone
from shegong.activities import services
from shegong.activities.choices import ActivityKind
from shegong.core.checkin import checkin_path, issue_token
from shegong.core.testing.personas import build_world

world = build_world()
staff = world.users["community_staff"]
today = timezone.localdate()
activity = services.activity_create(
    actor=staff, kind=ActivityKind.COMMUNITY, title="社区义诊", community=world.home_community,
    starts_on=today, ends_on=today,
)
starts = timezone.now() - datetime.timedelta(minutes=5)
session = services.session_create(
    actor=staff, activity=activity, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
    place="兴隆社区广场", capacity=CAPACITY,
)
print(session.pk, checkin_path(issue_token(session)))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        SHEGONG_ENV="production",
        DEBUG="0",
        ALLOWED_HOSTS=HOST,
        SHEGONG_TRUSTED_PROXIES="127.0.0.1",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        SHEGONG_VAR_DIR=str(workdir / "var"),
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        SECRET_KEY=secrets.token_urlsafe(60),
        SHEGONG_FIELD_KEYS=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        SHEGONG_INDEX_KEY=secrets.token_urlsafe(32),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # The production settings plus the floor's routes (bench/floor_settings.py).
        DJANGO_SETTINGS_MODULE="floor_settings",
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")])
        ),
    )
    return env


def prepare(env: dict, capacity: int) -> tuple[int, str]:
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
    session, path = seeded.stdout.split()[-2:]
    create_floor(env)
    return int(session), path


def create_floor(env: dict) -> None:
    code = "from floor_urls import create_floor_table; create_floor_table()"
    python = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*python, "shell", "-c", code], env=env, check=True, cwd=ROOT)


class Client:
    """One phone: its own connection, address and cookies (kept by hand: the CSRF cookie is
    Secure, and the proxy in front speaks HTTPS for us)."""

    def __init__(self, port: int, address: str):
        self.port = port
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None):
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "User-Agent": "bench-checkin",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{HOST}{path}"
            headers["Origin"] = f"https://{HOST}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        return response.status, text, elapsed


def field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    if not match:
        raise AssertionError(f"the form has no {name}")
    return match.group(1)


def send_form(n: int, port: int, path: str, results: list, start, *, fields, succeeded) -> None:
    """One phone from an address of its own: opens the form at ``path`` (and its CSRF cookie),
    sends it back with its token and ``fields(html)``, and ``succeeded(status, html)`` judges
    the answer. Each request goes to ``results``."""
    client = Client(port, f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256 + 1}")
    start.wait()
    try:
        status, html, took_get = client.request("GET", path)
        results.append(("GET", status, took_get, html if status != 200 else ""))
        if status != 200:
            return
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": field(html, "csrfmiddlewaretoken"), **fields(html)}
        )
        status, html, took_post = client.request("POST", path, body)
        ok = succeeded(status, html)
        results.append(("POST", 200 if ok else -status, took_post, "" if ok else html))
    except Exception as exc:  # noqa: BLE001 - reported as this phone's error
        results.append(("ERR", 0, 0.0, repr(exc)))


def resident(n: int, port: int, path: str, results: list, start: threading.Event) -> None:
    send_form(
        n,
        port,
        path,
        results,
        start,
        fields=lambda html: {
            "nonce": field(html, "nonce"),
            "name": f"居民{n:04d}号",
            "mobile": f"139{n:08d}",
        },
        succeeded=lambda status, html: status == 200 and 'data-testid="checkin-done"' in html,
    )


FLOOR_PATH = "/bench-floor/"


def floor_visitor(n: int, port: int, results: list, start: threading.Event) -> None:
    """The same two requests as a resident, to the floor's empty form (bench/floor_urls.py)."""
    send_form(
        n,
        port,
        FLOOR_PATH,
        results,
        start,
        fields=lambda _html: {"name": f"居民{n:04d}号", "mobile": f"139{n:08d}"},
        succeeded=lambda status, _html: status == 302,
    )


def floor_rows(env: dict) -> int:
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('SELECT COUNT(*) FROM bench_floor'); print(c.fetchone()[0])"
    )
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.split()[-1])


def floor_report(label: str, rate: float, health_rate: float, floor, target: float) -> int:
    """Print the floor's rate against /healthz and ours against the floor; the exit status of
    a missed target: 2 when the floor reaches the target (the work is ours), 3 when even the
    floor cannot (the target is wrong on this stack and machine)."""
    results, seconds, rows, expected = floor
    errors = [r for r in results if r[0] == "ERR" or r[1] != 200]
    floor_rate = len(results) / seconds
    print(
        f"floor:     {len(results)} requests in {seconds:.2f} s = {floor_rate:.1f} requests/s; "
        f"p95 {p95([r[2] for r in results]):.3f} s; {rows} rows written (expected {expected})"
    )
    print(
        f"floor / healthz: {floor_rate / health_rate:.2f}; {label} / floor: {rate / floor_rate:.2f}"
    )
    if errors or rows != expected:
        print(f"ERROR: the floor failed ({len(errors)} errors, {rows} rows)")
        return 1
    if rate / health_rate >= target:
        return 0
    if floor_rate / health_rate < target:
        print(f"the target ({target}) is beyond the floor itself on this machine")
        return 3
    return 2


def healthz(n: int, port: int, results: list, start: threading.Event) -> None:
    client = Client(port, f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256 + 1}")
    start.wait()
    try:
        for _ in range(2):
            status, text, took = client.request("GET", "/healthz")
            results.append(("GET", status, took, "" if status == 200 else text))
    except Exception as exc:  # noqa: BLE001
        results.append(("ERR", 0, 0.0, repr(exc)))


def run_wave(target, count: int, *args) -> tuple[list, float]:
    results: list = []
    start = threading.Event()
    threads = [
        threading.Thread(target=target, args=(n, *args, results, start)) for n in range(count)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # every thread waiting at the line
    began = time.perf_counter()
    start.set()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - began


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


@contextlib.contextmanager
def gunicorn_serving(env: dict, workdir: Path):
    """gunicorn with 2 workers (``gunicorn.conf.py``) on a free loopback port, its log in
    ``workdir/gunicorn.log``; yields the port once /healthz answers, stops the server after."""
    port = free_port()
    log = (workdir / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "shegong.wsgi",
            "-c",
            "gunicorn.conf.py",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(120):
            try:
                if Client(port, "10.255.0.1").request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit("gunicorn did not come up")
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=300, help="residents (default 300)")
    args = parser.parse_args()
    threading.stack_size(512 * 1024)
    with tempfile.TemporaryDirectory(prefix="shegong-checkin-") as tmp:
        workdir = Path(tmp)
        env = environment(workdir)
        session_id, path = prepare(env, capacity=max(args.residents, 300))
        with gunicorn_serving(env, workdir) as port:
            # One resident first, so both workers have loaded their pages (as a live server has).
            Client(port, "10.255.0.2").request("GET", path)
            Client(port, "10.255.0.3").request("GET", "/healthz")
            Client(port, "10.255.0.4").request("GET", FLOOR_PATH)
            checkins, checkin_seconds = run_wave(resident, args.residents, port, path)
            health, health_seconds = run_wave(healthz, args.residents, port)
            floor, floor_seconds = run_wave(floor_visitor, args.residents, port)
        server_log = (workdir / "gunicorn.log").read_text()
        count = attendances(env, session_id)
        floor_run = (floor, floor_seconds, floor_rows(env), args.residents)
    return report(
        args, checkins, checkin_seconds, health, health_seconds, count, server_log, floor_run
    )


def attendances(env: dict, session_id: int) -> int:
    code = (
        "from shegong.activities.models import Attendance; "
        f"print(Attendance.objects.filter(session_id={session_id}).count())"
    )
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.split()[-1])


def report(
    args, checkins, checkin_seconds, health, health_seconds, count, server_log, floor_run
) -> int:
    errors = [r for r in checkins + health if r[0] == "ERR" or r[1] != 200]
    locked = "database is locked" in server_log or any(
        "database is locked" in r[3] for r in checkins + health
    )
    checkin_rate = len(checkins) / checkin_seconds
    health_rate = len(health) / health_seconds
    posts = [r[2] for r in checkins if r[0] == "POST"]
    gets = [r[2] for r in checkins if r[0] == "GET"]
    print(
        f"check-in: {args.residents} residents, {len(checkins)} requests in "
        f"{checkin_seconds:.2f} s = {checkin_rate:.1f} requests/s; p95 {p95(gets + posts):.3f} s "
        f"(GET p95 {p95(gets):.3f} s, POST p95 {p95(posts):.3f} s)"
    )
    print(
        f"/healthz:  {len(health)} requests in {health_seconds:.2f} s = {health_rate:.1f} "
        f"requests/s; p95 {p95([r[2] for r in health]):.3f} s"
    )
    ratio = checkin_rate / health_rate
    print(f"ratio (check-in / healthz requests/s): {ratio:.2f} (target >= 0.25)")
    print(f"attendances recorded: {count} (expected {args.residents})")
    failed = False
    if errors:
        failed = True
        statuses = sorted({r[1] for r in errors})
        print(f"ERRORS: {len(errors)} requests failed (status {statuses}); first:")
        print(errors[0][3][:2000])
    if locked:
        failed = True
        print("ERROR: 'database is locked' reached a request or the log")
    if count != args.residents:
        failed = True
        print(f"ERROR: {count} attendances, expected {args.residents}")
    if failed:
        return 1
    return floor_report("check-in", checkin_rate, health_rate, floor_run, TARGET)


if __name__ == "__main__":
    sys.exit(main())
