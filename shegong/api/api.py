import copy

from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from shegong.api import errors
from shegong.api.auth import api_auth


class ShegongAPI(NinjaAPI):
    """The OpenAPI document is the same for every caller in one language, and building it costs
    a second or more: built once per process and language, each caller gets its own copy."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        key = (path_prefix, tuple(sorted((path_params or {}).items())), get_language())
        built = self._built_schemas.get(key)
        if built is None:
            built = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            self._built_schemas[key] = built
        return copy.deepcopy(built)

    @cached_property
    def _built_schemas(self) -> dict:
        return {}


api = ShegongAPI(
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
from shegong.core.api import calendar_router  # noqa: E402
from shegong.core.api import router as audit_router  # noqa: E402
from shegong.exams.api import router as exams_router  # noqa: E402
from shegong.funds.api import router as funds_router  # noqa: E402
from shegong.notifications.api import router as notifications_router  # noqa: E402
from shegong.pairing.api import router as pairing_router  # noqa: E402
from shegong.park.api import router as park_router  # noqa: E402
from shegong.people.api import router as people_router  # noqa: E402
from shegong.places.api import router as places_router  # noqa: E402
from shegong.purchasing.api import router as purchasing_router  # noqa: E402
from shegong.resources.api import router as resources_router  # noqa: E402
from shegong.talent.api import router as talent_router  # noqa: E402
from shegong.training.api import router as training_router  # noqa: E402
from shegong.volunteers.api import router as volunteers_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/places", places_router)
api.add_router("/people", people_router)
api.add_router("/agencies", agencies_router)
api.add_router("/audit", audit_router)
api.add_router("/calendar", calendar_router)
api.add_router("/notifications", notifications_router)
api.add_router("/cases", cases_router)
api.add_router("/funds", funds_router)
api.add_router("/pairing", pairing_router)
api.add_router("/activities", activities_router)
api.add_router("/resources", resources_router)
api.add_router("/volunteers", volunteers_router)
api.add_router("/park", park_router)
api.add_router("/training", training_router)
api.add_router("/exams", exams_router)
api.add_router("/talent", talent_router)
api.add_router("/purchasing", purchasing_router)
