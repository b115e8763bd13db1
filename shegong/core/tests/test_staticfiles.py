"""Production static files: collectstatic succeeds with the vendored files as published, and
pages render with the hashed names (no "Missing staticfiles manifest entry")."""

import json

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.fixture
def production_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "shegong.core.staticfiles.StaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return tmp_path


def test_collectstatic_keeps_vendored_files_and_pages_use_hashed_names(production_static, db):
    manifest = json.loads((production_static / "staticfiles.json").read_text())["paths"]
    hashed_css = manifest["vendor/tabler/tabler.min.css"]
    assert hashed_css != "vendor/tabler/tabler.min.css"
    # The source-map comment is left as published, pointing at the map we do not ship.
    text = (production_static / hashed_css).read_text()
    assert text.rstrip().endswith("/*# sourceMappingURL=tabler.min.css.map */")

    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert hashed_css in response.content.decode()
