"""Fixtures shared by every test: the demo world and a logged-in client per persona."""

import pytest
from django.test import Client

from shegong.core.testing.personas import build_world


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is deliberately slow; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(world):
    """``client_for("street_admin")`` → a test client logged in as that persona."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(world.users[username])
        return client

    return make
