"""Who may see and touch a case (DESIGN §4.2), at every layer.

Scope: a worker of another agency and an unassigned colleague see nothing; place roles see that
the case exists and its statistics, never its content; the worker, the agency's supervisors and
its director read everything. Services refuse outsiders with OutOfScope (a 404) and write nothing.
Pages and API: every case route and operation (enumerated from the URLconf and the OpenAPI
schema, so a new one cannot be forgotten) answers 404 to an outsider; each open of a case file
is in the access log.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from shegong.accounts.models import RoleAssignment, User
from shegong.api.api import api
from shegong.cases import selectors, services
from shegong.cases import urls as case_urls
from shegong.cases.choices import CaseStatus, ContactMethod, ReviewKind, ReviewStatus, RiskLevel
from shegong.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    Evaluation,
    NoteAttachment,
    NoteComment,
    PlanGoal,
    PlanTask,
    Referral,
    Review,
    ServiceNote,
    ServicePlan,
)
from shegong.cases.tests.factories import (
    CaseFactory,
    ClientFactory,
    SharingConsentFactory,
    add_note,
    evaluate,
    today,
)
from shegong.core.demo import DEMO_PASSWORD
from shegong.core.models import AccessLog
from shegong.core.scope import CHANGE, CONTENT, VIEW, OutOfScope, same_scope
from shegong.notifications.models import Notification

pytestmark = pytest.mark.django_db

CONTENT_MODELS = (
    Assessment,
    ServicePlan,
    PlanGoal,
    PlanTask,
    ServiceNote,
    NoteAttachment,
    NoteComment,
    Evaluation,
    Review,
    CaseEvent,
)
SECRET_NOTE = "入户探访：案主提到与前夫的债务纠纷。"
SECRET_COMMENT = "督导意见：关注债务风险。"
PLACE_PERSONAS = ("community_staff", "street_admin", "district_admin")
CONTENT_PERSONAS = ("social_worker", "supervisor", "agency_admin")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def colleague(world):
    """A second social worker of agency A who is not assigned to the case."""
    user = User.objects.create_user(username="colleague_access", password=DEMO_PASSWORD)
    RoleAssignment.objects.create(user=user, role="social_worker", agency=world.agency_a)
    return user


@pytest.fixture
def objects(world):
    """A case of agency A with a row of every kind an outsider might aim at."""
    worker, supervisor = world.users["social_worker"], world.users["supervisor"]
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    note = add_note(
        case,
        participants=2,
        content=SECRET_NOTE,
        attachments=[SimpleUploadedFile("scan.txt", b"scan")],
    )
    services.note_comment(actor=supervisor, note=note, text=SECRET_COMMENT)
    evaluate(case)
    plan = selectors.approved_plan(case)
    review = case.reviews.get(kind=ReviewKind.PLAN)
    client_file = services.client_file_save(actor=worker, person=case.client, address="兴隆路1号")
    member = services.household_member_add(
        actor=worker, client_file=client_file, name="王大伟", relation="父亲"
    )
    referral = services.referral_create(
        actor=worker,
        case=case,
        reason="需要就业支持",
        summary_for_receiver="求职意愿强。",
        consent=SharingConsentFactory(person=case.client),
        to_agency=world.agency_b,
    )
    case.refresh_from_db()
    return {
        "case": case,
        "ids": {
            "pk": case.pk,
            "case_id": case.pk,
            "plan_pk": plan.pk,
            "plan_id": plan.pk,
            "task_pk": plan.tasks.get().pk,
            "task_id": plan.tasks.get().pk,
            "note_pk": note.pk,
            "note_id": note.pk,
            "attachment_pk": note.attachments.get().pk,
            "attachment_id": note.attachments.get().pk,
            "review_pk": review.pk,
            "review_id": review.pk,
            "referral_pk": referral.pk,
            "referral_id": referral.pk,
            "person_pk": case.client.pk,
            "person_id": case.client.pk,
            "member_pk": member.pk,
            "member_id": member.pk,
            "item": "documents",
        },
    }


@pytest.fixture
def pending_case(world):
    """A case with a plan waiting for approval (for deciding reviews)."""
    return CaseFactory(stage=CaseStatus.PLANNING)


def written(case: Case) -> tuple:
    """What an outsider's request must not change."""
    row = Case.objects.filter(pk=case.pk).values().get()
    counts = tuple(
        model.objects.count()
        for model in (*CONTENT_MODELS, Referral, Notification, Case, AccessLog)
    )
    return row, counts


