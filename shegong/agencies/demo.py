"""Demo agencies: eight social-work agencies with valid unified social credit codes. The first is
the demo home agency (in 兴隆社区, 殿前街道), the second lies in another street (金山街道)."""

from stdnum.cn import uscc

from shegong.agencies.models import Agency
from shegong.agencies.services import agency_create
from shegong.places.demo import HOME_COMMUNITY, community_named

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


def build(world) -> None:
    """Registered by the district administrator through ``agency_create``, once."""
    admin = world.users["district_admin"]
    agencies = []
    for name, community_name, tail in DEMO_AGENCIES:
        agency = Agency.objects.filter(uscc=demo_uscc(tail)).first()
        if agency is None:
            agency = agency_create(
                actor=admin,
                name=name,
                uscc=demo_uscc(tail),
                community=community_named(community_name),
                contact_name="联系人",
                address=f"{community_name}服务站",
            )
        agencies.append(agency)
    world.agencies = agencies
    world.agency_a, world.agency_b = agencies[0], agencies[1]
