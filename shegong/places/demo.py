"""Demo places: the district's streets and communities from the configured file, ten of them
flagged as urban villages (no public source designates them), and the demo's home street and
community (DESIGN §7)."""

from django.conf import settings

from shegong.places.models import Community, District, Street
from shegong.places.services import places_load

DEMO_URBAN_VILLAGES = (
    "濠头社区",
    "后埔社区",
    "枋湖社区",
    "钟宅社区",
    "坂尚社区",
    "马垅社区",
    "高殿社区",
    "围里社区",
    "湖边社区",
    "五通社区",
)

HOME_STREET = "殿前街道"
HOME_COMMUNITY = "兴隆社区"
OTHER_STREET = "金山街道"


def community_named(name: str):
    # Community names are unique inside the Huli file; fall back to the first match elsewhere.
    return Community.objects.filter(name=name).order_by("code").first()


def build(world) -> None:
    if not Community.objects.exists():
        places_load(text=settings.SHEGONG_PLACES_FILE.read_text(encoding="utf-8-sig"))
    Community.objects.filter(name__in=DEMO_URBAN_VILLAGES).update(urban_village=True)
    world.district = District.objects.order_by("code").first()
    world.home_street = Street.objects.get(name=HOME_STREET)
    world.other_street = Street.objects.get(name=OTHER_STREET)
    world.home_community = community_named(HOME_COMMUNITY)
