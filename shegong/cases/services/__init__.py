"""Writes to case work. Pages, the API and the legacy import all come through here.

Every step asks the state machine (``cases.state``) first, checks the actor's scope on the case,
validates dates and content, saves, and writes the case's own history (``CaseEvent``) next to the
audit log. Refusals are ``ValidationError`` with field-level messages; nothing is written.

Split by concern: ``clients`` (client file, household, Taiwan checklist), ``lifecycle`` (intake,
assignment, assessment, plan, notes, evaluation, reopening), ``supervision`` (plans and closures
sent for a decision), ``referrals``, ``bulk`` (a legacy register's cases and notes at once),
``clean`` (the pure field rules the steps and the bulk writes share), and ``_common`` for the
helpers they share. Callers keep
importing from ``shegong.cases.services``: every public name is re-exported here.
"""

from shegong.cases.services._common import MAX_ATTACHMENT_BYTES, count_contacts, today
from shegong.cases.services.bulk import cases_bulk_create, require_agency_lead
from shegong.cases.services.clean import clean_case_fields, clean_note_fields
from shegong.cases.services.clients import (
    client_file_save,
    household_member_add,
    household_member_remove,
    taiwan_item_set,
)
from shegong.cases.services.lifecycle import (
    assessment_record,
    case_open,
    case_reassign,
    case_reopen,
    evaluation_record,
    note_add,
    note_attach,
    note_comment,
    plan_create,
    task_complete,
)
from shegong.cases.services.referrals import referral_create, referral_decide
from shegong.cases.services.supervision import (
    closure_request,
    may_review,
    plan_submit,
    review_decide,
)

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "assessment_record",
    "case_open",
    "cases_bulk_create",
    "clean_case_fields",
    "clean_note_fields",
    "case_reassign",
    "case_reopen",
    "client_file_save",
    "closure_request",
    "count_contacts",
    "evaluation_record",
    "household_member_add",
    "household_member_remove",
    "may_review",
    "note_add",
    "note_attach",
    "note_comment",
    "plan_create",
    "plan_submit",
    "referral_create",
    "referral_decide",
    "require_agency_lead",
    "review_decide",
    "taiwan_item_set",
    "task_complete",
    "today",
]
