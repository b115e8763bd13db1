"""Cases and notes written in bulk (a legacy register) follow the rules of ``case_open`` and
``note_add``: the same field messages, the same person-times and last contact, nothing written
on a bad row, and only the agency's leads may write them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shegong.cases import services
from shegong.cases.choices import CaseSource, CaseStatus, ClosureReason, ContactMethod, EventKind
from shegong.cases.importers import CaseRegisterImporter
from shegong.cases.models import Case, CaseEvent, ServiceNote
from shegong.cases.services import clean
from shegong.cases.tests.factories import CaseFactory, ClientFactory, today
from shegong.cases.tests.test_import import workbook
from shegong.core.scope import OutOfScope
from shegong.core.validators import LONG_TEXT_MAX_LENGTH

pytestmark = pytest.mark.django_db


def ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def case_row(client, worker, number="L001-A-1", **overrides) -> dict:
    row = {
        "number": number,
        "client": client,
        "worker_id": worker.pk,
        "source": CaseSource.WALK_IN,
        "presenting_problem": "独居，行动不便",
        "risk_level": "low",
        "intake_date": ago(300),
        "opened_note": "Imported",
    }
    row.update(overrides)
    return row


def note_row(case: int, **overrides) -> dict:
    row = {
        "case": case,
        "contact_date": ago(100),
        "duration_minutes": 45,
        "method": ContactMethod.HOME_VISIT,
        "content": "入户探访，了解近况。",
        "participants": 1,
    }
    row.update(overrides)
    return row


def counts():
    return (Case.objects.count(), CaseEvent.objects.count(), ServiceNote.objects.count())


@pytest.fixture
def lead(world):
    return world.users["agency_admin"]


@pytest.fixture
def worker(world):
    return world.users["social_worker"]


def test_open_and_closed_cases_enter_the_state_machine_with_their_notes(world, lead, worker):
    first, second = ClientFactory(), ClientFactory()
    services.cases_bulk_create(
        actor=lead,
        agency=world.agency_a,
        cases=[
            case_row(first, worker, "L001-A-1"),
            case_row(
                second,
                worker,
                "L001-A-2",
                closed=True,
                closure_reason=ClosureReason.GOALS_ACHIEVED,
                closed_on=ago(10),
            ),
        ],
        notes=[note_row(0), note_row(1, contact_date=ago(20), participants=3)],
    )
    open_case, closed = Case.objects.get(number="L001-A-1"), Case.objects.get(number="L001-A-2")
    assert (open_case.status, open_case.community) == (CaseStatus.INTAKE, first.community)
    assert (closed.status, closed.closure_reason, closed.closed_on) == (
        CaseStatus.CLOSED,
        ClosureReason.GOALS_ACHIEVED,
        ago(10),
    )
    assert list(open_case.events.values_list("kind", "from_status", "to_status", "note")) == [
        (EventKind.OPENED, "", CaseStatus.INTAKE, "Imported")
    ]
    assert list(closed.events.values_list("kind", "from_status", "to_status", "actor")) == [
        (EventKind.OPENED, "", CaseStatus.INTAKE, lead.pk),
        (EventKind.STATUS, CaseStatus.INTAKE, CaseStatus.CLOSED, lead.pk),
    ]
    assert closed.notes.get().created_by == worker  # a legacy note is its worker's
    assert (closed.person_times, closed.last_contact_date) == (3, ago(20))


def test_person_times_and_last_contact_are_what_note_add_gives_row_by_row(world, lead, worker):
    """The same notes, once in bulk and once through ``note_add`` one by one."""
    contacts = [
        # (case, days ago, participants): out of date order, two on the same day
        (0, 200, 2),
        (0, 250, 1),
        (0, 30, 4),
        (0, 30, 1),
        (1, 90, 3),
    ]
    one, two, three = ClientFactory(), ClientFactory(), ClientFactory()
    services.cases_bulk_create(
        actor=lead,
        agency=world.agency_a,
        cases=[
            case_row(one, worker, "L001-B-1"),
            case_row(two, worker, "L001-B-2"),
            case_row(three, worker, "L001-B-3"),  # no notes at all
        ],
        notes=[note_row(c, contact_date=ago(d), participants=p) for c, d, p in contacts],
    )
    opened = [CaseFactory(client=c, worker=worker, intake_date=ago(300)) for c in (one, two, three)]
    for c, d, p in contacts:
        services.note_add(
            actor=worker,
            case=opened[c],
            contact_date=ago(d),
            duration_minutes=45,
            method=ContactMethod.HOME_VISIT,
            content="入户探访，了解近况。",
            participants=p,
        )
    bulk = Case.objects.filter(number__startswith="L001-B-").order_by("number")
    by_note_add = Case.objects.filter(pk__in=[c.pk for c in opened]).order_by("pk")
    fields = ("person_times", "last_contact_date")
    assert list(bulk.values_list(*fields)) == list(by_note_add.values_list(*fields))
    assert list(bulk.values_list(*fields)) == [(8, ago(30)), (3, ago(90)), (0, None)]


BAD_CASES = [
    ("presenting_problem", {"presenting_problem": " \n\u3000"}),
    ("presenting_problem", {"presenting_problem": "失业\u202e矛盾"}),
    ("presenting_problem", {"presenting_problem": "x" * (LONG_TEXT_MAX_LENGTH + 1)}),
    ("source", {"source": "rumour"}),
    ("risk_level", {"risk_level": "extreme"}),
    ("intake_date", {"intake_date": None}),
    ("intake_date", {"intake_date": today() + datetime.timedelta(days=2)}),
]


@pytest.mark.parametrize(
    ("field", "bad"), BAD_CASES, ids=[f"{f}-{i}" for i, (f, _b) in enumerate(BAD_CASES)]
)
def test_a_bad_case_row_gets_case_opens_message_and_nothing_is_written(
    world, lead, worker, field, bad
):
    client = ClientFactory()
    with pytest.raises(ValidationError) as by_service:
        services.case_open(actor=worker, client=client, **{**_open_fields(), **bad})
    before = counts()
    with pytest.raises(ValidationError) as in_bulk:
        services.cases_bulk_create(
            actor=lead,
            agency=world.agency_a,
            cases=[case_row(ClientFactory(), worker, "L001-C-1"), case_row(client, worker, **bad)],
            notes=[note_row(0)],
        )
    assert in_bulk.value.message_dict == {f"cases.1.{field}": by_service.value.message_dict[field]}
    assert counts() == before


def _open_fields() -> dict:
    return {
        "source": CaseSource.WALK_IN,
        "presenting_problem": "独居，行动不便",
        "risk_level": "low",
        "intake_date": ago(300),
    }


BAD_NOTES = [
    ("content", {"content": " \n\u3000 "}),
    ("content", {"content": "记录\x07"}),
    ("contact_date", {"contact_date": None}),
    ("contact_date", {"contact_date": ago(400)}),  # before the intake
    ("contact_date", {"contact_date": today() + datetime.timedelta(days=1)}),
    ("participants", {"participants": 0}),
    ("duration_minutes", {"duration_minutes": 24 * 60 + 1}),
    ("method", {"method": "telepathy"}),
]


@pytest.mark.parametrize(
    ("field", "bad"), BAD_NOTES, ids=[f"{f}-{i}" for i, (f, _b) in enumerate(BAD_NOTES)]
)
def test_a_bad_note_row_gets_note_adds_message_and_nothing_is_written(
    world, lead, worker, field, bad
):
    case = CaseFactory(worker=worker, intake_date=ago(300))
    fields = {k: v for k, v in note_row(0, **bad).items() if k != "case"}
    with pytest.raises(ValidationError) as by_service:
        services.note_add(actor=worker, case=case, **fields)
    before = counts()
    with pytest.raises(ValidationError) as in_bulk:
        services.cases_bulk_create(
            actor=lead,
            agency=world.agency_a,
            cases=[case_row(ClientFactory(), worker)],
            notes=[note_row(0), note_row(0, **bad)],
        )
    assert in_bulk.value.message_dict == {f"notes.1.{field}": by_service.value.message_dict[field]}
    assert counts() == before


def test_the_closure_of_a_closed_case_is_checked_and_bounds_its_notes(world, lead, worker):
    rows = [
        case_row(ClientFactory(), worker, "L001-D-1", closed=True, closed_on=ago(10)),
        case_row(
            ClientFactory(),
            worker,
            "L001-D-2",
            closed=True,
            closure_reason=ClosureReason.MOVED_AWAY,
            closed_on=ago(50),
        ),
    ]
    with pytest.raises(ValidationError) as refused:
        services.cases_bulk_create(
            actor=lead,
            agency=world.agency_a,
            cases=rows,
            notes=[note_row(1, contact_date=ago(20))],  # after the closure
        )
    assert refused.value.message_dict == {
        "cases.0.closure_reason": ["请填写结案原因。"],
        "notes.0.contact_date": ["服务日期晚于结案日期。"],
    }
    assert not Case.objects.filter(number__startswith="L001-D-").exists()


def test_numbers_workers_and_clients_are_checked_against_the_database(world, lead):
    elsewhere = ClientFactory(owner_agency=world.agency_b, community=None)
    taken = CaseFactory().number
    rows = [
        case_row(ClientFactory(), world.users["social_worker_b"], "L001-E-1"),  # agency B
        case_row(elsewhere, world.users["social_worker"], "L001-E-2"),  # not visible
        case_row(ClientFactory(), world.users["social_worker"], taken),
        case_row(ClientFactory(), world.users["social_worker"], "L001-E-1"),
        case_row(ClientFactory(), world.users["social_worker"], "L001-E-5", opened_note="a\u202eb"),
    ]
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.cases_bulk_create(actor=lead, agency=world.agency_a, cases=rows)
    errors = refused.value.message_dict
    assert errors["cases.0.worker"] == ["社工必须是该个案所属机构的工作人员。"]
    assert errors["cases.1.client"] == ["请从您管理的人员中选择服务对象。"]
    assert errors["cases.2.number"] == ["该编号的个案已存在。"]
    assert errors["cases.3.number"] == ["该个案编号在列表前面已出现。"]
    assert errors["cases.4.opened_note"]
    assert set(errors) == {
        "cases.0.worker",
        "cases.1.client",
        "cases.2.number",
        "cases.3.number",
        "cases.4.opened_note",
    }
    assert counts() == before


@pytest.mark.parametrize("who", ["social_worker", "district_admin", "social_worker_b"])
def test_only_a_lead_of_the_agency_writes_its_register(world, worker, who):
    before = counts()
    with pytest.raises(OutOfScope):
        services.cases_bulk_create(
            actor=world.users[who],
            agency=world.agency_a,
            cases=[case_row(ClientFactory(), worker)],
            notes=[note_row(0)],
        )
    assert counts() == before


def test_a_lead_of_another_agency_is_out_of_scope(world, lead, worker):
    before = counts()
    with pytest.raises(OutOfScope):
        services.cases_bulk_create(
            actor=lead, agency=world.agency_b, cases=[case_row(ClientFactory(), worker)]
        )
    assert counts() == before


# --- one rule for the import and the services --------------------------------------------------


def _checked(world, lead, tmp_path, cases, notes) -> dict:
    path = tmp_path / "register.xlsx"
    path.write_bytes(workbook([], cases, notes))
    importer = CaseRegisterImporter(actor=lead, agency=world.agency_a, path=str(path))
    return {(r.sheet, r.number): dict(r.errors) for r in importer.check_all()}


def test_the_import_and_the_services_say_the_same_of_the_same_bad_values(
    world, lead, worker, tmp_path
):
    client = ClientFactory()
    sheet_case = ["A-1", client.id_number, worker.username, "主动求助", "失业\u202e矛盾"]
    sheet_case += ["", ago(300).isoformat(), "", "", ""]
    sheet_note = ["A-1", ago(10).isoformat(), 30, "telepathy", "家访。", 1]
    errors = _checked(world, lead, tmp_path, [sheet_case], [sheet_note])

    with pytest.raises(ValidationError) as opened:
        services.case_open(
            actor=worker,
            client=client,
            **{**_open_fields(), "presenting_problem": "失业\u202e矛盾"},
        )
    assert (
        errors[("cases", 2)]["presenting_problem"]
        == opened.value.message_dict["presenting_problem"][0]
    )
    case = CaseFactory(client=client, worker=worker, intake_date=ago(300))
    with pytest.raises(ValidationError) as noted:
        services.note_add(
            actor=worker,
            case=case,
            contact_date=ago(10),
            duration_minutes=30,
            method="telepathy",
            content="家访。",
        )
    assert errors[("notes", 2)]["method"] == noted.value.message_dict["method"][0]


def test_a_changed_rule_is_seen_by_the_import_and_the_services_alike(
    world, lead, worker, tmp_path, monkeypatch
):
    """Tighten the participants rule in ``clean`` alone: both ways in follow it."""
    monkeypatch.setattr(clean, "PARTICIPANTS_RANGE", (1, 3))
    client = ClientFactory()
    sheet_case = ["A-1", client.id_number, worker.username, "主动求助", "独居"]
    sheet_case += ["", ago(300).isoformat(), "", "", ""]
    errors = _checked(
        world, lead, tmp_path, [sheet_case], [["A-1", ago(10).isoformat(), 30, "家访", "家访。", 4]]
    )
    case = CaseFactory(client=client, worker=worker, intake_date=ago(300))
    with pytest.raises(ValidationError) as noted:
        services.note_add(
            actor=worker,
            case=case,
            contact_date=ago(10),
            duration_minutes=30,
            method=ContactMethod.HOME_VISIT,
            content="家访。",
            participants=4,
        )
    message = noted.value.message_dict["participants"]
    assert message == ["请输入 1 至 3 之间的整数。"]
    assert errors[("notes", 2)]["participants"] == message[0]
    assert not ServiceNote.objects.filter(case=case).exists()
