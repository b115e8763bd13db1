from django.conf import settings

from shegong.core.navigation import nav_for


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"district_name": settings.SHEGONG_DISTRICT_NAME}
    return {
        "district_name": settings.SHEGONG_DISTRICT_NAME,
        "nav_items": nav_for(user, request.path),
    }
