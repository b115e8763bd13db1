"""Opening a case and the case file: the page, its print version and note attachments."""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.template.backends.utils import csrf_input
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from shegong.cases import selectors, services
from shegong.cases.attachments import read_plain
from shegong.cases.choices import ContactMethod, PlanStatus, ReviewStatus
from shegong.cases.forms import CaseOpenForm, NoteCommentForm
from shegong.cases.models import Case, NoteAttachment, NoteComment
from shegong.cases.views._common import (
    _case_file_or_404,
    _case_or_404,
    _steps,
    _to_case,
    allowed_actions,
)
from shegong.core.access import log_access
from shegong.core.forms import apply_service_errors
from shegong.core.models import AccessLog
from shegong.core.rows import render_rows
from shegong.core.scope import CHANGE, CONTENT, VIEW, can
from shegong.people.choices import IdType
from shegong.people.models import Person
from shegong.people.selectors import people_for, people_search, user_agency

# --- open a case --------------------------------------------------------------------------------


RECENT_PEOPLE = 8


@login_required
def case_create(request):
    if user_agency(request.user) is None and not request.user.is_superuser:
        raise Http404
    clients = people_for(request.user, VIEW)
    client_pk = request.POST.get("client") or request.GET.get("client")
    chosen = None
    if client_pk:
        chosen = clients.filter(pk=client_pk).first() if str(client_pk).isdecimal() else None
        if chosen is None and request.method == "GET":
            raise Http404
    initial = {"intake_date": timezone.localdate(), "client": chosen}
    if chosen is not None and chosen.id_type == IdType.TAIWAN_PERMIT:
        initial["is_taiwan_service"] = True
    form = CaseOpenForm(request.POST or None, clients=clients, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return _to_case(case)
    query = request.GET.get("q", "").strip()
    matches = people_search(clients, query)[:20] if query and chosen is None else []
    # Before any search the page is not empty: the people registered last (often the one the
    # case is for), and the way to register someone not on file yet.
    recent = (
        clients.select_related("community").order_by("-created_at", "-id")[:RECENT_PEOPLE]
        if not query and chosen is None
        else []
    )
    context = {
        "form": form,
        "client": chosen,
        "query": query,
        "matches": matches,
        "recent": recent,
        "may_register": can(request.user, Person, CHANGE),
    }
    return render(request, "cases/case_form.html", context)


# Plans the worker may still submit: the newest of these gets the case file's submit button.
EDITABLE_PLAN = (PlanStatus.DRAFT, PlanStatus.RETURNED)
# Stands for a note's id in the comment box rendered once for all notes (no markup holds it).
NOTE_ID = "__note__"

# --- the case file ------------------------------------------------------------------------------


@login_required
def case_detail(request, pk):
    case = _case_file_or_404(request.user, pk)
    log_access(user=request.user, action=AccessLog.Action.OPEN, obj=case, request=request)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


def _detail_context(request, case: Case, **extra) -> dict:
    user = request.user
    has_content, may_change = selectors.access_flags(user, case)
    context = {
        "case": case,
        "steps": _steps(case),
        "has_content": has_content,
    }
    if has_content:
        context.update(selectors.case_content(user, case))
        # The plans and reviews are loaded for the page anyway: the buttons read them there.
        plans = context["plans"] = list(context["plans"])
        reviews = context["reviews"] = list(context["reviews"])
        editable = next((plan for plan in plans if plan.status in EDITABLE_PLAN), None)
        has_approved_plan = any(plan.status == PlanStatus.APPROVED for plan in plans)
        context.update(
            {
                "may_change": may_change,
                "actions": allowed_actions(case, has_approved_plan) if may_change else set(),
                "editable_plan": editable if may_change else None,
                "pending_review": next(
                    (r for r in reviews if r.status == ReviewStatus.PENDING), None
                ),
                "may_review": services.may_review(user, case),
                "may_reassign": user.is_superuser
                or case.agency_id in selectors.lead_agency_ids(user),
                "today": timezone.localdate(),
            }
        )
    context.update(extra)
    if context["has_content"]:
        bound = context.pop("comment_errors", {})
        notes = list(context["notes"].prefetch_related(None).values(*NOTE_VALUES))
        # Every note of the case is on the page: its counts need no query of their own.
        minutes = sum(note["duration_minutes"] or 0 for note in notes)
        context["stats"] = {"notes": len(notes), "minutes": minutes}
        context["notes_html"] = _notes_html(request, case, notes, bound)
        context["content_html"] = _content_html(request, case, context)
    else:
        context["stats"] = selectors.case_statistics(case)
    return context


NAME_FIELDS = ("display_name", "first_name", "last_name", "username")


def _name_values(path: str) -> tuple[str, ...]:
    return tuple(f"{path}__{field}" for field in NAME_FIELDS)


def _user_name(row: dict, path: str) -> str:
    """``str(user)`` (``User.__str__``) from the name fields fetched as values."""
    display, first, last, username = (row[f"{path}__{field}"] for field in NAME_FIELDS)
    return display or f"{first} {last}".strip() or username


NOTE_VALUES = (
    "pk",
    "contact_date",
    "method",
    "duration_minutes",
    "participants",
    "content",
    *_name_values("created_by"),
)


def _notes_html(request, case: Case, rows: list[dict], bound: dict) -> SafeString:
    """The service notes with their attachments, comments and comment boxes, rendered with
    Jinja2 from plain values (``core.rows``): twenty notes as model instances through the
    Django template engine were most of the case file's time. ``rows`` are the case's notes
    as dicts of ``NOTE_VALUES``; their attachments and comments are fetched as dicts of what is
    shown, and links, labels and dates computed here once per page.

    Every note's comment box is the same empty box but for its id: it is rendered once and
    each note's id filled in, except the box of a comment just refused (``bound``: note id ->
    form), which shows what was typed and why."""
    ids = [row["pk"] for row in rows]
    attachments, comments = {}, {}
    for attachment in (
        NoteAttachment.objects.filter(note__in=ids).order_by("id").values("note", "pk", "name")
    ):
        attachments.setdefault(attachment["note"], []).append(attachment)
    comment_values = ("note", "created_at", "text", *_name_values("author"))
    for comment in NoteComment.objects.filter(note__in=ids).values(*comment_values):
        comments.setdefault(comment["note"], []).append(comment)

    blank = str(NoteCommentForm(auto_id=f"id_note{NOTE_ID}_%s")["text"])
    comment_url = reverse("cases:note_comment", args=[case.pk, 0])[: -len("0/comment/")]
    attachment_url = reverse("cases:attachment", args=[case.pk, 0])[: -len("0/")]
    methods = dict(ContactMethod.choices)
    minutes, person_times = _("%(minutes)s min"), _("%(n)s person-times")
    for row in rows:
        pk = row["pk"]
        form = bound.get(pk)
        row.update(
            {
                "contact_date": row["contact_date"].isoformat(),
                "method": methods.get(row["method"], row["method"]),
                "minutes": minutes % {"minutes": row["duration_minutes"]},
                "participants": person_times % {"n": row["participants"]},
                "created_by": _user_name(row, "created_by"),
                "content": linebreaksbr(row["content"], autoescape=True),
                "attachments": [
                    (f"{attachment_url}{a['pk']}/", a["name"]) for a in attachments.get(pk, ())
                ],
                "comments": [
                    (
                        _user_name(c, "author"),
                        template_localtime(c["created_at"]).strftime("%Y-%m-%d %H:%M"),
                        linebreaksbr(c["text"], autoescape=True),
                    )
                    for c in comments.get(pk, ())
                ],
                "comment_url": f"{comment_url}{pk}/comment/",
                "comment_field": form["text"].as_widget()
                if form
                else mark_safe(blank.replace(NOTE_ID, str(pk))),  # noqa: S308
                "field_errors": form["text"].errors if form else [],
                "form_errors": form.non_field_errors() if form else [],
            }
        )
    context = {"notes": rows, "csrf_input": csrf_input(request), "comment_label": _("Comment")}
    return render_rows("cases/notes.html", context)


def _content_html(request, case: Case, context: dict) -> SafeString:
    """Everything inside the case file (assessments, plans, notes, evaluations, referrals,
    history), rendered with Jinja2 (``core.rows``): through the Django template engine these
    few dozen rows cost more than the queries that fetch them."""
    names = ("assessments", "plans", "reviews", "evaluations", "referrals", "events")
    return render_rows(
        "cases/case_content.html",
        {
            **{name: context[name] for name in names},
            "notes_html": context["notes_html"],
            "may_change": context["may_change"],
            "today": context["today"],
            "csrf_input": csrf_input(request),
            # "/cases/<pk>/tasks/": each task's form posts to <task pk>/done/ under it.
            "task_done_url": reverse("cases:task_done", args=[case.pk, 0])[: -len("0/done/")],
        },
    )


@login_required
def case_print(request, pk):
    case = _case_or_404(request.user, pk, CONTENT)
    log_access(
        user=request.user, action=AccessLog.Action.OPEN, obj=case, detail="print", request=request
    )
    context = {
        "case": case,
        "stats": selectors.case_statistics(case),
        "printed_at": timezone.localtime(),
        **selectors.case_content(request.user, case),
    }
    return render(request, "cases/case_print.html", context)


@login_required
def attachment_download(request, pk, attachment_pk):
    attachment = NoteAttachment.objects.select_related("note__case").get_for_user_or_404(
        request.user, CONTENT, pk=attachment_pk, note__case_id=pk
    )
    log_access(
        user=request.user,
        action=AccessLog.Action.OPEN,
        obj=attachment,
        detail=attachment.note.case.number,
        request=request,
    )
    try:
        content = read_plain(attachment)
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(BytesIO(content), as_attachment=True, filename=attachment.name)
