"""Case-work API: every step of the case pages, through the same services, selectors and scope.

Two layers, as on the pages (DESIGN §4.2): whoever may VIEW a case learns that it exists and
its statistics; only CONTENT holders (the worker, the agency's supervisors and director) get the
client, the presenting problem, assessments, plans, notes and history. Every fetch goes through
``for_user`` and answers 404 for missing and not-yours alike, before the payload is looked at.
"""

from ninja import Router

router = Router(tags=["cases"])

# The modules add their operations to ``router`` when imported.
from shegong.cases.api import cases, clients, reviews  # noqa: E402, F401
