"""The WSGI entry point gunicorn loads: a worker is ready before its first request."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_worker_loads_the_urls_translations_and_check_in_page_before_its_first_request():
    probe = (
        "import sys\n"
        "import shegong.wsgi\n"
        "from django.utils.translation import trans_real\n"
        "from shegong.core.jinja import engine\n"
        "cached = {key[1] for key in engine().env.cache}\n"
        "print('shegong.api.api' in sys.modules, 'shegong.activities.views' in sys.modules,\n"
        "      'zh-hans' in trans_real._translations, 'checkin.html' in cached)\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "True", "True", "True"]
