"""Case-work pages. Thin: reads through selectors and ``for_user``, writes through the services.

Two layers of access (DESIGN §4.2): a case the user may VIEW exists for them (place roles see
its statistics); its content (notes, assessments, plans, history) is for CONTENT holders only.
Anything outside the user's scope answers 404, like a missing page. Every open of a case file
is written to the access log.

Split by concern: ``lists`` (register, export, My work), ``case_file`` (opening a case, the file,
print, attachments), ``steps`` (the work on a case), ``supervision`` and ``referrals`` (the leads'
queues), ``clients`` (the client file) and ``_common`` for the helpers they share. ``urls.py``
imports the views from here.
"""

from shegong.cases.views.case_file import attachment_download, case_create, case_detail, case_print
from shegong.cases.views.clients import client_file, household_add, household_remove, taiwan_item
from shegong.cases.views.exports import export_download, export_job
from shegong.cases.views.lists import case_export, case_list, my_work, my_work_export
from shegong.cases.views.referrals import referral_decide, referral_inbox
from shegong.cases.views.steps import (
    assessment_create,
    closure_create,
    evaluation_create,
    note_comment,
    note_create,
    plan_create,
    plan_submit,
    reassign,
    referral_create,
    reopen,
    task_done,
)
from shegong.cases.views.supervision import review_decide, supervision

__all__ = [
    "assessment_create",
    "attachment_download",
    "case_create",
    "case_detail",
    "case_export",
    "case_list",
    "case_print",
    "client_file",
    "closure_create",
    "evaluation_create",
    "export_download",
    "export_job",
    "household_add",
    "household_remove",
    "my_work",
    "my_work_export",
    "note_comment",
    "note_create",
    "plan_create",
    "plan_submit",
    "reassign",
    "referral_create",
    "referral_decide",
    "referral_inbox",
    "reopen",
    "review_decide",
    "supervision",
    "taiwan_item",
    "task_done",
]
