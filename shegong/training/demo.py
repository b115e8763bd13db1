"""Demo training academy: yearly junior, intermediate and advanced classes since 2022 (the
current year's with seven courses), a teacher pool with ratings, and the remote site 闽宁镇 with
its coordinator login (``site_coordinator``) and 280 learners following the sessions live.

Written through the services with ``training_admin`` as the actor (and the public enrolment and
check-in paths for learners); dated relative to today. Idempotent: skipped when classes exist.
"""

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from shegong.training import services
from shegong.training.choices import ClassLevel, EmployerType, SessionMode
from shegong.training.models import TrainingClass

FIRST_YEAR = 2022
REMOTE_LEARNERS = 280
COORDINATOR = "site_coordinator"
# The seven courses of the current year (subject, level, hours).
COURSES = [
    ("社会工作综合能力", ClassLevel.JUNIOR, "16"),
    ("社会工作实务", ClassLevel.JUNIOR, "16"),
    ("社会工作综合能力", ClassLevel.INTERMEDIATE, "16"),
    ("社会工作实务", ClassLevel.INTERMEDIATE, "16"),
    ("社会工作法规与政策", ClassLevel.INTERMEDIATE, "12"),
    ("高级社会工作实务", ClassLevel.ADVANCED, "20"),
    ("社会工作督导与管理", ClassLevel.ADVANCED, "12"),
]
TEACHERS = [
    ("林晓红", "厦门大学社会与人类学院", "副教授", "个案工作、儿童青少年、社会工作伦理"),
    ("陈志明", "湖里区社会工作促进会", "督导", "督导、机构管理、项目评估"),
    ("黄丽娟", "集美大学", "讲师", "小组工作、社区工作、老年服务"),
    ("吴建国", "区民政局", "高级社会工作师", "社会政策、法规与政策、社会救助"),
    ("郑雅婷", "厦门市仙岳医院", "医务社工", "医务社会工作、心理健康、危机干预"),
    ("王海峰", "宁夏大学", "教授", "社区发展、乡村振兴、闽宁协作"),
]
LEVEL_TITLES = {
    ClassLevel.JUNIOR: "初级班",
    ClassLevel.INTERMEDIATE: "中级班",
    ClassLevel.ADVANCED: "高级班",
}
EMPLOYERS = [
    (EmployerType.SOCIAL_ORG, "湖里区社工服务中心"),
    (EmployerType.COMMUNITY, "兴隆社区居委会"),
    (EmployerType.GOVERNMENT, "殿前街道办事处"),
    (EmployerType.ENTERPRISE, "厦门某物业公司"),
    (EmployerType.OTHER, "个人"),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _identity(rng: random.Random, area: str) -> tuple[str, str, str]:
    from stdnum.cn import ric

    from shegong.people.demo import demo_mobile, demo_name

    male = rng.random() < 0.4
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 32))
    sequence = rng.randrange(500) * 2 + (1 if male else 0)
    body = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return demo_name(rng, male=male), body + ric.calc_check_digit(body + "0"), demo_mobile(rng)


def _enrol_many(klass, count, rng, *, area, site=None, employers=EMPLOYERS, actor=None):
    """Enrol ``count`` synthetic learners through the enrolment service (the public path, or
    staff back-filling a past class); a generated identity already on file under another name
    is skipped for a fresh one."""
    made = []
    for _attempt in range(count * 3):
        if len(made) == count:
            break
        name, id_number, mobile = _identity(rng, area)
        employer_type, employer_name = rng.choice(employers)
        try:
            made.append(
                services.enrolment_create(
                    klass=klass,
                    site=site,
                    actor=actor,
                    name=name,
                    id_type="resident_id",
                    id_number=id_number,
                    mobile=mobile,
                    employer_type=employer_type,
                    employer_name=employer_name,
                )
            )
        except ValidationError:
            continue
    return made


def _coordinator(world):
    from shegong.accounts.models import User
    from shegong.accounts.services import role_grant, user_create
    from shegong.core.demo import DEMO_PASSWORD

    user = User.objects.filter(username=COORDINATOR).first()
    if user is None:
        admin = world.users["district_admin"]
        user = user_create(
            actor=admin, username=COORDINATOR, password=DEMO_PASSWORD, display_name="闽宁镇培训站"
        )
        role_grant(actor=admin, user=user, role="site_coordinator", node=world.district)
    world.users[COORDINATOR] = user
    return user


def _sessions(actor, klass, teachers, days, rng, *, remote=False):
    made = []
    courses = list(klass.courses.all())
    for index, day in enumerate(days):
        mode = SessionMode.HYBRID if remote else rng.choice(list(SessionMode.values))
        made.append(
            services.session_create(
                actor=actor,
                klass=klass,
                course=courses[index % len(courses)],
                teacher=teachers[index % len(teachers)],
                mode=mode,
                venue="湖里区社会工作促进会培训室" if mode != SessionMode.ONLINE else "",
                live_url=f"https://live.example.org/huli/{klass.year}/{klass.pk}/{index + 1}"
                if mode != SessionMode.OFFLINE
                else "",
                starts_at=_at(day, 9),
                ends_at=_at(day, 12),
            )
        )
    return made


