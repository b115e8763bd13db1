"""Fetch through the scope, call services with API field names, and turn rows into bodies.

Output never holds an unmasked ID number or phone: clients and household members carry the
masked values only."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.cases import selectors
from shegong.cases.attachments import plain_size
from shegong.cases.models import (
    Case,
    Referral,
    Review,
    ServiceNote,
    ServicePlan,
)
from shegong.core.scope import CONTENT

# The service names a related object; API clients send its id.
ID_FIELDS = {
    "client": "client_id",
    "worker": "worker_id",
    "consent": "consent_id",
    "to_agency": "to_agency_id",
    "person": "person_id",
}

# --- helpers ---------------------------------------------------------------------------------


def case_or_404(user, case_id: int, *actions: str) -> Case:
    """The case if the user may perform every one of ``actions`` on it; 404 otherwise."""
    return Case.objects.select_related(
        "client", "community", "worker", "agency"
    ).get_for_user_or_404(user, *actions, pk=case_id)


def user_or_error(user_id: int | None, field: str):
    from shegong.accounts.models import User

    if user_id is None:
        return None
    found = User.objects.filter(pk=user_id, is_active=True).first()
    if found is None:
        raise ValidationError({field: [_("The social worker must work for the case's agency.")]})
    return found


def api_errors(exc: ValidationError) -> ValidationError:
    """Rename the service's field names to the ids the API client sent."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({ID_FIELDS.get(k, k): v for k, v in exc.message_dict.items()})


def call(service, **kwargs):
    try:
        return service(**kwargs)
    except ValidationError as exc:
        raise api_errors(exc) from exc


def name_of(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def case_out(case: Case, content: bool) -> dict:
    data = {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "community_id": case.community_id,
        "community_name": case.community.name,
        "agency_id": case.agency_id,
        "agency_name": case.agency.name,
        "intake_date": case.intake_date,
        "risk_level": case.risk_level,
        "person_times": case.person_times,
        # Content, as on the pages: when the worker last met the client.
        "last_contact_date": case.last_contact_date if content else None,
        "closed_on": case.closed_on,
        "is_taiwan_service": case.is_taiwan_service,
        "content_visible": content,
    }
    if content:
        data.update(
            client_id=case.client_id,
            client_name=case.client.name,
            worker_id=case.worker_id,
            worker_name=name_of(case.worker),
        )
    return data


def review_out(review: Review) -> dict:
    return {
        "id": review.pk,
        "case_id": review.case_id,
        "case_number": review.case.number,
        "kind": review.kind,
        "status": review.status,
        "plan_id": review.plan_id,
        "requested_by": name_of(review.requested_by),
        "requested_at": review.created_at,
        "decided_by": name_of(review.decided_by) or None,
        "decided_at": review.decided_at,
        "comment": review.comment,
    }


def referral_out(referral: Referral) -> dict:
    case = referral.case
    return {
        "id": referral.pk,
        "case_id": case.pk,
        "case_number": case.number,
        "from_agency_name": case.agency.name,
        "client_name": case.client.name,
        "to_agency_id": referral.to_agency_id,
        "to_agency_name": referral.to_agency.name if referral.to_agency else None,
        "to_service": referral.to_service,
        "reason": referral.reason,
        "summary_for_receiver": referral.summary_for_receiver,
        "status": referral.status,
        "requested_by": name_of(referral.requested_by),
        "created_at": referral.created_at,
        "decided_at": referral.decided_at,
        "decline_reason": referral.decline_reason,
        "new_case_id": referral.new_case_id,
    }


def plan_out(plan: ServicePlan) -> dict:
    return {
        "id": plan.pk,
        "version": plan.version,
        "status": plan.status,
        "summary": plan.summary,
        "created_by": name_of(plan.created_by),
        "goals": [
            {"id": g.pk, "description": g.description, "measure": g.measure}
            for g in plan.goals.all()
        ],
        "tasks": [
            {
                "id": t.pk,
                "description": t.description,
                "due_date": t.due_date,
                "done_on": t.done_on,
                "goal_id": t.goal_id,
            }
            for t in plan.tasks.all()
        ],
    }


def content_out(user, case: Case) -> dict:
    content = selectors.case_content(user, case)
    client = case.client
    return {
        "client": {
            "id": client.pk,
            "number": client.number,
            "name": client.name,
            "id_type": client.id_type,
            "id_number_masked": client.id_number_masked,
            "mobile_masked": client.mobile_masked,
            "is_minor": client.is_minor,
        },
        "worker_id": case.worker_id,
        "worker_name": name_of(case.worker),
        "source": case.source,
        "presenting_problem": case.presenting_problem,
        "closure_reason": case.closure_reason,
        "closure_note": case.closure_note,
        "referred_from_id": case.referred_from_id,
        "assessments": [
            {
                "id": a.pk,
                "assessed_on": a.assessed_on,
                "needs": a.needs,
                "strengths": a.strengths,
                "risks": a.risks,
                "risk_level": a.risk_level,
                "summary": a.summary,
                "created_by": name_of(a.created_by),
            }
            for a in content["assessments"]
        ],
        "plans": [plan_out(plan) for plan in content["plans"]],
        "evaluations": [
            {
                "id": e.pk,
                "evaluated_on": e.evaluated_on,
                "attainment": e.attainment,
                "summary": e.summary,
                "created_by": name_of(e.created_by),
            }
            for e in content["evaluations"]
        ],
        # The rows' case is this case, its agency and client loaded (``case_or_404``).
        "reviews": [review_out(r) for r in content["reviews"]],
        "referrals": [referral_out(r) for r in content["referrals"]],
        "events": [
            {
                "kind": e.kind,
                "kind_label": str(e.get_kind_display()),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "actor": name_of(e.actor),
                "note": e.note,
                "created_at": e.created_at,
            }
            for e in content["events"]
        ],
    }


def case_detail(user, case: Case) -> dict:
    content = selectors.may_read_content(user, case)
    data = case_out(case, content)
    data["statistics"] = selectors.case_statistics(case)
    data["content"] = content_out(user, case) if content else None
    return data


def note_out(note: ServiceNote) -> dict:
    def size(attachment):
        try:
            return plain_size(attachment)
        except (OSError, ValueError):
            return None

    return {
        "id": note.pk,
        "contact_date": note.contact_date,
        "duration_minutes": note.duration_minutes,
        "method": note.method,
        "content": note.content,
        "participants": note.participants,
        "created_by": name_of(note.created_by),
        "created_at": note.created_at,
        "attachments": [
            {"id": a.pk, "name": a.name, "size": size(a)} for a in note.attachments.all()
        ],
        "comments": [
            {"id": c.pk, "author": name_of(c.author), "text": c.text, "created_at": c.created_at}
            for c in note.comments.all()
        ],
    }


def note_or_404(user, case: Case, note_id: int) -> ServiceNote:
    return (
        ServiceNote.objects.select_related("case", "created_by")
        .prefetch_related("attachments", "comments__author")
        .get_for_user_or_404(user, CONTENT, pk=note_id, case=case)
    )


def case_rows(user, cases, extra=()) -> list[dict]:
    cases = list(cases)
    readable = selectors.content_ids(user, cases)
    rows = []
    for case in cases:
        row = case_out(case, case.pk in readable)
        for name in extra:
            row[name] = getattr(case, name)
        rows.append(row)
    return rows


class Page:
    """A queryset the paginator slices; only the page's rows are rendered, in one go (so the
    content check is one query per page, not one per case)."""

    def __init__(self, qs, render):
        self.qs, self.render = qs, render

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        return self.render(list(self.qs[item]))
