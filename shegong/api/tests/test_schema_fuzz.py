"""Property-based API test: generated requests for every operation of our OpenAPI schema, as
each persona, must never produce a server error (DESIGN §4.6: a 5xx is a bug).

Status codes are not checked against the schema: the authorization matrix and the per-app API
tests own those. This test looks for crashes on inputs nobody thought of.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from shegong.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# A place role and an agency role reach different code paths; two keep the run short.
FUZZ_PERSONAS = ("district_admin", "social_worker")


@pytest.fixture
def keep_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection when a
    request finishes; the test's transaction must survive them (as Django's test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer_headers(world, keep_test_connection):
    from shegong.accounts.services import token_issue

    headers = {}
    for persona in FUZZ_PERSONAS:
        _token, raw = token_issue(user=world.users[persona])
        headers[persona] = {"Authorization": f"Bearer {raw}"}
    return headers


@schema.parametrize()
# derandomize: the same inputs on every run, so CI never fails on a new random draw; to hunt
# for fresh failures locally, run with --hypothesis-seed=random or raise max_examples.
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_operation_answers_with_a_server_error(case, bearer_headers):
    for headers in bearer_headers.values():
        case.call_and_validate(headers=headers, checks=[not_a_server_error])
