from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from shegong.api import errors
from shegong.api.auth import api_auth

api = NinjaAPI(
    title="Shegong API",
    version="1",
    description=str(_("Every capability of the pages, with the same scope rules.")),
    auth=api_auth,
    urls_namespace="api",
)
errors.install(api)

# Routers are added in dependency order; each app keeps its own in <app>/api.py.
from shegong.accounts.api import router as accounts_router  # noqa: E402
from shegong.activities.api import router as activities_router  # noqa: E402
from shegong.agencies.api import router as agencies_router  # noqa: E402
from shegong.cases.api import router as cases_router  # noqa: E402
from shegong.core.api import router as audit_router  # noqa: E402
from shegong.funds.api import router as funds_router  # noqa: E402
from shegong.notifications.api import router as notifications_router  # noqa: E402
from shegong.pairing.api import router as pairing_router  # noqa: E402
from shegong.people.api import router as people_router  # noqa: E402
from shegong.places.api import router as places_router  # noqa: E402
from shegong.volunteers.api import router as volunteers_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/places", places_router)
api.add_router("/people", people_router)
api.add_router("/agencies", agencies_router)
api.add_router("/audit", audit_router)
api.add_router("/notifications", notifications_router)
api.add_router("/cases", cases_router)
api.add_router("/funds", funds_router)
api.add_router("/pairing", pairing_router)
api.add_router("/activities", activities_router)
api.add_router("/volunteers", volunteers_router)