# --- scope ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", [VIEW, CHANGE, CONTENT])
def test_another_agencys_worker_is_outside_every_scope(world, objects, action):
    outsider = world.users["social_worker_b"]
    assert not Case.objects.for_user(outsider, action).filter(pk=objects["case"].pk).exists()
    for model in CONTENT_MODELS:
        assert not model.objects.for_user(outsider, action).exists(), model.__name__


@pytest.mark.parametrize("persona", PLACE_PERSONAS)
def test_place_roles_see_that_the_case_exists_but_nothing_inside(world, objects, persona):
    user = world.users[persona]
    case = objects["case"]
    assert Case.objects.for_user(user, VIEW).filter(pk=case.pk).exists()
    assert not Case.objects.for_user(user, CONTENT).filter(pk=case.pk).exists()
    assert not Case.objects.for_user(user, CHANGE).filter(pk=case.pk).exists()
    for action in (VIEW, CHANGE, CONTENT):
        for model in CONTENT_MODELS:
            assert not model.objects.for_user(user, action).exists(), (model.__name__, action)


def test_a_place_role_outside_the_community_does_not_even_see_it(world, objects):
    elsewhere = User.objects.create_user(username="other_street_admin")
    RoleAssignment.objects.create(user=elsewhere, role="street_admin", street=world.other_street)
    assert not Case.objects.for_user(elsewhere, VIEW).filter(pk=objects["case"].pk).exists()


def test_an_unassigned_colleague_sees_nothing(objects, colleague):
    for action in (VIEW, CHANGE, CONTENT):
        assert not Case.objects.for_user(colleague, action).exists()
        for model in CONTENT_MODELS:
            assert not model.objects.for_user(colleague, action).exists(), model.__name__


def test_a_worker_who_left_the_agency_no_longer_reads_their_cases_there(world, objects):
    worker = world.users["social_worker"]
    case = objects["case"]
    RoleAssignment.objects.filter(user=worker, agency=world.agency_a).update(is_active=False)
    RoleAssignment.objects.create(user=worker, role="social_worker", agency=world.agency_b)
    worker = User.objects.get(pk=worker.pk)  # a new request: assignments load afresh
    assert case.worker_id == worker.pk
    for action in (VIEW, CHANGE, CONTENT):
        assert not Case.objects.for_user(worker, action).filter(pk=case.pk).exists(), action
        for model in CONTENT_MODELS:
            assert not model.objects.for_user(worker, action).exists(), (model.__name__, action)


@pytest.mark.parametrize("persona", CONTENT_PERSONAS)
def test_the_worker_and_the_agency_leads_read_the_content(world, objects, persona):
    user = world.users[persona]
    case = objects["case"]
    assert Case.objects.for_user(user, CONTENT).filter(pk=case.pk).exists()
    for model in CONTENT_MODELS:
        assert model.objects.for_user(user, CONTENT).exists(), model.__name__
    assert ServiceNote.objects.for_user(user, CONTENT).get().content == SECRET_NOTE


def case_path(model) -> str:
    """The lookup from a content model to its case (``case``, ``plan__case``, ``note__case``)."""
    return model.scope_rule.agency_paths[0].removesuffix("__agency")


def test_whoever_reads_a_case_reads_every_row_inside_it(world, objects, colleague):
    """``selectors.case_content`` loads a case file's rows by case alone once the case passed
    the content scope; sound only while the content models' own rules grant at least that.
    A rule made narrower for one model (a private draft, say) fails here."""
    worker_b_case = CaseFactory(
        worker=world.users["social_worker_b"],
        client=ClientFactory(owner_agency=world.agency_b),
        stage=CaseStatus.ASSESSMENT,
    )
    add_note(worker_b_case, actor=world.users["social_worker_b"])
    for user in [*world.users.values(), colleague]:
        readable = Case.objects.for_user(user, CONTENT)
        for model in CONTENT_MODELS:
            inside = model.objects.filter(**{f"{case_path(model)}__in": readable})
            granted = model.objects.for_user(user, CONTENT).values("pk")
            assert not inside.exclude(pk__in=granted).exists(), (user.username, model.__name__)
    worker = world.users["social_worker"]
    inside = ServiceNote.objects.filter(case__in=Case.objects.for_user(worker, CONTENT))
    assert inside.count() == 1  # the check above compared something


