"""The demo world of DESIGN §7: places, agencies, one login per role and synthetic people.

Shared by ``manage.py seed_demo`` and the test personas so that what a developer clicks through
is exactly what the tests check. Idempotent: running it twice changes nothing.
"""

import datetime
import functools
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

DEMO_PASSWORD = "shegong-demo"  # noqa: S105 - documented demo password, demo data only

# Ten communities flagged as urban villages in the demo (no public source designates them).
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
            defaults={
                "name": name,
                "community": _community(community_name),
                "contact_name": "联系人",
                "address": f"{community_name}服务站",
            },
        )
        agencies.append(agency)
    agency_a, agency_b = agencies[0], agencies[1]
    home_community = _community(HOME_COMMUNITY)

    logins = {
        "district_admin": ("区民政局管理员", "district_admin", {"district": district}),
        "street_admin": ("殿前街道管理员", "street_admin", {"street": home_street}),
        "community_staff": ("兴隆社区工作人员", "community_staff", {"community": home_community}),
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
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        RoleAssignment.objects.get_or_create(user=user, role=role, **node)
        users[username] = user
    return DemoWorld(
        district=district,
        home_street=home_street,
        home_community=home_community,
        other_street=other_street,
        agency_a=agency_a,
        agency_b=agency_b,
        users=users,
    )


# --- Demo people -----------------------------------------------------------------------------
# Synthetic residents: every ID number is generated (GB 11643-1999), never copied from a real
# person. A fixed seed makes the same people come out on every run, so a rerun finds each one by
# its blind index and creates nothing.

DEMO_PEOPLE_SEED = 20150806
DEMO_PEOPLE_COUNT = {"small": 300, "huli": 20000}

# Surnames weighted roughly as they occur in southern Fujian (陈、林、黄 lead there).
_SURNAMES = (
    ("陈", 14),
    ("林", 12),
    ("黄", 9),
    ("张", 5),
    ("李", 5),
    ("吴", 5),
    ("王", 5),
    ("郑", 4),
    ("蔡", 4),
    ("许", 3),
    ("杨", 3),
    ("洪", 3),
    ("刘", 3),
    ("谢", 3),
    ("郭", 3),
    ("曾", 2),
    ("苏", 2),
    ("庄", 2),
    ("叶", 2),
    ("周", 2),
    ("柯", 2),
    ("卢", 2),
    ("施", 2),
    ("邱", 2),
    ("方", 1),
    ("江", 1),
    ("徐", 1),
    ("颜", 1),
    ("吕", 1),
    ("何", 1),
    ("杜", 1),
    ("曹", 1),
    ("傅", 1),
    ("潘", 1),
    ("钟", 1),
    ("纪", 1),
    ("高", 1),
    ("董", 1),
    ("欧阳", 1),
    ("司马", 1),
)
_MALE_CHARS = "伟强军磊洋勇杰涛斌超明辉鹏华建国志海东平文龙宏俊峰晨浩宇泽凯瑞德福荣振"
_FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲桂英燕萍红梅琳雪婷慧倩佳琪欣怡雅颖丹淑惠美妍蓉"
_NEUTRAL_CHARS = "文晓子嘉思心安宁春秋雨阳一月清云星乐晴华永金玉"

# Xiamen area codes (3502xx) and the birth years for which each is a valid area: a code
# abolished or created in a given year is only valid for people born while it existed.
_AREA_CODES = (
    "350200",
    "350202",
    "350203",
    "350204",
    "350205",
    "350206",
    "350211",
    "350212",
    "350213",
    "350220",
    "350221",
)
_MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "166",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)
# A fixed window (not "today") keeps the generated people identical from year to year.
_FIRST_BIRTH = datetime.date(1930, 1, 1)
_LAST_BIRTH = datetime.date(2020, 12, 31)


@functools.lru_cache(maxsize=256)
def _areas_for_year(year: int) -> tuple[str, ...]:
    areas = []
    for area in _AREA_CODES:
        probe = f"{area}{year:04d}0101000"
        try:
            ric.get_birth_place(probe + "0")  # the place lookup ignores the check digit
        except StdnumError:
            continue
        areas.append(area)
    return tuple(areas)


