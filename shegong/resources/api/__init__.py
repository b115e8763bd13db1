"""The lists' API: what the pages do, with the same selectors, FilterSets and services; and the
public side of small wishes (list and claim without an account, rate-limited per address).

The modules register their operations on ``router`` in the order imported below: every fixed
path before ``/{resource_id}`` (``items``, last)."""

from ninja import Router

router = Router(tags=["resources"])

# isort: off
from shegong.resources.api import needs  # noqa: E402, F401
from shegong.resources.api import projects  # noqa: E402, F401
from shegong.resources.api import wishes  # noqa: E402, F401
from shegong.resources.api import items  # noqa: E402, F401
# isort: on
