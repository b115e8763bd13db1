"""Demo logins (DESIGN §7), all with the documented demo password.

``build_district_admin`` bootstraps the first administrator (as ``createsuperuser`` would: no
one exists yet to create them through a service); every other login is created by that
administrator through ``user_create`` and ``role_grant``, as on the user pages.
``build_logins`` is the test personas' world: one login per role. ``build_agency_staff`` adds,
for ``seed_demo`` only, a director and a supervisor at every other demo agency, so a referral to
any agency has someone to answer it.
"""

from shegong.accounts.models import RoleAssignment, User
from shegong.accounts.services import role_grant, user_create
from shegong.core.demo import DEMO_PASSWORD


def _logins(world) -> dict:
    district, home_community = world.district, world.home_community
    return {
        "district_admin": ("区民政局管理员", "district_admin", district),
        "street_admin": ("殿前街道管理员", "street_admin", world.home_street),
        "community_staff": ("兴隆社区工作人员", "community_staff", home_community),
        "agency_admin": ("开心社工机构主任", "agency_admin", world.agency_a),
        "supervisor": ("开心社工督导", "supervisor", world.agency_a),
        "social_worker": ("开心社工社工", "social_worker", world.agency_a),
        "social_worker_b": ("致和社工社工", "social_worker", world.agency_b),
        "training_admin": ("社工促进会培训管理员", "training_admin", district),
        "evaluator": ("第三方评估员", "evaluator", district),
        "volunteer": ("志愿者", "volunteer", home_community),
        "auditor": ("信息安全审计员", "auditor", district),
    }


def build_district_admin(world) -> None:
    user, created = User.objects.get_or_create(
        username="district_admin", defaults={"display_name": "区民政局管理员"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role="district_admin", district=world.district)
    user = User.objects.get(pk=user.pk)
    # A fresh object (above): role assignments are cached on the user once read.
    world.users["district_admin"] = user


def _login(admin, username: str, display_name: str, role: str, node):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            actor=admin, username=username, password=DEMO_PASSWORD, display_name=display_name
        )
    role_grant(actor=admin, user=user, role=role, node=node)
    return user


def build_logins(world) -> None:
    admin = world.users["district_admin"]
    for username, (display_name, role, node) in _logins(world).items():
        if username == "district_admin":
            continue
        world.users[username] = _login(admin, username, display_name, role, node)


def _short(agency_name: str) -> str:
    # "厦门市金山致和社工服务中心" → "金山致和": the distinctive part, for display names.
    for prefix in ("厦门市湖里区", "厦门市", "湖里区"):
        agency_name = agency_name.removeprefix(prefix)
    for suffix in ("社会工作服务中心", "社工服务中心", "社会服务中心", "社工服务社", "社工事务所"):
        agency_name = agency_name.removesuffix(suffix)
    return agency_name.removesuffix("公益服务中心")


def build_agency_staff(world) -> None:
    """``agency_admin_b``/``supervisor_b`` for the second agency, ``_c`` … for the others."""
    admin = world.users["district_admin"]
    for index, agency in enumerate(world.agencies[1:], start=1):
        letter = chr(ord("a") + index)
        for role, title in (("agency_admin", "主任"), ("supervisor", "督导")):
            username = f"{role}_{letter}"
            display_name = f"{_short(agency.name)}{title}"
            world.users[username] = _login(admin, username, display_name, role, agency)
