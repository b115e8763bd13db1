"""Log lines: time, level, logger and the request id (also in X-Request-ID); no query strings
in request lines; /healthz says in the log why it answers 503."""

import io
import logging

import pytest
from django.db import OperationalError

from shegong.core.logs import RequestIdFilter

ID_NUMBER = "350203199001011234"


@pytest.fixture
def log_output():
    """What the console handler of settings.LOGGING writes."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RequestIdFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


class BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")


def test_every_response_carries_a_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first and second and first != second


def test_a_proxy_request_id_is_kept_and_junk_is_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-4f2a9c01")["X-Request-ID"] == (
        "nginx-4f2a9c01"
    )
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\nERROR fake line")["X-Request-ID"]
    assert "\n" not in forged and "fake" not in forged


def test_healthz_logs_the_database_failure_with_the_request_id(client, monkeypatch, log_output):
    monkeypatch.setattr("shegong.core.views.connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    line = next(line for line in log_output.getvalue().splitlines() if "Health check" in line)
    assert " ERROR shegong.core.views " in line
    assert f"[{response['X-Request-ID']}]" in line
    assert "connection refused" in log_output.getvalue()


def test_request_lines_lose_their_query_strings(log_output):
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /api/v1/cases?q={ID_NUMBER}&page=2 HTTP/1.1", "200", "512"
    )
    written = log_output.getvalue()
    assert "GET /api/v1/cases?… HTTP/1.1" in written
    assert ID_NUMBER not in written


def test_an_id_number_in_a_path_is_masked_in_the_not_found_line(client_for, log_output):
    assert client_for("district_admin").get(f"/api/v1/people/by-id/{ID_NUMBER}").status_code == 404
    written = log_output.getvalue()
    assert "Not Found: /api/v1/people/by-id/…" in written
    assert ID_NUMBER not in written
