"""Fixtures shared by every test: the demo world and a logged-in client per persona."""

import pytest
from django.test import Client, override_settings

from shegong.core.testing.personas import build_world

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is deliberately slow; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the demo world once per test database; each test's transaction rolls back to it."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        build_world()


@pytest.fixture
def world(db):
    # Idempotent: after a transactional test has flushed the database this rebuilds it.
    return build_world()


@pytest.fixture
def client_for(world):
    """``client_for("street_admin")`` → a test client logged in as that persona."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(world.users[username])
        return client

    return make
