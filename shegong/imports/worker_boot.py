"""Loaded by the fork server of import workers (see ``parallel``): Django set up once, from
the same environment as the process that started it."""

import os

if os.environ.get("DJANGO_SETTINGS_MODULE"):
    import django

    django.setup()