def demo_resident_id(rng: random.Random, *, male: bool) -> str:
    """A synthetic GB 11643 number: Xiamen area valid in the birth year, birth date, a
    three-digit sequence whose last digit is odd for men and even for women, MOD 11-2 check."""
    span = (_LAST_BIRTH - _FIRST_BIRTH).days
    birth = _FIRST_BIRTH + datetime.timedelta(days=rng.randrange(span + 1))
    areas = _areas_for_year(birth.year)
    # Prefer the district's own code where it is valid: most demo residents were born here.
    area = "350206" if "350206" in areas and rng.random() < 0.5 else rng.choice(areas)
    sequence = rng.randrange(500) * 2 + (1 if male else 0)
    body = f"{area}{birth:%Y%m%d}{sequence:03d}"
    # stdnum expects the number with its check position present and ignores that character.
    return body + ric.calc_check_digit(body + "0")


def demo_mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def demo_name(rng: random.Random, *, male: bool) -> str:
    surnames, weights = zip(*_SURNAMES, strict=True)
    surname = rng.choices(surnames, weights=weights)[0]
    pool = (_MALE_CHARS if male else _FEMALE_CHARS) + _NEUTRAL_CHARS
    length = 2 if rng.random() < 0.75 else 1
    return surname + "".join(rng.choice(pool) for _ in range(length))


def demo_people_rows(
    count: int, *, communities: list, agencies: list, home_community, home_agency
) -> list[dict]:
    """The first ``count`` demo people as field dicts; the first n are the same for any count.

    Each person draws the same number of random values in the same order, so the stream (and
    therefore every earlier person) does not depend on how many follow.
    """
    from shegong.people.choices import IdType

    rng = random.Random(DEMO_PEOPLE_SEED)
    agencies_by_street = {}
    for agency in agencies:
        agencies_by_street.setdefault(agency.community.street_id, []).append(agency)
    seen = set()
    rows = []
    while len(rows) < count:
        male = rng.random() < 0.5
        id_number = demo_resident_id(rng, male=male)
        name = demo_name(rng, male=male)
        mobile = demo_mobile(rng)
        # One in ten lives in the demo home community, so its staff and agency see real lists.
        community = home_community if rng.random() < 0.1 else rng.choice(communities)
        registered = rng.random() < 0.4
        nearby = agencies_by_street.get(community.street_id) or agencies
        agency_pick = rng.choice(nearby)
        if id_number in seen:
            continue
        seen.add(id_number)
        owner = None
        if registered:
            owner = home_agency if community == home_community else agency_pick
        rows.append(
            {
                "name": name,
                "id_type": IdType.RESIDENT_ID,
                "id_number": id_number,
                "mobile": mobile,
                "community": community,
                "owner_agency": owner,
            }
        )
    return rows


@transaction.atomic
def ensure_demo_people(world: DemoWorld, count: int) -> int:
    """Create the first ``count`` demo people that do not exist yet; return how many were new.

    A bulk path for speed, through the same validation as ``person_create``: the encrypted
    fields encrypt and the blind index is derived on ``bulk_create`` as on ``save``.
    """
    from shegong.agencies.models import Agency
    from shegong.people.models import Person
    from shegong.people.search import search_text_for
    from shegong.people.services import clean_person_fields, id_number_index
    from shegong.places.models import Community

    communities = list(Community.objects.select_related("street").order_by("code"))
    agencies = list(
        Agency.objects.filter(uscc__in=[demo_uscc(tail) for _n, _c, tail in DEMO_AGENCIES])
        .select_related("community")
        .order_by("uscc")
    )
    rows = demo_people_rows(
        count,
        communities=communities,
        agencies=agencies,
        home_community=world.home_community,
        home_agency=world.agency_a,
    )
    creators = {
        world.agency_a.pk: world.users["social_worker"],
        world.agency_b.pk: world.users["social_worker_b"],
    }
    created = 0
    for start in range(0, len(rows), 500):
        chunk = [(id_number_index(row["id_number"]), row) for row in rows[start : start + 500]]
        existing = set(
            Person.objects.filter(id_number_index__in=[index for index, _row in chunk]).values_list(
                "id_number_index", flat=True
            )
        )
        people = []
        for index, row in chunk:
            if index in existing:
                continue
            cleaned = clean_person_fields(row)
            owner = cleaned["owner_agency"]
            creator = creators.get(owner.pk if owner else None, world.users["district_admin"])
            people.append(
                Person(
                    name=cleaned["name"],
                    gender=cleaned["gender"],
                    birth_date=cleaned["birth_date"],
                    id_type=cleaned["id_type"],
                    id_number=cleaned["id_number"],
                    mobile=cleaned["mobile"],
                    community=cleaned["community"],
                    owner_agency=owner,
                    search_text=search_text_for(cleaned["name"]),
                    created_by=creator,
                )
            )
        Person.objects.bulk_create(people)
        created += len(people)
    return created
