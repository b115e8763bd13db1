"""Demo logins (DESIGN §7), all with the documented demo password.

``build_logins`` is the test personas' world: one login per role. ``build_agency_staff`` adds,
for ``seed_demo`` only, a director and a supervisor at every other demo agency, created through
the same services as the user pages, so a referral to any agency has someone to answer it.
"""

from shegong.accounts.models import RoleAssignment, User
from shegong.accounts.services import role_grant, user_create
from shegong.core.demo import DEMO_PASSWORD


def _logins(world) -> dict:
    district, home_community = world.district, world.home_community
    return {
        "district_admin": ("区民政局管理员", "district_admin", {"district": district}),
        "street_admin": ("殿前街道管理员", "street_admin", {"street": world.home_street}),
        "community_staff": ("兴隆社区工作人员", "community_staff", {"community": home_community}),
        "agency_admin": ("开心社工机构主任", "agency_admin", {"agency": world.agency_a}),
        "supervisor": ("开心社工督导", "supervisor", {"agency": world.agency_a}),
        "social_worker": ("开心社工社工", "social_worker", {"agency": world.agency_a}),
        "social_worker_b": ("致和社工社工", "social_worker", {"agency": world.agency_b}),
        "training_admin": ("社工促进会培训管理员", "training_admin", {"district": district}),
        "evaluator": ("第三方评估员", "evaluator", {"district": district}),
        "volunteer": ("志愿者", "volunteer", {"community": home_community}),
        "auditor": ("信息安全审计员", "auditor", {"district": district}),
    }


def build_logins(world) -> None:
    # The first logins are bootstrapped directly (as createsuperuser would): there is no
    # administrator yet to create them through ``user_create``.
    for username, (display_name, role, node) in _logins(world).items():
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        RoleAssignment.objects.get_or_create(user=user, role=role, **node)
        world.users[username] = user


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
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    actor=admin,
                    username=username,
                    password=DEMO_PASSWORD,
                    display_name=f"{_short(agency.name)}{title}",
                )
            role_grant(actor=admin, user=user, role=role, node=agency)
            world.users[username] = user
