"""Request and response bodies of the case-work API."""

import datetime

from ninja import Field, Schema

from shegong.cases.choices import (
    Attainment,
    CaseSource,
    CaseStatus,
    ClosureReason,
    ContactMethod,
    ItemStatus,
    RiskLevel,
    TaiwanItem,
)
from shegong.people.choices import IdType

# --- schemas: out ----------------------------------------------------------------------------


class CaseOut(Schema):
    """A case as anyone who sees it may know it; client and worker only for content holders."""

    id: int
    number: str
    status: CaseStatus
    status_label: str
    community_id: int
    community_name: str
    agency_id: int
    agency_name: str
    intake_date: datetime.date
    risk_level: RiskLevel
    person_times: int
    last_contact_date: datetime.date | None
    closed_on: datetime.date | None
    is_taiwan_service: bool
    content_visible: bool = Field(..., description="Whether you may read inside the case")
    client_id: int | None = None
    client_name: str | None = None
    worker_id: int | None = None
    worker_name: str | None = None


class MyCaseOut(CaseOut):
    overdue_tasks: int
    no_contact: bool = Field(..., description="No contact for the configured number of days")


class StatisticsOut(Schema):
    notes: int
    minutes: int


class ClientOut(Schema):
    id: int
    number: str
    name: str
    id_type: IdType
    id_number_masked: str
    mobile_masked: str
    is_minor: bool


class AssessmentOut(Schema):
    id: int
    assessed_on: datetime.date
    needs: dict
    strengths: str
    risks: str
    risk_level: RiskLevel
    summary: str
    created_by: str


class GoalOut(Schema):
    id: int
    description: str
    measure: str


class TaskOut(Schema):
    id: int
    description: str
    due_date: datetime.date
    done_on: datetime.date | None
    goal_id: int | None


class PlanOut(Schema):
    id: int
    version: int
    status: str
    summary: str
    created_by: str
    goals: list[GoalOut]
    tasks: list[TaskOut]


class EvaluationOut(Schema):
    id: int
    evaluated_on: datetime.date
    attainment: dict
    summary: str
    created_by: str


class ReviewOut(Schema):
    id: int
    case_id: int
    case_number: str
    kind: str
    status: str
    plan_id: int | None
    requested_by: str
    requested_at: datetime.datetime
    decided_by: str | None
    decided_at: datetime.datetime | None
    comment: str


class ReferralOut(Schema):
    id: int
    case_id: int
    case_number: str
    from_agency_name: str
    client_name: str
    to_agency_id: int | None
    to_agency_name: str | None
    to_service: str
    reason: str
    summary_for_receiver: str
    status: str
    requested_by: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    decline_reason: str
    new_case_id: int | None


class EventOut(Schema):
    kind: str
    kind_label: str
    from_status: str
    to_status: str
    actor: str
    note: str
    created_at: datetime.datetime


class CaseContentOut(Schema):
    client: ClientOut
    worker_id: int
    worker_name: str
    source: CaseSource
    presenting_problem: str
    closure_reason: str
    closure_note: str
    referred_from_id: int | None
    assessments: list[AssessmentOut]
    plans: list[PlanOut]
    evaluations: list[EvaluationOut]
    reviews: list[ReviewOut]
    referrals: list[ReferralOut]
    events: list[EventOut]


class CaseDetailOut(CaseOut):
    statistics: StatisticsOut
    content: CaseContentOut | None = Field(None, description="Only for content holders")


class AttachmentOut(Schema):
    id: int
    name: str
    size: int | None


class CommentOut(Schema):
    id: int
    author: str
    text: str
    created_at: datetime.datetime


class NoteOut(Schema):
    id: int
    contact_date: datetime.date
    duration_minutes: int
    method: ContactMethod
    content: str
    participants: int
    created_by: str
    created_at: datetime.datetime
    attachments: list[AttachmentOut]
    comments: list[CommentOut]


