"""Training academy API: the pages' catalogue, open enrolment (no account), learners, attendance,
completions, teachers, sites and figures, with the same scope, FilterSets and services. ID numbers
and mobiles are masked."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shegong.api.filters import valid_filterset
from shegong.api.ratelimit import limit_anonymous
from shegong.core.ratelimit import limit_address
from shegong.core.scope import CHANGE
from shegong.training import selectors, services
from shegong.training.choices import ClassLevel, EmployerType, EnrolmentStatus, SessionMode
from shegong.training.filters import ClassFilter, EnrolmentFilter, TeacherFilter
from shegong.training.models import Course, Site, Teacher

router = Router(tags=["training"])


def _moment(text: str, name: str, errors: dict):
    """An ISO date-time (local time when it names no zone), or a field error: checked here, so
    a malformed value gets the same answer as any other bad input."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    try:
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None:
        errors[name] = [_("Enter a date and time, e.g. 2026-05-01T09:30.")]
        return None
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _require(predicate, user):
    if not predicate(user):
        raise Http404


# --- schemas -------------------------------------------------------------------------------------


class TrainingClassOut(Schema):
    id: int
    title: str
    year: int
    level: ClassLevel
    capacity: int
    completion_percent: int
    cpd_hours: Decimal
    starts_on: datetime.date
    ends_on: datetime.date
    enrolment_open: bool
    confirmed: int
    waitlisted: int = 0
    session_count: int = 0
    completed: int = 0
    course_ids: list[int] = []

    @staticmethod
    def resolve_course_ids(obj):
        return [c.pk for c in obj.courses.all()]


class TrainingPublicClassOut(Schema):
    id: int
    title: str
    year: int
    level: ClassLevel
    capacity: int
    confirmed: int
    starts_on: datetime.date
    ends_on: datetime.date


class TrainingClassFilterIn(Schema):
    q: str | None = None
    year: int | None = None
    level: ClassLevel | None = None
    sort: str | None = Field(None, description="year, level, title, capacity; '-' descends")


class TrainingClassIn(Schema):
    title: str
    year: int
    level: ClassLevel
    capacity: int
    starts_on: datetime.date
    ends_on: datetime.date
    course_ids: list[int] = []
    completion_percent: int = 80
    cpd_hours: Decimal | None = Field(None, description="Empty: the sum of the courses' hours")
    enrolment_open: bool = True
    description: str = ""


class TrainingClassPatch(Schema):
    title: str | None = None
    capacity: int | None = None
    completion_percent: int | None = None
    cpd_hours: Decimal | None = None
    enrolment_open: bool | None = None
    description: str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


class TrainingCourseIn(Schema):
    subject: str
    level: ClassLevel
    hours: Decimal
    description: str = ""


class TrainingCourseOut(Schema):
    id: int
    subject: str
    level: ClassLevel
    hours: Decimal
    description: str


class TrainingSessionIn(Schema):
    course_id: int
    mode: SessionMode
    starts_at: str = Field(..., description="ISO 8601 date and time, e.g. 2026-05-01T09:30")
    ends_at: str = Field(..., description="ISO 8601 date and time")
    teacher_id: int | None = None
    venue: str = ""
    live_url: str = ""


class TrainingSessionOut(Schema):
    id: int
    class_id: int = Field(..., alias="klass_id")
    course_id: int
    course_subject: str = Field(..., alias="course.subject")
    teacher_id: int | None
    mode: SessionMode
    venue: str
    live_url: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class TrainingEnrolIn(Schema):
    class_id: int
    name: str
    id_type: str = "resident_id"
    id_number: str
    mobile: str
    employer_type: EmployerType
    employer_name: str
    site_id: int | None = None


class TrainingEnrolledOut(Schema):
    id: int
    class_id: int = Field(..., alias="klass_id")
    status: EnrolmentStatus
    name: str = Field(..., alias="person.name")
    id_number_masked: str = Field(..., alias="person.id_number_masked")
    mobile_masked: str


class TrainingEnrolmentOut(Schema):
    id: int
    class_id: int = Field(..., alias="klass_id")
    class_title: str = Field(..., alias="klass.title")
    person_id: int
    name: str = Field(..., alias="person.name")
    id_number_masked: str = Field(..., alias="person.id_number_masked")
    mobile_masked: str
    site_id: int | None
    employer_type: EmployerType
    employer_name: str
    status: EnrolmentStatus
    queued_at: datetime.datetime
    attended: int = 0
    certificate_number: str | None = None
    hours: Decimal | None = None

    @staticmethod
    def resolve_certificate_number(obj):
        completion = getattr(obj, "completion", None)
        return completion.certificate_number if completion else None

    @staticmethod
    def resolve_hours(obj):
        completion = getattr(obj, "completion", None)
        return completion.hours if completion else None


