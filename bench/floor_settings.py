"""Settings of the gunicorn that serves the public-form benchmarks (bench/checkin.py,
bench/enrolment.py): the production settings exactly, plus the floor's two routes
(``bench/floor_urls.py``), so the measured pages and the floor go through the same server,
middleware, sessions, CSRF and database in the same run."""

from shegong.settings import *  # noqa: F403

ROOT_URLCONF = "floor_urls"
