import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Load what every worker needs before it takes its first request: the URLconf (every app's
    views and the API's schemas, over a second of imports), the site language's translations
    and the public check-in page's compiled templates. Loaded lazily, they fell on whichever
    visitors a fresh worker served first: after each deploy or worker restart, the crowd
    scanning a check-in code waited for them."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    from shegong.core.jinja import engine

    get_resolver().url_patterns  # noqa: B018 - the property imports the URLconf
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Check-in")
    for name in ("checkin.html", "checkin_refused.html"):
        engine().get_template(name)


_warm_up()
