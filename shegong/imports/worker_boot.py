"""Loaded by the fork server of import workers (see ``parallel``): Django set up once, from
the same environment as the process that started it, and each import kind warmed up, so the
workers forked from it start ready."""

import os

if os.environ.get("DJANGO_SETTINGS_MODULE"):
    import django

    django.setup()

    from shegong.imports import registry

    for kind in registry.kinds():
        if kind.warm_up is not None:
            kind.warm_up()