def _attend_and_rate(actor, sessions, enrolments, rng, *, share=0.85):
    for session in sessions:
        if session.starts_at > timezone.now():
            continue
        for enrolment in enrolments:
            if enrolment.status != "confirmed" or rng.random() > share:
                continue
            services.attendance_mark(actor=actor, session=session, enrolment=enrolment)
            if rng.random() < 0.3:
                services.feedback_submit(
                    session,
                    name=enrolment.person.name,
                    mobile=enrolment.mobile,
                    rating=rng.choice([3, 4, 4, 5, 5, 5]),
                )


def build(world) -> None:
    if TrainingClass.objects.exists():
        world.report.append("Demo training academy: already there.")
        return
    rng = random.Random(2022)
    admin = world.users["training_admin"]
    today = timezone.localdate()
    coordinator = _coordinator(world)
    site = services.site_create(
        actor=admin, name="闽宁镇", region="宁夏回族自治区银川市永宁县", coordinators=[coordinator]
    )
    teachers = [
        services.teacher_create(
            actor=admin,
            name=name,
            organisation=organisation,
            title=title,
            expertise=expertise,
            qualifications="高级社会工作师" if "高级" in title or title == "督导" else "",
        )
        for name, organisation, title, expertise in TEACHERS
    ]
    courses = {
        (subject, level): services.course_create(
            actor=admin, subject=subject, level=level, hours=Decimal(hours)
        )
        for subject, level, hours in COURSES
    }
    # Past years: three classes a year, finished, with their completions.
    for year in range(FIRST_YEAR, today.year):
        for level in ClassLevel.values:
            klass = services.class_create(
                actor=admin,
                title=f"{year}年{LEVEL_TITLES[level]}",
                year=year,
                level=level,
                capacity=40,
                starts_on=datetime.date(year, 4, 1),
                ends_on=datetime.date(year, 11, 30),
                courses=[c for (s, lvl), c in courses.items() if lvl == level],
            )
            days = [datetime.date(year, month, 12) for month in (4, 6, 8, 10)]
            sessions = _sessions(admin, klass, teachers, days, rng)
            learners = _enrol_many(klass, 8, rng, area="350206", actor=admin)
            _attend_and_rate(admin, sessions, learners, rng)
            services.completions_record(actor=admin, klass=klass, on=datetime.date(year, 11, 30))
            services.class_update(actor=admin, klass=klass, enrolment_open=False)
    # This year: the three classes with the seven courses; the junior class streamed live to
    # 闽宁镇, where 280 learners follow it, with sessions behind and ahead.
    starts = today - datetime.timedelta(days=60)
    current = {}
    for level in ClassLevel.values:
        current[level] = services.class_create(
            actor=admin,
            title=f"{today.year}年{LEVEL_TITLES[level]}",
            year=today.year,
            level=level,
            capacity=320 if level == ClassLevel.JUNIOR else 40,
            starts_on=starts,
            ends_on=today + datetime.timedelta(days=120),
            courses=[c for (s, lvl), c in courses.items() if lvl == level],
        )
    junior = current[ClassLevel.JUNIOR]
    offsets = (-56, -42, -28, -14, 0, 14, 28, 42)
    sessions = _sessions(
        admin,
        junior,
        teachers,
        [today + datetime.timedelta(days=d) for d in offsets],
        rng,
        remote=True,
    )
    remote = _enrol_many(
        junior,
        REMOTE_LEARNERS,
        rng,
        area="640121",
        site=site,
        employers=[
            (EmployerType.COMMUNITY, "闽宁镇社区"),
            (EmployerType.GOVERNMENT, "闽宁镇人民政府"),
            (EmployerType.SOCIAL_ORG, "永宁县社会工作服务站"),
            (EmployerType.OTHER, "个人"),
        ],
    )
    local = _enrol_many(junior, 24, rng, area="350206")
    past = [s for s in sessions if s.ends_at < timezone.now()]
    _attend_and_rate(admin, past[:3], remote[:120] + local, rng, share=0.9)
    for level in (ClassLevel.INTERMEDIATE, ClassLevel.ADVANCED):
        klass = current[level]
        class_sessions = _sessions(
            admin,
            klass,
            teachers[::-1],
            [today + datetime.timedelta(days=d) for d in (-35, -7, 21, 49)],
            rng,
        )
        learners = _enrol_many(klass, 44, rng, area="350206")  # four on the waitlist
        _attend_and_rate(admin, class_sessions, learners, rng)
    world.report.append(
        f"Demo training academy: {len(range(FIRST_YEAR, today.year + 1)) * 3} classes since "
        f"{FIRST_YEAR}, {len(COURSES)} courses this year, {len(teachers)} teachers, "
        f"{len(remote)} learners at 闽宁镇 (login {COORDINATOR})."
    )
