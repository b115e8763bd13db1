"""gunicorn's access log (gunicorn.conf.py): no ID number in a path, and no crash on a request
gunicorn could not parse, which reaches the log without a path."""

import datetime
import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[3]
RedactingLogger = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["RedactingLogger"]


def _atoms(environ: dict) -> dict:
    logger = RedactingLogger(Config())
    response = SimpleNamespace(status="400 Bad Request", sent=0, headers=[])
    request = SimpleNamespace(headers=[])
    return logger.atoms(response, request, environ, datetime.timedelta(milliseconds=3))


def test_an_id_number_in_the_path_is_masked():
    path = "/api/v1/people/by-id/35022119680709678X"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": path,
    }
    assert _atoms(environ)["U"] == "/api/v1/people/by-id/…"


def test_a_request_without_a_path_is_logged_not_fatal():
    """gunicorn's error path for a malformed request (two Content-Lengths) logs no PATH_INFO."""
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": "", "SERVER_PROTOCOL": "HTTP/1.1"}
    assert _atoms(environ)["U"] == "-"
