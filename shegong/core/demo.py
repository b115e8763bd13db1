"""The demo world of DESIGN §7, assembled from the steps the apps register.

Each app keeps its part in ``<app>/demo.py`` and registers it from ``AppConfig.ready()`` with
``core.registry.add_demo``. ``build_demo`` runs the steps in dependency order inside one
transaction. The test personas run the ``personas`` steps only (places, agencies, logins), so what
a developer clicks through after ``seed_demo`` is what the tests check, plus the stories.
Every step is idempotent: running the demo twice changes nothing.
"""

from django.db import transaction

from shegong.core.registry import DemoWorld, demo_steps

DEMO_PASSWORD = "shegong-demo"  # noqa: S105 - documented demo password, demo data only

# small: what `make run` loads; huli: the same world grown to the district's scale (benchmarks).
DEMO_SCALES = ("small", "huli")


@transaction.atomic
def build_demo(*, scale: str = "small", personas_only: bool = False) -> DemoWorld:
    if scale not in DEMO_SCALES:
        raise ValueError(f"Unknown demo scale {scale!r}")
    world = DemoWorld(scale=scale)
    for step in demo_steps(personas_only=personas_only):
        step.build(world)
    return world
