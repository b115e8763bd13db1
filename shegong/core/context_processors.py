from django.conf import settings
from django.utils.functional import SimpleLazyObject

from shegong.core.navigation import nav_for


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"district_name": settings.SHEGONG_DISTRICT_NAME}
    return {
        "district_name": settings.SHEGONG_DISTRICT_NAME,
        # Built only when a template draws the menu: htmx fragments (the bell polls every
        # minute, an import's progress every second) never do.
        "nav_items": SimpleLazyObject(lambda: nav_for(user, request.path)),
    }