def test_the_case_file_reads_nothing_inside_a_case_the_user_may_not_read(world, objects):
    with pytest.raises(OutOfScope):
        selectors.case_content(world.users["community_staff"], objects["case"])


def test_the_receiving_lead_sees_the_referral_but_not_the_case(world, objects):
    lead_b = User.objects.create_user(username="lead_b_access")
    RoleAssignment.objects.create(user=lead_b, role="supervisor", agency=world.agency_b)
    assert Referral.objects.for_user(lead_b, VIEW).filter(pk=objects["ids"]["referral_pk"])
    assert not Case.objects.for_user(lead_b, VIEW).filter(pk=objects["case"].pk).exists()
    for model in CONTENT_MODELS:
        assert not model.objects.for_user(lead_b, CONTENT).exists(), model.__name__
    # A plain worker at the receiving agency does not answer referrals.
    assert not Referral.objects.for_user(world.users["social_worker_b"], VIEW).exists()


def service_calls(case, ids, actor):
    note = ServiceNote.objects.get(pk=ids["note_pk"])
    plan = ServicePlan.objects.get(pk=ids["plan_pk"])
    return {
        "assessment_record": lambda: services.assessment_record(
            actor=actor,
            case=case,
            assessed_on=today(),
            needs={"health": {"level": "high"}},
            risk_level=RiskLevel.LOW,
            summary="越权",
        ),
        "plan_create": lambda: services.plan_create(
            actor=actor, case=case, goals=[{"description": "越权"}]
        ),
        "plan_submit": lambda: services.plan_submit(actor=actor, plan=plan),
        "note_add": lambda: services.note_add(
            actor=actor,
            case=case,
            contact_date=today(),
            duration_minutes=10,
            method=ContactMethod.PHONE,
            content="越权",
        ),
        "note_comment": lambda: services.note_comment(actor=actor, note=note, text="越权"),
        "task_complete": lambda: services.task_complete(
            actor=actor, task=PlanTask.objects.get(pk=ids["task_pk"]), done_on=today()
        ),
        "evaluation_record": lambda: services.evaluation_record(
            actor=actor, case=case, evaluated_on=today(), attainment={}, summary="越权"
        ),
        "closure_request": lambda: services.closure_request(
            actor=actor, case=case, reason="other", note="越权"
        ),
        "case_reopen": lambda: services.case_reopen(actor=actor, case=case, reason="越权"),
        "case_reassign": lambda: services.case_reassign(actor=actor, case=case, worker=actor),
        "referral_create": lambda: services.referral_create(
            actor=actor,
            case=case,
            reason="越权",
            summary_for_receiver="越权",
            consent=None,
            to_service="社区食堂",
        ),
        "review_decide": lambda: services.review_decide(
            actor=actor, review=Review.objects.get(pk=ids["review_pk"]), approve=True
        ),
    }


@pytest.mark.parametrize("who", ["social_worker_b", "colleague", "community_staff", "street_admin"])
def test_services_refuse_whoever_is_not_on_the_case(world, objects, colleague, who):
    actor = colleague if who == "colleague" else world.users[who]
    case = objects["case"]
    for name, call in service_calls(case, objects["ids"], actor).items():
        before = written(case)
        with pytest.raises(OutOfScope):
            call()
        assert written(case) == before, name


def test_an_outsider_cannot_decide_a_pending_review(world, pending_case, colleague):
    review = pending_case.reviews.get(status=ReviewStatus.PENDING)
    for actor in (world.users["social_worker_b"], colleague, world.users["community_staff"]):
        before = written(pending_case)
        with pytest.raises(OutOfScope):
            services.review_decide(actor=actor, review=review, approve=True)
        assert written(pending_case) == before


