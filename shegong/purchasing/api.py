"""Purchased-services API: the pages' lists, project with live KPI actuals, budgets with their
execution, and the writes (budget, project, signing, payment, evaluation, closing a
rectification item), through the same scope, FilterSets and services."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictInt

from shegong.agencies.models import Agency
from shegong.api.filters import valid_filterset
from shegong.core.scope import CHANGE, VIEW, can
from shegong.places.models import Community, Street
from shegong.purchasing import selectors, services
from shegong.purchasing.choices import Stage
from shegong.purchasing.filters import BudgetFilter, ProjectFilter
from shegong.purchasing.models import Budget, Project, Tranche

router = Router(tags=["purchasing"])


class PurchasingBudgetOut(Schema):
    id: int
    year: int
    street_id: int | None
    source: str = Field(..., alias="source_name")
    amount: Decimal
    committed: Decimal
    paid: Decimal
    projects: int = Field(..., alias="project_count")


class PurchasingProjectOut(Schema):
    id: int
    title: str
    budget_id: int
    year: int = Field(..., alias="budget.year")
    agency_id: int
    agency_name: str = Field(..., alias="agency.name")
    street_id: int
    starts_on: datetime.date
    ends_on: datetime.date
    contract_no: str
    contract_amount: Decimal
    signed_on: datetime.date | None
    paid: Decimal
    latest_grade: str | None


class PurchasingKpiOut(Schema):
    key: str
    target: int
    actual: Decimal | None
    share: int | None


class PurchasingTrancheOut(Schema):
    id: int
    seq: int
    percent: int
    gate: str
    min_grade: str
    holds: bool
    is_paid: bool
    amount: Decimal = Field(..., alias="due_amount")


class PurchasingProjectDetailOut(PurchasingProjectOut):
    community_ids: list[int]
    kpis: list[PurchasingKpiOut]
    tranches: list[PurchasingTrancheOut] = Field(..., alias="tranche_rows")


class PurchasingPaymentOut(Schema):
    id: int
    tranche_id: int
    project_id: int
    amount: Decimal
    paid_on: datetime.date
    voucher: str


class PurchasingEvaluationOut(Schema):
    id: int
    project_id: int
    stage: str
    total: Decimal
    grade: str
    evaluated_on: datetime.date


class PurchasingRectificationOut(Schema):
    id: int
    project_id: int
    description: str
    deadline: datetime.date
    closed_on: datetime.date | None


class PurchasingPortfolioOut(Schema):
    agency_id: int
    name: str
    projects: int
    contracted: Decimal
    paid: Decimal
    grades: dict[str, int]
    ineligible_years: list[int]


class PurchasingProjectQuery(Schema):
    q: str | None = None
    year: int | None = None
    agency: int | None = None
    street: int | None = None
    grade: str | None = None
    sort: str | None = Field(None, description="title, agency, start, amount; '-' descends")


class PurchasingBudgetQuery(Schema):
    year: int | None = None
    source: str | None = Field(None, description="district or street")
    street: int | None = None
    sort: str | None = Field(None, description="year, source, amount; '-' descends")


class PurchasingBudgetIn(Schema):
    year: int
    amount: Decimal
    street_id: int | None = None
    note: str = ""


class PurchasingTrancheIn(Schema):
    percent: StrictInt  # true or "40" are refused, not read as 1 or 40
    gate: str
    min_grade: str = ""


class PurchasingProjectIn(Schema):
    budget_id: int
    title: str
    agency_id: int
    community_ids: list[int]
    starts_on: datetime.date
    ends_on: datetime.date
    contract_no: str = ""
    contract_amount: Decimal
    target_cases: int = 0
    target_group_sessions: int = 0
    target_community_sessions: int = 0
    target_person_times: int = 0
    target_volunteer_hours: int = 0
    target_satisfaction: int = 0
    # The payment plan; 40 % at signing, 30 % after each evaluation graded 合格 when left out.
    tranches: list[PurchasingTrancheIn] | None = None


class PurchasingSignIn(Schema):
    signed_on: datetime.date | None = None
    contract_no: str = ""


class PurchasingPayIn(Schema):
    paid_on: datetime.date | None = None
    voucher: str = ""


class PurchasingEvaluationIn(Schema):
    stage: Stage
    score_professional: int
    score_outcomes: int
    score_management: int
    score_finance: int
    satisfaction: int | None = None
    findings: str = ""
    evaluated_on: datetime.date | None = None


class PurchasingCloseIn(Schema):
    note: str


def _detail(user, project: Project) -> Project:
    community_ids = list(project.communities.values_list("pk", flat=True))
    actuals = selectors.kpi_actuals(project, community_ids)
    project.community_ids = community_ids
    project.kpis = selectors.kpi_rows(project, actuals)
    project.tranche_rows = selectors.tranches_of(project)
    return project


@router.get("/budgets", response=list[PurchasingBudgetOut], summary="Budgets and execution")
@paginate
def list_budgets(request, filters: Query[PurchasingBudgetQuery]):
    if not can(request.auth, Budget, VIEW):
        raise Http404
    rows = valid_filterset(BudgetFilter, filters, queryset=selectors.budgets_for(request.auth)).qs
    return rows if filters.sort else rows.order_by("-year", "street__code", "pk")


@router.post("/budgets", response={201: PurchasingBudgetOut}, summary="Create a budget")
def create_budget(request, payload: PurchasingBudgetIn):
    if not can(request.auth, Budget, CHANGE):
        raise Http404
    street = None
    if payload.street_id is not None:
        street = Street.objects.filter(pk=payload.street_id).first()
        if street is None:
            raise ValidationError({"street": [_("Choose a street of your district.")]})
    budget = services.budget_create(
        actor=request.auth,
        year=payload.year,
        amount=payload.amount,
        street=street,
        note=payload.note,
    )
    return Status(201, selectors.budget_for_user_or_404(request.auth, budget.pk))


@router.get("/projects", response=list[PurchasingProjectOut], summary="Service projects")
@paginate
def list_projects(request, filters: Query[PurchasingProjectQuery]):
    if not can(request.auth, Project, VIEW):
        raise Http404
    rows = valid_filterset(
        ProjectFilter,
        filters,
        queryset=selectors.projects_for(request.auth),
        request_user=request.auth,
    ).qs
    return rows if filters.sort else rows.order_by("-starts_on", "-id")


@router.post("/projects", response={201: PurchasingProjectDetailOut}, summary="Create a project")
def create_project(request, payload: PurchasingProjectIn):
    if not can(request.auth, Project, CHANGE):
        raise Http404
    data = payload.dict()
    budget = Budget.objects.for_user(request.auth, CHANGE).filter(pk=data.pop("budget_id")).first()
    agency = Agency.objects.for_user(request.auth).filter(pk=data.pop("agency_id")).first()
    communities = list(
        Community.objects.filter(pk__in=data.pop("community_ids")).select_related("street")
    )
    if budget is None:
        raise ValidationError({"budget": [_("Choose a budget.")]})
    if data["tranches"] is not None:
        data["tranches"] = [(t["percent"], t["gate"], t["min_grade"]) for t in data["tranches"]]
    project = services.project_create(
        actor=request.auth,
        budget=budget,
        agency=agency,
        street=communities[0].street if communities else None,
        communities=communities,
        **data,
    )
    project = selectors.project_for_user_or_404(request.auth, project.pk)
    return Status(201, _detail(request.auth, project))


@router.get(
    "/projects/{project_id}",
    response=PurchasingProjectDetailOut,
    summary="A project with its live KPI actuals and tranches",
)
def get_project(request, project_id: int):
    return _detail(request.auth, selectors.project_for_user_or_404(request.auth, project_id))


@router.post(
    "/projects/{project_id}/signing",
    response=PurchasingProjectOut,
    summary="Record the contract's signing",
)
def sign_project(request, project_id: int, payload: PurchasingSignIn):
    project = selectors.project_for_user_or_404(request.auth, project_id, CHANGE)
    services.project_sign(actor=request.auth, project=project, **payload.dict())
    return selectors.project_for_user_or_404(request.auth, project_id)


@router.post(
    "/projects/{project_id}/evaluations",
    response={201: PurchasingEvaluationOut},
    summary="An assigned evaluator grades the mid-term or final stage",
)
def create_evaluation(request, project_id: int, payload: PurchasingEvaluationIn):
    project = selectors.project_for_user_or_404(request.auth, project_id)
    if not selectors.is_assigned_evaluator(request.auth, project):
        raise Http404
    data = payload.dict()
    scores = {
        name: data.pop(f"score_{name}")
        for name in ("professional", "outcomes", "management", "finance")
    }
    evaluation = services.evaluation_submit(
        actor=request.auth, project=project, scores=scores, **data
    )
    return Status(201, evaluation)


@router.post(
    "/tranches/{tranche_id}/payment",
    response={201: PurchasingPaymentOut},
    summary="Pay a tranche whose condition holds",
)
def pay_tranche(request, tranche_id: int, payload: PurchasingPayIn):
    tranche = Tranche.objects.select_related("project").get_for_user_or_404(
        request.auth, CHANGE, pk=tranche_id
    )
    return Status(201, services.tranche_pay(actor=request.auth, tranche=tranche, **payload.dict()))


@router.post(
    "/rectifications/{item_id}/closure",
    response=PurchasingRectificationOut,
    summary="Close a rectification item",
)
def close_rectification(request, item_id: int, payload: PurchasingCloseIn):
    item = selectors.rectification_for_user_or_404(request.auth, item_id, CHANGE)
    return services.rectification_close(actor=request.auth, item=item, note=payload.note)


@router.get("/portfolio", response=list[PurchasingPortfolioOut], summary="Per-agency portfolio")
def portfolio(request):
    if not can(request.auth, Project, VIEW):
        raise Http404
    return selectors.agency_portfolio(request.auth)


class PurchasingContractChangeIn(Schema):
    amount: Decimal
    ends_on: datetime.date
    reason: str


class PurchasingAssignIn(Schema):
    evaluator_id: int


@router.post(
    "/projects/{project_id}/contract-changes",
    response={201: PurchasingProjectOut},
    summary="Change a contract's amount or end date, with its reason",
)
def change_contract(request, project_id: int, payload: PurchasingContractChangeIn):
    project = selectors.project_for_user_or_404(request.auth, project_id, CHANGE)
    services.project_change_contract(actor=request.auth, project=project, **payload.dict())
    return Status(201, selectors.project_for_user_or_404(request.auth, project_id))


@router.post(
    "/projects/{project_id}/evaluators",
    response=PurchasingProjectOut,
    summary="Assign an evaluator to a project",
)
def assign_evaluator(request, project_id: int, payload: PurchasingAssignIn):
    from shegong.accounts.models import User

    project = selectors.project_for_user_or_404(request.auth, project_id, CHANGE)
    evaluator = User.objects.filter(pk=payload.evaluator_id).first()
    if evaluator is None:
        raise ValidationError({"evaluator": [_("Choose a user who holds the evaluator role.")]})
    services.project_assign_evaluator(actor=request.auth, project=project, evaluator=evaluator)
    return selectors.project_for_user_or_404(request.auth, project_id)


@router.get(
    "/rectifications",
    response=list[PurchasingRectificationOut],
    summary="Rectification items of the projects in my scope",
)
@paginate
def list_rectifications(request):
    from shegong.purchasing.models import Rectification

    if not can(request.auth, Rectification, VIEW):
        raise Http404
    return Rectification.objects.for_user(request.auth).order_by("closed_on", "deadline", "id")