class TargetGroupOut(Schema):
    id: int
    code: str
    name: str


class HouseholdMemberOut(Schema):
    id: int
    name: str
    relation: str
    person_id: int | None
    phone_masked: str
    lives_with_client: bool
    is_guardian: bool
    is_emergency_contact: bool


class ClientFileOut(Schema):
    person_id: int
    person_name: str
    exists: bool
    target_groups: list[TargetGroupOut]
    address: str
    living_situation: str
    notes: str
    household: list[HouseholdMemberOut]


class TaiwanItemOut(Schema):
    item: TaiwanItem
    label: str
    status: ItemStatus
    note: str


class TaiwanFileOut(Schema):
    person_id: int
    applies: bool = Field(..., description="Whether the person holds a Taiwan residence permit")
    items: list[TaiwanItemOut]


# --- schemas: in -----------------------------------------------------------------------------


class CaseQuery(Schema):
    q: str | None = Field(None, description="Case number or client name")
    status: CaseStatus | None = None
    open: bool | None = None
    risk_level: RiskLevel | None = None
    target_group: int | None = None
    community: int | None = None
    worker: int | None = None
    intake_from: datetime.date | None = None
    intake_to: datetime.date | None = None
    is_taiwan_service: bool | None = None
    sort: str | None = Field(None, description="number, intake_date, status, ...; '-' descends")


class MyCasesQuery(Schema):
    no_contact_days: int | None = Field(None, ge=1, le=3650)
    overdue_only: bool = False
    no_contact_only: bool = False


class CaseOpenIn(Schema):
    client_id: int
    source: CaseSource
    presenting_problem: str
    risk_level: RiskLevel = RiskLevel.LOW
    intake_date: datetime.date
    worker_id: int | None = None
    is_taiwan_service: bool = False


class ReassignIn(Schema):
    worker_id: int
    note: str = ""


class NeedIn(Schema):
    level: str
    note: str = ""


class AssessmentIn(Schema):
    assessed_on: datetime.date
    needs: dict[str, NeedIn]
    risk_level: RiskLevel
    summary: str
    strengths: str = ""
    risks: str = ""


class GoalIn(Schema):
    description: str
    measure: str = ""


class TaskIn(Schema):
    description: str
    due_date: datetime.date | None = None
    goal: int | None = Field(None, description="Index of the goal in this plan's goals (from 0)")


class PlanIn(Schema):
    goals: list[GoalIn]
    tasks: list[TaskIn] = []
    summary: str = ""


class TaskDoneIn(Schema):
    done_on: datetime.date


class NoteIn(Schema):
    contact_date: datetime.date
    # Ranges are checked by the service (field errors in our format, 400), not the schema.
    duration_minutes: int
    method: ContactMethod
    content: str
    participants: int = 1


class CommentIn(Schema):
    text: str


class EvaluationIn(Schema):
    evaluated_on: datetime.date
    attainment: dict[str, Attainment] = Field(..., description="{goal id: attainment}")
    summary: str


class ClosureIn(Schema):
    reason: ClosureReason | None = None
    note: str = ""


class ReopenIn(Schema):
    reason: str


class DecisionIn(Schema):
    approve: bool
    comment: str = ""


class ReferralIn(Schema):
    to_agency_id: int | None = None
    to_service: str = ""
    reason: str
    summary_for_receiver: str
    consent_id: int | None = None


class ReferralDecisionIn(Schema):
    accept: bool
    decline_reason: str = ""
    worker_id: int | None = None


class ClientFileIn(Schema):
    target_group_ids: list[int] = []
    address: str = ""
    living_situation: str = ""
    notes: str = ""


class HouseholdMemberIn(Schema):
    name: str
    relation: str
    phone: str = ""
    lives_with_client: bool = True
    is_guardian: bool = False
    is_emergency_contact: bool = False
    person_id: int | None = None


class TaiwanItemIn(Schema):
    status: ItemStatus
    note: str = ""
