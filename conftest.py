"""Fixtures shared by every test: the demo world and a logged-in client per persona."""

import copy

import pytest
from django.test import Client, override_settings

from shegong.core.testing.personas import build_world

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is deliberately slow; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    # The per-process cache keeps pages a few seconds: a test must not see the last one's.
    from django.core.cache import caches

    caches["local"].clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the demo world once per test database; each test's transaction rolls back to it."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        _built["world"] = build_world()


@pytest.fixture
def world(db):
    return current_world()


_built = {}  # this test process's last world, as built


def current_world():
    """The world in the database, built again only if it is gone (a browser test flushed the
    database, or the world was built inside a test's transaction that rolled back): asking
    the demo steps costs some sixty queries, a test runs thousands of times. Each test gets
    its own copy, so what one test changes on the objects cannot reach the next."""
    world = _built.get("world")
    if world is None or not _still_in_database(world):
        world = _built["world"] = build_world()
    return copy.deepcopy(world)


def _still_in_database(world) -> bool:
    # A password hash is salted afresh by every build: a world built again, even with the
    # same primary keys, does not match the one remembered.
    admin = world.users["district_admin"]
    return type(admin).objects.filter(pk=admin.pk, password=admin.password).exists()


@pytest.fixture
def client_for(world):
    """``client_for("street_admin")`` → a test client logged in as that persona."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(world.users[username])
        return client

    return make
