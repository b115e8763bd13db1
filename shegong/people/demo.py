"""Demo people: synthetic residents spread over the district's communities and agencies.

Every ID number is generated (GB 11643-1999), never copied from a real person. A fixed seed makes
the same people come out on every run, so a rerun finds each one by its blind index and creates
nothing. ``seed_demo`` only: the test personas' world has no people.
"""

import datetime
import functools
import random

from django.db import transaction
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from shegong.people.choices import IdType
from shegong.people.models import Person
from shegong.people.search import search_text_for
from shegong.people.services import clean_person_fields, id_number_index
from shegong.places.models import Community

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
def ensure_demo_people(world, count: int) -> int:
    """Create the first ``count`` demo people that do not exist yet; return how many were new.

    A bulk path for speed, through the same validation as ``person_create``: the encrypted
    fields encrypt and the blind index is derived on ``bulk_create`` as on ``save``.
    """
    communities = list(Community.objects.select_related("street").order_by("code"))
    # The demo agencies in their fixed order (the agencies step built them).
    agencies = world.agencies
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


def build(world) -> None:
    wanted = DEMO_PEOPLE_COUNT[world.scale]
    created = ensure_demo_people(world, wanted)
    world.report.append(f"Demo people: {created:,} created, {wanted - created:,} already there.")
