from django.urls import include, path

from shegong.core.urls import root_urlpatterns

urlpatterns = [
    *root_urlpatterns,
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("shegong.accounts.urls")),
    path("places/", include("shegong.places.urls")),
    path("people/", include("shegong.people.urls")),
    path("cases/", include("shegong.cases.urls")),
    path("agencies/", include("shegong.agencies.urls")),
    path("activities/", include("shegong.activities.urls")),
    path("volunteers/", include("shegong.volunteers.urls")),
    path("imports/", include("shegong.imports.urls")),
    path("core/", include("shegong.core.urls")),
    path("notifications/", include("shegong.notifications.urls")),
    path("funds/", include("shegong.funds.urls")),
    path("pairing/", include("shegong.pairing.urls")),
    path("resources/", include("shegong.resources.urls")),
    path("park/", include("shegong.park.urls")),
    path("training/", include("shegong.training.urls")),
    path("exams/", include("shegong.exams.urls")),
    path("talent/", include("shegong.talent.urls")),
    path("purchasing/", include("shegong.purchasing.urls")),
    path("api/v1/", include("shegong.api.urls")),
]

# A forbidden page answers exactly like a missing one.
handler403 = "shegong.core.views.permission_denied"
