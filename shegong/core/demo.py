"""The demo world of DESIGN §7: places, agencies and one login per role.

Shared by ``manage.py seed_demo`` and the test personas so that what a developer clicks through
is exactly what the tests check. Idempotent: running it twice changes nothing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from stdnum.cn import uscc

DEMO_PASSWORD = "shegong-demo"  # noqa: S105 - documented demo password, demo data only

# Ten communities flagged as urban villages in the demo (no public source designates them).
DEMO_URBAN_VILLAGES = ("濠头社区", "后埔社区", "枋湖社区", "钟宅社区", "坂尚社区", "马垅社区",
                       "高殿社区", "围里社区", "湖边社区", "五通社区")

HOME_STREET = "殿前街道"
HOME_COMMUNITY = "兴隆社区"
OTHER_STREET = "金山街道"

# name, community, code tail (9 characters of organisation code, made up)
DEMO_AGENCIES = [
    ("湖里区开心社会工作服务中心", HOME_COMMUNITY, "MJ0000101"),
    ("厦门市金山致和社工服务中心", "高林社区", "MJ0000202"),
    ("湖里区培善社会服务中心", "湖里社区", "MJ0000303"),
    ("湖里区禾山同心社工服务社", "禾山社区", "MJ0000404"),
    ("湖里区江头邻里社会工作服务中心", "江头社区", "MJ0000505"),
    ("湖里区殿前阳光社工事务所", "长乐社区", "MJ0000606"),
    ("厦门市湖里区善行公益服务中心", "金山社区", "MJ0000707"),
    ("湖里区枋湖家园社会服务中心", "枋湖社区", "MJ0000808"),
]


def demo_uscc(tail: str) -> str:
    """A valid unified social credit code for a 民办非企业单位 registered by civil affairs."""
    body = "52350206" + tail
    return body + uscc.calc_check_digit(body)


@dataclass
class DemoWorld:
    district: object
    home_street: object
    home_community: object
    other_street: object
    agency_a: object
    agency_b: object
    users: dict


def _community(name: str):
    from shegong.places.models import Community

    # Community names are unique inside the Huli file; fall back to the first match elsewhere.
    return Community.objects.filter(name=name).order_by("code").first()


@transaction.atomic
def ensure_demo_world() -> DemoWorld:
    from shegong.accounts.models import RoleAssignment, User
    from shegong.agencies.models import Agency
    from shegong.places.models import Community, District, Street
    from shegong.places.services import places_load

    if not Community.objects.exists():
        places_load(text=settings.SHEGONG_PLACES_FILE.read_text(encoding="utf-8-sig"))
    Community.objects.filter(name__in=DEMO_URBAN_VILLAGES).update(urban_village=True)

    district = District.objects.order_by("code").first()
    home_street = Street.objects.get(name=HOME_STREET)
    other_street = Street.objects.get(name=OTHER_STREET)
    agencies = []
    for name, community_name, tail in DEMO_AGENCIES:
        agency, _created = Agency.objects.get_or_create(
            uscc=demo_uscc(tail),
            defaults={"name": name, "community": _community(community_name),
                      "contact_name": "联系人", "address": f"{community_name}服务站"},
        )
        agencies.append(agency)
    agency_a, agency_b = agencies[0], agencies[1]
    home_community = _community(HOME_COMMUNITY)

    logins = {
        "district_admin": ("区民政局管理员", "district_admin", {"district": district}),
        "street_admin": ("殿前街道管理员", "street_admin", {"street": home_street}),
        "community_staff": ("兴隆社区工作人员", "community_staff",
                            {"community": home_community}),
        "agency_admin": ("开心社工机构主任", "agency_admin", {"agency": agency_a}),
        "supervisor": ("开心社工督导", "supervisor", {"agency": agency_a}),
        "social_worker": ("开心社工社工", "social_worker", {"agency": agency_a}),
        "social_worker_b": ("致和社工社工", "social_worker", {"agency": agency_b}),
        "training_admin": ("社工促进会培训管理员", "training_admin", {"district": district}),
        "evaluator": ("第三方评估员", "evaluator", {"district": district}),
        "volunteer": ("志愿者", "volunteer", {"community": home_community}),
        "auditor": ("信息安全审计员", "auditor", {"district": district}),
    }
    users = {}
    for username, (display_name, role, node) in logins.items():
        user, created = User.objects.get_or_create(username=username,
                                                   defaults={"display_name": display_name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        RoleAssignment.objects.get_or_create(user=user, role=role, **node)
        users[username] = user
    return DemoWorld(district=district, home_street=home_street, home_community=home_community,
                     other_street=other_street, agency_a=agency_a, agency_b=agency_b, users=users)
