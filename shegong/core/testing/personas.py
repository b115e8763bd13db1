"""Test personas: the demo logins of DESIGN §7, built by the same code as ``seed_demo``."""

from shegong.core.demo import DemoWorld, ensure_demo_world

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
    return ensure_demo_world()
