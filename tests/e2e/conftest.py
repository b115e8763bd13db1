"""Browser fixtures: Debian's Chromium driven through Playwright's sync API.

Our own fixtures rather than a plugin's: the browser is the system one (no download), and the
server is pytest-django's ``live_server`` on the test database, which the browser tests must
share with the test code, so they use ``transactional_db`` (data is committed, then flushed).
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import sync_playwright

from shegong.core.demo import DEMO_PASSWORD
from shegong.core.testing.personas import build_world

# Playwright's sync API keeps an event loop in the main thread; the test code's ORM calls run
# there too, and Django would refuse them as "async-unsafe" though nothing runs concurrently.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
# Long enough for a slow CI machine; a step that needs it is waiting for the server, not sleeping.
STEP_TIMEOUT_MS = 15_000
PROJECT_DIR = Path(__file__).resolve().parents[2]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def e2e_world(transactional_db, live_server):
    """The demo world of DESIGN §7, committed so the live server's threads see it."""
    return build_world()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(viewport=PHONE)`` → a page in a fresh browser context (its own cookies)."""
    contexts = []

    # The default locale is a Chinese-speaking user's browser: the app must choose Chinese.
    def make(*, viewport=DESKTOP, locale="zh-CN"):
        context = browser.new_context(base_url=live_server.url, viewport=viewport, locale=locale)
        context.set_default_timeout(STEP_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def log_in(e2e_world):
    """``log_in(page, "district_admin")``: the real login form, then wait for the home page."""

    def submit(page, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(password)
        page.get_by_test_id("login-submit").click()
        page.get_by_test_id("home-figures").wait_for()

    return submit


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database this test process uses (the test database)."""
    engine = settings_dict["ENGINE"]
    if engine == "shegong.core.sqlite":
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    if engine == "django.db.backends.postgresql":
        user = quote(settings_dict.get("USER") or "", safe="")
        password = quote(settings_dict.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "localhost"
        port = settings_dict.get("PORT") or "5432"
        return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"
    # Shegong runs on SQLite and PostgreSQL only (DESIGN §2).
    raise RuntimeError(f"No task worker URL for database engine {engine}")


@pytest.fixture
def task_worker(e2e_world, settings, tmp_path):
    """A real ``manage.py db_worker`` process on the test database, with the same keys, so a
    task queued by the live server runs exactly as in production."""
    from django.db import connection

    # Uploads go to a per-test directory that both the live server and the worker use.
    settings.MEDIA_ROOT = tmp_path / "media"
    env = dict(os.environ)
    env.pop("SHEGONG_TASKS_IMMEDIATE", None)
    env.update(
        DATABASE_URL=database_url(connection.settings_dict),
        SECRET_KEY=settings.SECRET_KEY,
        SHEGONG_FIELD_KEYS=",".join(settings.SHEGONG_FIELD_KEYS),
        SHEGONG_INDEX_KEY=settings.SHEGONG_INDEX_KEY,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        DEBUG="0",
    )
    log_path = tmp_path / "db_worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(  # noqa: S603 - fixed arguments, our own manage.py
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
    if worker.returncode not in (0, -15):
        # Show why the worker died: its own log holds no personal data (values are never logged).
        print(log_path.read_text(encoding="utf-8", errors="replace"))