def test_nobody_outside_the_agency_opens_a_case_for_its_client(world):
    client = ClientFactory()
    before = Case.objects.count()
    for actor in (world.users["social_worker_b"], world.users["community_staff"]):
        with pytest.raises((OutOfScope, ValidationError)):
            services.case_open(
                actor=actor,
                client=client,
                source="walk_in",
                presenting_problem="越权",
                risk_level=RiskLevel.LOW,
                intake_date=today(),
            )
    assert Case.objects.count() == before


# --- pages ---------------------------------------------------------------------------------------


def case_routes(ids):
    """(name, url) of every page of the cases app, with the objects' ids filled in."""
    for pattern in case_urls.urlpatterns:
        names = list(pattern.pattern.converters)
        yield pattern.name, reverse(f"cases:{pattern.name}", kwargs={k: ids[k] for k in names})


def object_routes(ids):
    return [(name, url) for name, url in case_routes(ids) if any(c.isdigit() for c in url)]


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def missing(ids: dict) -> dict:
    return {k: (v if k == "item" else 999_999) for k, v in ids.items()}


def sweep(browser, ids, *, skip=(), methods=("GET", "POST")) -> dict:
    """Status of every object page for these ids: {"GET detail": 404, ...}."""
    answers = {}
    for name, url in object_routes(ids):
        if name.startswith(skip):
            continue
        if "GET" in methods:
            answers[f"GET {name}"] = browser.get(url).status_code
        if "POST" in methods:
            answers[f"POST {name}"] = browser.post(url, {"approve": "1"}).status_code
    return answers


def assert_looks_missing(browser, ids, **options) -> None:
    """Every page answers exactly as for an object that does not exist: 404 (or, for a
    POST-only action opened with GET, the same 405 a missing object gets)."""
    answers = sweep(browser, ids, **options)
    assert answers == sweep(browser, missing(ids), **options)
    assert {k: v for k, v in answers.items() if v != 404 and not k.startswith("GET")} == {}
    assert set(answers.values()) <= {404, 405}


def test_every_case_page_is_404_for_another_agencys_worker(world, objects):
    case = objects["case"]
    before = written(case)
    assert_looks_missing(client_of(world.users["social_worker_b"]), objects["ids"])
    assert written(case) == before


def test_every_case_page_is_404_for_an_unassigned_colleague(objects, colleague):
    """Clients are agency records (the colleague may read the client file); cases are not."""
    case = objects["case"]
    before = written(case)
    skip = ("client_file", "household", "taiwan")
    assert_looks_missing(client_of(colleague), objects["ids"], skip=skip)
    assert written(case) == before


def test_lists_of_other_people_do_not_show_the_case(world, objects, colleague):
    case = objects["case"]
    for user in (world.users["social_worker_b"], colleague):
        browser = client_of(user)
        for name in ("list", "my_work", "supervision", "referrals"):
            response = browser.get(reverse(f"cases:{name}"))
            assert response.status_code in (200, 404), name
            html = response.content.decode()
            assert case.number not in html and case.client.name not in html, name


def test_opening_a_case_for_another_agencys_client_is_refused_on_the_page(world, objects):
    client = objects["case"].client
    browser = client_of(world.users["social_worker_b"])
    before = Case.objects.count()
    form = browser.get(f"/cases/new/?client={client.pk}")
    assert client.name not in form.content.decode()
    browser.post(
        "/cases/new/",
        {
            "client": client.pk,
            "source": "walk_in",
            "presenting_problem": "越权",
            "risk_level": "low",
            "intake_date": today().isoformat(),
        },
    )
    assert Case.objects.count() == before


@pytest.mark.parametrize("persona", PLACE_PERSONAS)
def test_place_roles_see_counts_but_no_content_pages(world, objects, persona):
    case = objects["case"]
    browser = client_of(world.users[persona])
    page = browser.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="case-person-times">2<' in html
    assert 'data-testid="case-note-count">1<' in html
    for secret in (SECRET_NOTE, SECRET_COMMENT, case.presenting_problem, case.client.name):
        assert secret not in html
    listed = browser.get("/cases/").content.decode()
    assert case.number in listed and case.client.name not in listed
    # Every page beyond the file's front sheet holds content.
    skip = ("detail", "client_file", "taiwan_item", "household")
    assert_looks_missing(browser, objects["ids"], skip=skip, methods=("GET",))


