"""Test personas: the demo logins of DESIGN §7, built by the same demo steps as ``seed_demo``
(only the steps marked ``personas``: places, agencies, logins; no people or case histories)."""

from shegong.core.demo import build_demo
from shegong.core.registry import DemoWorld

PERSONAS = (
    "district_admin",
    "street_admin",
    "community_staff",
    "agency_admin",
    "supervisor",
    "social_worker",
    "social_worker_b",
    "training_admin",
    "evaluator",
    "volunteer",
    "auditor",
)


def build_world() -> DemoWorld:
    return build_demo(personas_only=True)
