"""Every write of the talent app (``<entity>_<verb>(*, actor, ...)``), re-exported."""

from shegong.talent.services.applications import (
    application_file,
    application_resubmit,
    application_review,
    application_set_amount,
    application_withdraw,
    check_eligibility,
    may_file_for,
    may_keep_notice,
    may_review,
    notice_close,
    objection_record,
    objection_resolve,
    schedule_of,
)
from shegong.talent.services.payments import payment_record
from shegong.talent.services.policies import may_keep_policies, policy_create
from shegong.talent.services.profiles import (
    cpd_add,
    employment_add,
    profile_create,
    qualification_add,
    title_add,
)

__all__ = [
    "application_file",
    "application_resubmit",
    "application_review",
    "application_set_amount",
    "application_withdraw",
    "check_eligibility",
    "cpd_add",
    "employment_add",
    "may_file_for",
    "may_keep_notice",
    "may_keep_policies",
    "may_review",
    "notice_close",
    "objection_record",
    "objection_resolve",
    "payment_record",
    "policy_create",
    "profile_create",
    "qualification_add",
    "schedule_of",
    "title_add",
]