# --- API -----------------------------------------------------------------------------------------


def api_operations(ids):
    """(method, path, operation) of every case operation in the API schema naming an object."""
    for path, operations in SCHEMA()["paths"].items():
        if not path.startswith("/api/v1/cases/") or "{" not in path:
            continue
        filled = path
        for name, value in ids.items():
            filled = filled.replace("{" + name + "}", str(value))
        assert "{" not in filled, f"no object for {path}"
        for method, operation in operations.items():
            yield method, filled, operation


def SCHEMA():  # noqa: N802 - read like a constant, built once
    if not hasattr(SCHEMA, "value"):
        SCHEMA.value = api.get_openapi_schema()
    return SCHEMA.value


def example(schema: dict):
    """A well-formed value for a JSON schema, so the API gets past validation to the scope."""
    if "$ref" in schema:
        schema = SCHEMA()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: example(props[name]) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return today().isoformat()
    return "x"


def token_client(username):
    client = Client()
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": DEMO_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 201
    return client, {"Authorization": f"Bearer {response.json()['token']}"}


def api_call(client, headers, method, path, operation):
    if method in ("get", "delete"):
        return getattr(client, method)(path, headers=headers)
    body = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in body:
        return client.post(path, {"file": SimpleUploadedFile("x.txt", b"x")}, headers=headers)
    payload = example(body["application/json"]["schema"]) if body else {}
    return getattr(client, method)(path, payload, content_type="application/json", headers=headers)


def test_every_case_api_operation_is_404_for_another_agencys_worker(world, objects):
    case = objects["case"]
    client, headers = token_client("social_worker_b")
    before = written(case)
    answers = {
        f"{method.upper()} {path}": api_call(client, headers, method, path, operation)
        for method, path, operation in api_operations(objects["ids"])
    }
    assert len(answers) > 20
    assert {k: r.status_code for k, r in answers.items() if r.status_code != 404} == {}
    assert all(r.json()["detail"] for r in answers.values())
    for listing in ("/api/v1/cases", "/api/v1/cases/mine"):
        body = client.get(listing, headers=headers).json()
        rows = body["items"] if isinstance(body, dict) else body
        assert case.pk not in [row["id"] for row in rows]
    assert written(case) == before


def test_community_staff_reads_the_statistics_not_the_notes_through_the_api(world, objects):
    case = objects["case"]
    client, headers = token_client("community_staff")
    body = client.get(f"/api/v1/cases/{case.pk}", headers=headers).json()
    assert body["person_times"] == 2 and body["content"] is None
    text = client.get(f"/api/v1/cases/{case.pk}", headers=headers).content.decode()
    assert SECRET_NOTE not in text and case.client.name not in text
    assert client.get(f"/api/v1/cases/{case.pk}/notes", headers=headers).status_code == 404


# --- access log ----------------------------------------------------------------------------------


def opens_of(user, case) -> int:
    return AccessLog.objects.filter(
        user=user,
        action=AccessLog.Action.OPEN,
        object_type="cases.Case",
        object_id=str(case.pk),
    ).count()


@pytest.mark.parametrize("persona", CONTENT_PERSONAS + PLACE_PERSONAS)
def test_each_open_of_the_case_file_is_logged(world, objects, persona):
    user, case = world.users[persona], objects["case"]
    browser = client_of(user)
    api_client, headers = token_client(persona)
    assert opens_of(user, case) == 0
    browser.get(f"/cases/{case.pk}/")
    browser.get(f"/cases/{case.pk}/")
    assert opens_of(user, case) == 2
    api_client.get(f"/api/v1/cases/{case.pk}", headers=headers)
    assert opens_of(user, case) == 3


def test_refused_opens_are_not_logged_as_opens(world, objects, colleague):
    case = objects["case"]
    for user in (world.users["social_worker_b"], colleague):
        client_of(user).get(f"/cases/{case.pk}/")
        assert opens_of(user, case) == 0


def test_one_flag_answers_whether_the_user_reads_inside_and_works_on_a_case():
    """The case file asks both in one subquery while the case rule grants them alike."""
    assert same_scope(Case, CONTENT, CHANGE)
    assert not same_scope(Case, VIEW, CHANGE)  # place roles see that a case exists, no more