class TrainingEnrolmentFilterIn(Schema):
    q: str | None = None
    klass: int | None = None
    site: int | None = None
    status: EnrolmentStatus | None = None
    employer_type: EmployerType | None = None
    level: ClassLevel | None = None
    year: int | None = None
    completed: bool | None = None
    sort: str | None = Field(
        None, description="name, class, site, status, employer_type, queued_at; '-' descends"
    )


class TrainingPromotedOut(Schema):
    cancelled: TrainingEnrolmentOut
    promoted: list[int]


class TrainingAttendanceIn(Schema):
    enrolment_id: int
    present: bool = True


class TrainingAttendanceOut(Schema):
    id: int
    session_id: int
    enrolment_id: int
    name: str = Field(..., alias="enrolment.person.name")
    site_id: int | None
    source: str
    created_at: datetime.datetime


class TrainingCompletionOut(Schema):
    id: int
    enrolment_id: int
    certificate_number: str
    completed_on: datetime.date
    hours: Decimal
    attended: int
    sessions: int


class TrainingTeacherIn(Schema):
    name: str
    expertise: str = Field(..., description="Tags separated by commas or 、")
    organisation: str = ""
    title: str = ""
    qualifications: str = ""
    bio: str = ""


class TrainingTeacherOut(Schema):
    id: int
    name: str
    organisation: str
    title: str
    expertise: list[str] = Field(..., alias="tags")
    qualifications: str
    is_active: bool
    session_count: int = 0
    rating: float | None = None


class TrainingTeacherFilterIn(Schema):
    q: str | None = None
    expertise: str | None = None
    active: bool | None = None
    sort: str | None = Field(None, description="name, sessions, rating; '-' descends")


class TrainingSiteIn(Schema):
    name: str
    region: str = ""
    coordinator_ids: list[int] = []


class TrainingSiteOut(Schema):
    id: int
    name: str
    region: str
    learners: int = 0
    person_times: int = 0


class TrainingClassPassOut(Schema):
    title: str
    year: int
    sat: int
    passed: int
    rate: float | None


class TrainingFiguresOut(Schema):
    learners: int
    waitlisted: int
    completed: int
    completion_rate: float | None
    satisfaction: float | None
    ratings: int
    by_employer: dict[str, int]
    by_level: dict[str, int]
    by_site: dict[str, int]
    by_class: list[TrainingClassPassOut]


# --- public --------------------------------------------------------------------------------------


@router.get(
    "/open-classes",
    auth=None,
    response=list[TrainingPublicClassOut],
    summary="Classes taking enrolments (public)",
)
def open_classes(request):
    limit_anonymous(request, group="training-classes")
    return list(selectors.open_classes())


@router.post(
    "/enrol",
    auth=None,
    response={201: TrainingEnrolledOut},
    summary="Enrol in a class without an account (public, real-name)",
)
def enrol(request, payload: TrainingEnrolIn):
    """Confirmed while the class has room, else on its waitlist (``status``); a second
    enrolment of the same person is refused with a 400 naming ``id_number``."""
    limit_anonymous(request, group="training-enrol")
    klass = selectors.open_classes().filter(pk=payload.class_id).first()
    if klass is None:
        raise ValidationError({"class_id": [_("Choose a class that is taking enrolments.")]})
    site = None
    if payload.site_id is not None:
        site = selectors.public_sites().filter(pk=payload.site_id).first()
        if site is None:
            raise ValidationError({"site_id": [_("Choose one of the academy's sites.")]})
    data = payload.dict(exclude={"class_id", "site_id"})
    try:
        enrolment = services.enrolment_create(
            klass=klass, site=site, address=limit_address(request), **data
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "site" in exc.error_dict:
            raise ValidationError({"site_id": exc.message_dict["site"]}) from exc
        raise
    return Status(201, enrolment)


# --- catalogue -----------------------------------------------------------------------------------


@router.get("/classes", response=list[TrainingClassOut], summary="Classes")
@paginate
def list_classes(request, filters: Query[TrainingClassFilterIn]):
    _require(selectors.may_view_academy, request.auth)
    rows = valid_filterset(
        ClassFilter, filters, queryset=selectors.classes_for(request.auth)
    ).qs.prefetch_related("courses")
    return rows if filters.sort else rows.order_by("-year", "level", "pk")


def _courses(user, ids):
    courses = list(Course.objects.for_user(user).filter(pk__in=ids))
    if len(courses) != len(set(ids)):
        raise ValidationError({"course_ids": [_("Choose courses of the academy.")]})
    return courses


@router.post("/classes", response={201: TrainingClassOut}, summary="Create a class")
def create_class(request, payload: TrainingClassIn):
    _require(services.may_run_academy, request.auth)
    data = payload.dict()
    courses = _courses(request.auth, data.pop("course_ids"))
    klass = services.class_create(actor=request.auth, courses=courses, **data)
    return Status(201, selectors.class_for_user_or_404(request.auth, klass.pk))


@router.get("/classes/{class_id}", response=TrainingClassOut, summary="One class")
def get_class(request, class_id: int):
    return selectors.class_for_user_or_404(request.auth, class_id)


@router.patch("/classes/{class_id}", response=TrainingClassOut, summary="Change a class")
def update_class(request, class_id: int, payload: TrainingClassPatch):
    klass = selectors.class_for_user_or_404(request.auth, class_id, CHANGE)
    services.class_update(
        actor=request.auth, klass=klass, **payload.dict(exclude_unset=True, exclude_none=True)
    )
    return selectors.class_for_user_or_404(request.auth, class_id)


@router.get(
    "/classes/{class_id}/sessions", response=list[TrainingSessionOut], summary="Its sessions"
)
def list_sessions(request, class_id: int):
    klass = selectors.class_for_user_or_404(request.auth, class_id)
    return list(klass.sessions.select_related("course"))


@router.post(
    "/classes/{class_id}/sessions", response={201: TrainingSessionOut}, summary="Add a session"
)
def create_session(request, class_id: int, payload: TrainingSessionIn):
    klass = selectors.class_for_user_or_404(request.auth, class_id, CHANGE)
    data = payload.dict()
    course = klass.courses.filter(pk=data.pop("course_id")).first()
    teacher_id = data.pop("teacher_id")
    errors: dict = {}
    for name in ("starts_at", "ends_at"):
        data[name] = _moment(data[name], name, errors)
    if errors:
        raise ValidationError(errors)
    teacher = None
    if teacher_id is not None:
        teacher = Teacher.objects.for_user(request.auth).filter(pk=teacher_id).first()
        if teacher is None:
            raise ValidationError({"teacher_id": [_("Choose a teacher of the pool.")]})
    try:
        session = services.session_create(
            actor=request.auth, klass=klass, course=course, teacher=teacher, **data
        )
    except ValidationError as exc:
        errors = exc.message_dict
        if "course" in errors:
            errors["course_id"] = errors.pop("course")
        if "teacher" in errors:
            errors["teacher_id"] = errors.pop("teacher")
        raise ValidationError(errors) from exc
    return Status(201, session)


@router.post(
    "/classes/{class_id}/completions",
    response=list[TrainingCompletionOut],
    summary="Record the completions of learners who met the class's attendance rule",
)
def record_completions(request, class_id: int):
    klass = selectors.class_for_user_or_404(request.auth, class_id, CHANGE)
    return services.completions_record(actor=request.auth, klass=klass)


@router.get("/courses", response=list[TrainingCourseOut], summary="Courses")
def list_courses(request):
    _require(selectors.may_view_academy, request.auth)
    return list(selectors.courses_for(request.auth))


@router.post("/courses", response={201: TrainingCourseOut}, summary="Add a course")
def create_course(request, payload: TrainingCourseIn):
    _require(services.may_run_academy, request.auth)
    return Status(201, services.course_create(actor=request.auth, **payload.dict()))


# --- learners and attendance ---------------------------------------------------------------------


@router.get("/enrolments", response=list[TrainingEnrolmentOut], summary="Learners in my scope")
@paginate
def list_enrolments(request, filters: Query[TrainingEnrolmentFilterIn]):
    _require(selectors.may_list_learners, request.auth)
    return valid_filterset(
        EnrolmentFilter,
        filters,
        queryset=selectors.enrolments_for(request.auth),
        user=request.auth,
    ).qs


@router.get("/enrolments/{enrolment_id}", response=TrainingEnrolmentOut, summary="One learner")
def get_enrolment(request, enrolment_id: int):
    return selectors.enrolment_for_user_or_404(request.auth, enrolment_id)


@router.post(
    "/enrolments/{enrolment_id}/cancel",
    response=TrainingPromotedOut,
    summary="Cancel an enrolment (staff, the site's coordinator, or the learner); the waitlist "
    "moves up",
)
def cancel_enrolment(request, enrolment_id: int):
    user = request.auth
    enrolment = (
        selectors.enrolments_for(user).filter(pk=enrolment_id).first()
        or selectors.own_enrolments(user).filter(pk=enrolment_id).first()
    )
    if enrolment is None:
        raise Http404
    promoted = services.enrolment_cancel(actor=user, enrolment=enrolment)
    enrolment.refresh_from_db()
    return {"cancelled": enrolment, "promoted": [e.pk for e in promoted]}


@router.get("/mine", response=list[TrainingEnrolmentOut], summary="My own enrolments")
def my_enrolments(request):
    return list(selectors.own_enrolments(request.auth))


def _session(user, session_id):
    return selectors.session_for_user_or_404(user, session_id)


@router.get(
    "/sessions/{session_id}/attendance",
    response=list[TrainingAttendanceOut],
    summary="Who attended (the learners in my scope)",
)
def list_attendance(request, session_id: int):
    session = _session(request.auth, session_id)
    _require(selectors.may_list_learners, request.auth)
    visible = selectors.enrolments_for(request.auth).values("pk")
    return list(
        session.attendances.filter(enrolment__in=visible).select_related("enrolment__person")
    )


@router.post(
    "/sessions/{session_id}/attendance",
    response={200: TrainingAttendanceOut, 204: None},
    summary="Mark a learner present (or absent: 204)",
)
def mark_attendance(request, session_id: int, payload: TrainingAttendanceIn):
    session = _session(request.auth, session_id)
    _require(selectors.may_mark, request.auth)
    enrolment = (
        selectors.enrolments_for(request.auth, CHANGE).filter(pk=payload.enrolment_id).first()
    )
    if enrolment is None:
        raise ValidationError({"enrolment_id": [_("Choose a learner of this class.")]})
    attendance = services.attendance_mark(
        actor=request.auth, session=session, enrolment=enrolment, present=payload.present
    )
    if attendance is None:
        return Status(204, None)
    return Status(200, attendance)


# --- teachers, sites, figures --------------------------------------------------------------------


@router.get("/teachers", response=list[TrainingTeacherOut], summary="The teacher pool")
@paginate
def list_teachers(request, filters: Query[TrainingTeacherFilterIn]):
    _require(selectors.may_view_academy, request.auth)
    return valid_filterset(TeacherFilter, filters, queryset=selectors.teachers_for(request.auth)).qs


@router.post("/teachers", response={201: TrainingTeacherOut}, summary="Add a teacher")
def create_teacher(request, payload: TrainingTeacherIn):
    _require(services.may_run_academy, request.auth)
    teacher = services.teacher_create(actor=request.auth, **payload.dict())
    return Status(201, selectors.teacher_for_user_or_404(request.auth, teacher.pk))


@router.get("/teachers/{teacher_id}", response=TrainingTeacherOut, summary="One teacher")
def get_teacher(request, teacher_id: int):
    return selectors.teacher_for_user_or_404(request.auth, teacher_id)


@router.get("/sites", response=list[TrainingSiteOut], summary="Remote sites in my scope")
def list_sites(request):
    _require(selectors.may_list_learners, request.auth)
    return list(selectors.sites_for(request.auth))


@router.post("/sites", response={201: TrainingSiteOut}, summary="Add a remote site")
def create_site(request, payload: TrainingSiteIn):
    _require(services.may_run_academy, request.auth)
    from shegong.accounts.models import User

    ids = set(payload.coordinator_ids)
    coordinators = list(User.objects.filter(pk__in=ids))
    if len(coordinators) != len(ids):
        raise ValidationError({"coordinator_ids": [_("Choose existing users.")]})
    try:
        site = services.site_create(
            actor=request.auth,
            name=payload.name,
            region=payload.region,
            coordinators=coordinators,
        )
    except ValidationError as exc:
        errors = exc.message_dict
        if "coordinators" in errors:
            errors["coordinator_ids"] = errors.pop("coordinators")
        raise ValidationError(errors) from exc
    return Status(201, selectors.site_for_user_or_404(request.auth, site.pk))


@router.get("/figures", response=TrainingFiguresOut, summary="The academy's figures in my scope")
def get_figures(request, year: int | None = None, site_id: int | None = None):
    _require(selectors.may_list_learners, request.auth)
    site = None
    if site_id is not None:
        site = Site.objects.for_user(request.auth).filter(pk=site_id).first()
        if site is None:
            raise Http404
    figures = selectors.figures(request.auth, year=year, site=site)
    return {
        **{k: figures[k] for k in ("learners", "waitlisted", "completed", "ratings")},
        "completion_rate": figures["completion_rate"],
        "satisfaction": figures["satisfaction"],
        "by_employer": {str(label): n for label, n in figures["by_employer"]},
        "by_level": {str(label): n for label, n in figures["by_level"]},
        "by_site": {str(label or ""): n for label, n in figures["by_site"]},
        "by_class": figures["by_class"],
    }
