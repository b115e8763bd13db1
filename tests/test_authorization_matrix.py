"""The authorization matrix (DESIGN §8): every URL pattern and every API operation, every persona.

Each route declares who may use it. Everyone else must get exactly what a missing object gets
(404), and an anonymous visitor is sent to the login page (pages) or gets 401 (API). A route that
is added without an entry here fails ``test_every_route_is_declared``.

"Allowed" means the request reached the feature: any answer but 401/403/404/5xx, and not a
redirect to the login page. Page writes are sent with an empty form, so an allowed persona gets
the form back with errors and a forbidden one gets 404. API writes are sent with the smallest body
the OpenAPI schema accepts, so the answer comes from our code, not from schema validation.
"""

import json
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from shegong.core.testing.matrix import (
    Listing,
    api_operations,
    listing_problems,
    listing_shows,
    page_routes,
)
from shegong.core.testing.personas import PERSONAS, build_world

ALL = frozenset(PERSONAS)
NOBODY = frozenset()
# Who may see person A (兴隆社区, registered by agency A).
PEOPLE = frozenset(
    {
        "district_admin",
        "street_admin",
        "community_staff",
        "agency_admin",
        "supervisor",
        "social_worker",
    }
)
# Roles that work with people at all (their lists show only what is in their scope).
PEOPLE_ROLES = PEOPLE | {"social_worker_b"}
AGENCY_A_VIEWERS = PEOPLE | {"training_admin", "evaluator"}
AGENCY_VIEWERS = AGENCY_A_VIEWERS | {"social_worker_b"}
AGENCY_A_EDITORS = frozenset({"district_admin", "street_admin", "agency_admin"})
AGENCY_CREATORS = frozenset({"district_admin", "street_admin"})
USER_ADMINS = frozenset({"district_admin", "street_admin", "agency_admin"})
# The managed user is community_staff (bound to 兴隆社区, in 殿前街道).
COMMUNITY_USER_ADMINS = frozenset({"district_admin", "street_admin"})
AUDITORS = frozenset({"auditor"})
# The holiday calendar (national, no place): the district's administrators keep it.
CALENDAR_KEEPERS = frozenset({"district_admin"})
# Case work: agency A's case (worker social_worker, client in 兴隆社区). Place roles see that it
# exists; only the worker and agency A's leads read or change what is inside.
CASE_VIEWERS = PEOPLE
CASE_TEAM = frozenset({"agency_admin", "supervisor", "social_worker"})
CASE_LEADS = frozenset({"agency_admin", "supervisor"})
# Everyone who works in an agency opens and carries cases (social_worker_b at agency B too).
CASE_CARRIERS = CASE_TEAM | {"social_worker_b"}
# Charity funds: 兴隆社区's fund. The district and the street oversee; its staff keep the book.
FUND_VIEWERS = frozenset({"district_admin", "street_admin", "community_staff"})
FUND_KEEPERS = frozenset({"community_staff"})
# Pairing: 兴隆社区 with agency A. The district and the street create and review; both sides'
# staff read their agreements and tick their commitments.
PAIRING_ADMINS = frozenset({"district_admin", "street_admin"})
PAIRING_A = PEOPLE
PAIRING_ROLES = PAIRING_A | {"social_worker_b"}
# 五社联动 lists: place staff keep them; agency staff see what is dispatched to or owned by
# their agency. need_a (兴隆社区) is dispatched to agency A; resource_a is agency A's.
PLACE_STAFF = frozenset({"district_admin", "street_admin", "community_staff"})
RESOURCE_A_EDITORS = PLACE_STAFF | {"agency_admin"}
# Incubation park: the district runs it, the park's street reads it, a tenant agency's director
# reads their own contracts (contract_a is agency A's, in a park in 兴隆社区).
PARK_VIEWERS = frozenset({"district_admin", "street_admin"})
PARK_KEEPERS = frozenset({"district_admin"})
PARK_TENANCY = PARK_VIEWERS | {"agency_admin"}


@dataclass(frozen=True)
class Rule:
    allowed: frozenset
    method: str = "GET"
    anonymous: str = "login"  # "login": redirected to log in; "open": allowed; "401"
    kwargs: tuple = ()  # names of objects from the `objects` fixture, in URL order
    data: dict = field(default_factory=dict)
    status: tuple = ()  # when set, the only answers an allowed request may get
    # Each persona's request is rolled back afterwards: for deletes, which would otherwise
    # leave nothing for the next allowed persona.
    isolated: bool = False
    # A list, search or export: what it shows, checked against the sentinels (see LISTS below).
    lists: Listing | None = None


# What the lists show. Each kind has sentinels (built in the owning app's tests/matrix.py):
# objects of another agency and another street that each persona allowed the list must not find,
# unfiltered or searched by their name, number, ID number or mobile.
PEOPLE_LIST = Listing("person")
PEOPLE_EXPORT = Listing("person", xlsx=True)
CASE_LIST = Listing("case")
CASE_EXPORT = Listing("case", xlsx=True)
MY_CASES = Listing("case", search=None)
MY_CASES_EXPORT = Listing("case", search=None, xlsx=True)
AGENCY_LIST = Listing("agency")
AGENCY_EXPORT = Listing("agency", xlsx=True)
USER_LIST = Listing("user")
SUPERVISION = Listing("case", search=None)
FUND_LIST = Listing("fund")
FUND_EXPORT = Listing("fund", xlsx=True)
PAIRING_LIST = Listing("pairing")
PAIRING_EXPORT = Listing("pairing", xlsx=True)
# Activities: agency A's community activity in 兴隆社区. Places see it, agency A's staff see it;
# the community's staff and agency A's leads change it.
ACTIVITY_VIEWERS = PEOPLE
ACTIVITY_LIST_VIEWERS = PEOPLE_ROLES
ACTIVITY_EDITORS = frozenset({"community_staff", "agency_admin", "supervisor"})
ACTIVITY_CREATORS = ACTIVITY_EDITORS
ACTIVITY_LIST = Listing("activity")
ACTIVITY_EXPORT = Listing("activity", xlsx=True)
NEED_LIST = Listing("need")
NEED_EXPORT = Listing("need", xlsx=True)
RESOURCE_LIST = Listing("resource")
RESOURCE_EXPORT = Listing("resource", xlsx=True)
PROJECT_LIST = Listing("project")
PROJECT_EXPORT = Listing("project", xlsx=True)
WISH_LIST = Listing("wish")
PARK_LIST = Listing("park", search=None)
PARK_UNIT_LIST = Listing("park_unit")
PARK_CONTRACT_LIST = Listing("park_contract")
PARK_ARREARS_EXPORT = Listing("park_contract", xlsx=True)
WISH_EXPORT = Listing("wish", xlsx=True)
# Volunteers: 兴隆社区's own team, the demo volunteer's profile. Places above it see it, its staff
# manage it, the volunteer reads their own; agency A's shift and hours (its activity) are
# changed by the activity's editors.
VOLUNTEER_VIEWERS = frozenset({"district_admin", "street_admin", "community_staff", "volunteer"})
VOLUNTEER_LISTERS = PEOPLE_ROLES
VOLUNTEER_KEEPERS = frozenset({"community_staff"})
VOLUNTEER_MANAGERS = ACTIVITY_EDITORS
VOLUNTEER_SELF = frozenset({"volunteer"})
VOLUNTEER_LIST = Listing("volunteer")
VOLUNTEER_EXPORT = Listing("volunteer", xlsx=True)
VOLUNTEER_HOURS = Listing("volunteer_hours", search=None)
VOLUNTEER_TEAMS = Listing("volunteer_team")
# Training academy: the academy's staff run it, the district's administrators look on (site
# coordinators, who see their site's learners only, are checked in training's own tests).
ACADEMY = frozenset({"training_admin", "district_admin"})
ACADEMY_ADMINS = frozenset({"training_admin"})
LEARNER_LIST = Listing("training_learner")
LEARNER_EXPORT = Listing("training_learner", xlsx=True)
# Exam prep: the district's bank and results are kept by the training administrator; any login
# practises, its attempts its own (social_worker's attempt); a result is read by its person too.
EXAM_ADMINS = frozenset({"training_admin"})
EXAM_LEARNER = frozenset({"social_worker"})
EXAM_RESULT_LIST = Listing("exam_result")
EXAM_RESULT_EXPORT = Listing("exam_result", xlsx=True)
# Talent: the demo social worker's profile at agency A and their applications. Reviewers of the
# chain (agency A's director, 殿前街道, the district) see the applications; the district alone
# acts on 公示 and payments; the worker reads their own.
TALENT_WORKERS = frozenset({"social_worker", "social_worker_b"})
TALENT_PROFILE_VIEWERS = frozenset(
    {"district_admin", "street_admin", "agency_admin", "supervisor", "social_worker"}
)
TALENT_PROFILE_LISTERS = frozenset({"district_admin", "street_admin", "agency_admin", "supervisor"})
TALENT_KEEPERS = frozenset({"district_admin", "agency_admin"})
TALENT_FILERS = TALENT_KEEPERS | {"social_worker"}
TALENT_APP_VIEWERS = frozenset({"district_admin", "street_admin", "agency_admin", "social_worker"})
TALENT_APP_LISTERS = TALENT_APP_VIEWERS | {"social_worker_b"}
TALENT_DISTRICT = frozenset({"district_admin"})
TALENT_OBJECTORS = frozenset({"district_admin", "street_admin"})
TALENT_PROFILE_LIST = Listing("talent_profile")
TALENT_APPLICATION_LIST = Listing("talent_application")
# Purchased services: agency A's project in 兴隆社区 (殿前街道), evaluator assigned. The district
# keeps budgets and contracts; the street oversees; agency A's leads follow their project.
PURCHASE_VIEWERS = frozenset(
    {"district_admin", "street_admin", "agency_admin", "supervisor", "evaluator"}
)
PURCHASE_KEEPERS = frozenset({"district_admin"})
# A street's administrators read their street's budget lines; the district keeps them all.
BUDGET_READERS = frozenset({"district_admin", "street_admin"})
PURCHASE_RECTIFIERS = frozenset({"district_admin", "agency_admin"})
PURCHASE_LIST = Listing("purchase_project")
PURCHASE_EXPORT = Listing("purchase_project", xlsx=True)
PURCHASE_ROWS = Listing("purchase_project", search=None)
PURCHASE_RECTIFICATIONS = Listing("purchase_rectification", search=None)
PORTFOLIO = Listing("purchase_agency", search=None)
PORTFOLIO_XLSX = Listing("purchase_agency", search=None, xlsx=True)
BUDGET_LIST = Listing("purchase_budget", search=None)
BUDGET_EXPORT = Listing("purchase_budget", search=None, xlsx=True)


PAGES = {
    "home": Rule(ALL),
    "talent:me": Rule(TALENT_WORKERS),
    "talent:qualify": Rule(TALENT_WORKERS),
    "talent:cpd_new": Rule(frozenset({"social_worker"})),
    "talent:notices": Rule(ALL, anonymous="open"),
    "talent:profile_list": Rule(TALENT_PROFILE_LISTERS, lists=TALENT_PROFILE_LIST),
    "talent:profile_detail": Rule(TALENT_PROFILE_VIEWERS, kwargs=("talent_profile_a",)),
    "talent:profile_create": Rule(TALENT_KEEPERS),
    "talent:employment_new": Rule(TALENT_KEEPERS, kwargs=("talent_profile_a",)),
    "talent:cpd_evidence": Rule(
        TALENT_PROFILE_VIEWERS, kwargs=("talent_profile_a", "talent_cpd_a")
    ),
    "talent:cpd_review": Rule(
        TALENT_KEEPERS, method="POST", kwargs=("talent_profile_a", "talent_cpd_a")
    ),
    "talent:title_new": Rule(TALENT_DISTRICT, kwargs=("talent_profile_a",)),
    "talent:qualification_new": Rule(TALENT_KEEPERS, kwargs=("talent_profile_a",)),
    "talent:policy_list": Rule(ALL),
    "talent:policy_detail": Rule(ALL, kwargs=("talent_policy_a",)),
    "talent:policy_create": Rule(TALENT_DISTRICT),
    "talent:policy_edit": Rule(TALENT_DISTRICT, kwargs=("talent_policy_a",)),
    "talent:apply": Rule(TALENT_FILERS, kwargs=("talent_policy_a",)),
    "talent:policy_approved_export": Rule(TALENT_DISTRICT, kwargs=("talent_policy_a",)),
    "talent:policy_payments_export": Rule(TALENT_DISTRICT, kwargs=("talent_policy_a",)),
    "talent:application_list": Rule(TALENT_APP_LISTERS, lists=TALENT_APPLICATION_LIST),
    "talent:application_detail": Rule(TALENT_APP_VIEWERS, kwargs=("talent_app_review",)),
    "talent:application_attachment": Rule(TALENT_APP_VIEWERS, kwargs=("talent_app_review",)),
    "talent:application_review": Rule(
        frozenset({"agency_admin"}), method="POST", kwargs=("talent_app_review",)
    ),
    "talent:application_resubmit": Rule(TALENT_FILERS, kwargs=("talent_app_returned",)),
    "talent:application_amount": Rule(
        TALENT_DISTRICT, method="POST", kwargs=("talent_app_review",)
    ),
    "talent:objection_new": Rule(TALENT_OBJECTORS, method="POST", kwargs=("talent_app_notice",)),
    "talent:objection_resolve": Rule(
        TALENT_DISTRICT, method="POST", kwargs=("talent_app_notice", "talent_objection_a")
    ),
    "talent:notice_close": Rule(TALENT_DISTRICT, method="POST", kwargs=("talent_app_notice",)),
    "talent:payment_record": Rule(
        TALENT_DISTRICT, method="POST", kwargs=("talent_app_paid", "talent_payment_a")
    ),
    "healthz": Rule(ALL, anonymous="open"),
    "set_language": Rule(ALL, method="POST", anonymous="open", data={"language": "en"}),
    "accounts:login": Rule(ALL, anonymous="open"),
    # Logging out always ends on the login page, for everyone.
    "accounts:logout": Rule(ALL, method="POST", anonymous="open", status=(302,)),
    "accounts:password_change": Rule(ALL),
    "accounts:password_change_done": Rule(ALL),
    "accounts:user_list": Rule(USER_ADMINS, lists=USER_LIST),
    "accounts:user_create": Rule(USER_ADMINS),
    "accounts:user_detail": Rule(COMMUNITY_USER_ADMINS, kwargs=("managed_user",)),
    "accounts:role_revoke": Rule(
        COMMUNITY_USER_ADMINS, method="POST", kwargs=("managed_user", "managed_assignment")
    ),
    "accounts:token_list": Rule(ALL),
    "accounts:token_revoke": Rule(
        frozenset({"district_admin"}), method="POST", kwargs=("district_admin_token",)
    ),
    "agencies:list": Rule(AGENCY_VIEWERS, lists=AGENCY_LIST),
    "agencies:export": Rule(AGENCY_VIEWERS, lists=AGENCY_EXPORT),
    "agencies:create": Rule(AGENCY_CREATORS),
    "agencies:detail": Rule(AGENCY_A_VIEWERS, kwargs=("agency_a",)),
    "agencies:edit": Rule(AGENCY_A_EDITORS, kwargs=("agency_a",)),
    "api:openapi-json": Rule(ALL, anonymous="open"),
    "api:openapi-view": Rule(ALL, anonymous="open"),
    "core:audit": Rule(AUDITORS),
    "core:audit_access": Rule(AUDITORS),
    "core:calendar": Rule(CALENDAR_KEEPERS),
    "core:calendar_new": Rule(CALENDAR_KEEPERS, method="POST"),
    "core:calendar_delete": Rule(
        CALENDAR_KEEPERS, method="POST", kwargs=("calendar_day",), isolated=True
    ),
    "imports:list": Rule(PEOPLE_ROLES | EXAM_ADMINS),
    "imports:people_new": Rule(PEOPLE_ROLES),
    "imports:people_template": Rule(PEOPLE_ROLES),
    "imports:cases_new": Rule(CASE_LEADS),
    "imports:cases_template": Rule(CASE_LEADS),
    "imports:attendance_new": Rule(ACTIVITY_EDITORS),
    "imports:attendance_template": Rule(ACTIVITY_EDITORS),
    "imports:detail": Rule(frozenset({"social_worker"}), kwargs=("import_job",)),
    "imports:progress": Rule(frozenset({"social_worker"}), kwargs=("import_job",)),
    "imports:report": Rule(frozenset({"social_worker"}), kwargs=("import_job",)),
    "imports:confirm": Rule(frozenset({"social_worker"}), method="POST", kwargs=("import_job",)),
    "imports:cancel": Rule(frozenset({"social_worker"}), method="POST", kwargs=("import_job",)),
    "imports:retry": Rule(frozenset({"social_worker"}), method="POST", kwargs=("import_job",)),
    "notifications:list": Rule(ALL),
    "notifications:bell": Rule(ALL, anonymous="open"),
    "notifications:open": Rule(
        frozenset({"social_worker"}), method="POST", kwargs=("notification",)
    ),
    "notifications:read_all": Rule(ALL, method="POST"),
    "people:list": Rule(PEOPLE_ROLES, lists=PEOPLE_LIST),
    "people:export": Rule(PEOPLE_ROLES, lists=PEOPLE_EXPORT),
    "people:create": Rule(PEOPLE_ROLES),
    "people:detail": Rule(PEOPLE, kwargs=("person_a",)),
    "people:edit": Rule(PEOPLE, kwargs=("person_a",)),
    "people:reveal": Rule(PEOPLE, method="POST", kwargs=("person_a",)),
    "people:consent_create": Rule(PEOPLE, kwargs=("person_a",)),
    "people:consent_withdraw": Rule(PEOPLE, method="POST", kwargs=("person_a", "consent_a")),
    "places:tree": Rule(ALL),
    "places:toggle_urban_village": Rule(
        frozenset({"district_admin"}), method="POST", kwargs=("home_community",)
    ),
    "cases:list": Rule(PEOPLE_ROLES, lists=CASE_LIST),
    "cases:export": Rule(PEOPLE_ROLES, lists=CASE_EXPORT),
    "cases:export_job": Rule(frozenset({"social_worker"}), kwargs=("case_export",)),
    "cases:export_download": Rule(frozenset({"social_worker"}), kwargs=("case_export",)),
    "cases:my_work": Rule(CASE_CARRIERS, lists=MY_CASES),
    "cases:my_work_export": Rule(CASE_CARRIERS, lists=MY_CASES_EXPORT),
    "cases:create": Rule(CASE_CARRIERS),
    "cases:supervision": Rule(CASE_LEADS, lists=SUPERVISION),
    "cases:review_decide": Rule(CASE_LEADS, method="POST", kwargs=("review_a",)),
    "cases:referrals": Rule(CASE_LEADS),
    "cases:referral_decide": Rule(CASE_LEADS, method="POST", kwargs=("referral_to_a",)),
    "cases:client_file": Rule(PEOPLE, kwargs=("person_a",)),
    "cases:household_add": Rule(PEOPLE, method="POST", kwargs=("person_a",)),
    "cases:household_remove": Rule(
        PEOPLE, method="POST", kwargs=("person_a", "household_member_a"), isolated=True
    ),
    "cases:taiwan_item": Rule(PEOPLE, method="POST", kwargs=("person_a", "taiwan_item")),
    "cases:detail": Rule(CASE_VIEWERS, kwargs=("case_a",)),
    "cases:print": Rule(CASE_TEAM, kwargs=("case_a",)),
    "cases:assessment_new": Rule(CASE_TEAM, kwargs=("case_a",)),
    "cases:plan_new": Rule(CASE_TEAM, kwargs=("case_a",)),
    "cases:plan_submit": Rule(CASE_TEAM, method="POST", kwargs=("case_a", "plan_a")),
    "cases:task_done": Rule(CASE_TEAM, method="POST", kwargs=("case_a", "task_a")),
    "cases:note_new": Rule(CASE_TEAM, kwargs=("case_a",)),
    "cases:note_comment": Rule(CASE_TEAM, method="POST", kwargs=("case_a", "note_a")),
    "cases:attachment": Rule(CASE_TEAM, kwargs=("case_a", "attachment_a")),
    "cases:evaluation_new": Rule(CASE_TEAM, kwargs=("case_a",)),
    "cases:closure": Rule(CASE_TEAM, kwargs=("case_a",)),
    "cases:reopen": Rule(CASE_TEAM, kwargs=("case_a",)),
    "cases:reassign": Rule(CASE_LEADS, kwargs=("case_a",)),
    "cases:referral_new": Rule(CASE_TEAM, kwargs=("case_a",)),
    "park:overview": Rule(PARK_TENANCY, lists=PARK_CONTRACT_LIST),
    "park:arrears_export": Rule(PARK_TENANCY, lists=PARK_ARREARS_EXPORT),
    "park:park_new": Rule(PARK_KEEPERS),
    "park:units": Rule(PARK_VIEWERS, lists=PARK_UNIT_LIST),
    "park:unit_new": Rule(PARK_KEEPERS),
    "park:unit_status": Rule(PARK_KEEPERS, method="POST", kwargs=("unit_a",), isolated=True),
    "park:contracts": Rule(PARK_TENANCY, lists=PARK_CONTRACT_LIST),
    "park:contract_new": Rule(PARK_KEEPERS),
    "park:contract": Rule(PARK_TENANCY, kwargs=("contract_a",)),
    "park:contract_activate": Rule(
        PARK_KEEPERS, method="POST", kwargs=("contract_a",), isolated=True
    ),
    "park:contract_end": Rule(PARK_KEEPERS, method="POST", kwargs=("contract_a",), isolated=True),
    "park:contract_cancel": Rule(
        PARK_KEEPERS, method="POST", kwargs=("contract_a",), isolated=True
    ),
    "park:contract_terminate": Rule(PARK_KEEPERS, kwargs=("contract_a",)),
    "park:payment_new": Rule(PARK_KEEPERS, kwargs=("contract_a",)),
    "park:payment_reverse": Rule(PARK_KEEPERS, kwargs=("contract_a", "payment_a")),
    "purchasing:project_list": Rule(PURCHASE_VIEWERS, lists=PURCHASE_LIST),
    "purchasing:project_export": Rule(PURCHASE_VIEWERS, lists=PURCHASE_EXPORT),
    "purchasing:project_create": Rule(PURCHASE_KEEPERS),
    "purchasing:project_detail": Rule(PURCHASE_VIEWERS, kwargs=("purchase_project_a",)),
    "purchasing:project_sign": Rule(PURCHASE_KEEPERS, kwargs=("purchase_project_a",)),
    "purchasing:contract_change": Rule(PURCHASE_KEEPERS, kwargs=("purchase_project_a",)),
    "purchasing:evaluator_assign": Rule(
        PURCHASE_KEEPERS, method="POST", kwargs=("purchase_project_a",)
    ),
    "purchasing:evaluation_new": Rule(frozenset({"evaluator"}), kwargs=("purchase_project_a",)),
    "purchasing:tranche_pay": Rule(PURCHASE_KEEPERS, kwargs=("tranche_a",)),
    "purchasing:payable": Rule(PURCHASE_KEEPERS, lists=PURCHASE_ROWS),
    "purchasing:rectification_list": Rule(PURCHASE_VIEWERS, lists=PURCHASE_ROWS),
    "purchasing:rectification_close": Rule(PURCHASE_RECTIFIERS, kwargs=("rectification_a",)),
    "purchasing:budget_list": Rule(BUDGET_READERS, lists=BUDGET_LIST),
    "purchasing:budget_export": Rule(BUDGET_READERS, lists=BUDGET_EXPORT),
    "purchasing:budget_create": Rule(PURCHASE_KEEPERS),
    "purchasing:portfolio": Rule(PURCHASE_VIEWERS, lists=PORTFOLIO),
    "purchasing:portfolio_export": Rule(PURCHASE_VIEWERS, lists=PORTFOLIO_XLSX),
    "funds:list": Rule(FUND_VIEWERS, lists=FUND_LIST),
    "funds:export": Rule(FUND_VIEWERS, lists=FUND_EXPORT),
    "funds:create": Rule(FUND_VIEWERS),
    "funds:detail": Rule(FUND_VIEWERS, kwargs=("fund_a",)),
    "funds:ledger_export": Rule(FUND_VIEWERS, kwargs=("fund_a",)),
    "funds:donation_new": Rule(FUND_KEEPERS, kwargs=("fund_a",)),
    "funds:disbursement_new": Rule(FUND_KEEPERS, kwargs=("fund_a",)),
    "funds:reversal_new": Rule(FUND_KEEPERS, kwargs=("fund_a", "entry_a")),
    "pairing:list": Rule(PAIRING_ROLES, lists=PAIRING_LIST),
    "pairing:export": Rule(PAIRING_ROLES, lists=PAIRING_EXPORT),
    "pairing:create": Rule(PAIRING_ADMINS),
    "pairing:detail": Rule(PAIRING_A, kwargs=("agreement_a",)),
    "pairing:transition": Rule(PAIRING_ADMINS, method="POST", kwargs=("agreement_a",)),
    "pairing:commitment_add": Rule(PAIRING_ADMINS, method="POST", kwargs=("agreement_a",)),
    "pairing:commitment_mark": Rule(
        PAIRING_A, method="POST", kwargs=("agreement_a", "commitment_a")
    ),
    "pairing:review_new": Rule(PAIRING_ADMINS, kwargs=("agreement_a",)),
    "checkin": Rule(ALL, anonymous="open", kwargs=("checkin_token",)),
    "activities:list": Rule(ACTIVITY_LIST_VIEWERS, lists=ACTIVITY_LIST),
    "activities:export": Rule(ACTIVITY_LIST_VIEWERS, lists=ACTIVITY_EXPORT),
    "activities:create": Rule(ACTIVITY_CREATORS),
    "activities:detail": Rule(ACTIVITY_VIEWERS, kwargs=("activity_a",)),
    "activities:edit": Rule(ACTIVITY_EDITORS, kwargs=("activity_a",)),
    "activities:stage": Rule(ACTIVITY_EDITORS, method="POST", kwargs=("activity_a",)),
    "activities:session_create": Rule(ACTIVITY_EDITORS, kwargs=("activity_a",)),
    "activities:session": Rule(ACTIVITY_VIEWERS, kwargs=("activity_session_a",)),
    "activities:session_qr": Rule(ACTIVITY_EDITORS, kwargs=("activity_session_a",)),
    "activities:session_mark": Rule(
        ACTIVITY_EDITORS, method="POST", kwargs=("activity_session_a",)
    ),
    "activities:session_walk_in": Rule(ACTIVITY_EDITORS, kwargs=("activity_session_a",)),
    "activities:session_register": Rule(ACTIVITY_EDITORS, kwargs=("activity_session_a",)),
    "activities:registration_cancel": Rule(
        ACTIVITY_EDITORS, method="POST", kwargs=("activity_registration_a",), isolated=True
    ),
    "resources:need_list": Rule(PEOPLE_ROLES, lists=NEED_LIST),
    "resources:need_export": Rule(PEOPLE_ROLES, lists=NEED_EXPORT),
    "resources:need_create": Rule(PLACE_STAFF),
    "resources:need_detail": Rule(PEOPLE, kwargs=("need_a",)),
    "resources:need_dispatch": Rule(PLACE_STAFF, method="POST", kwargs=("need_a",)),
    "resources:need_claim": Rule(CASE_LEADS, method="POST", kwargs=("need_a",), isolated=True),
    "resources:need_decline": Rule(CASE_LEADS, method="POST", kwargs=("need_a",)),
    "resources:need_deliver": Rule(CASE_TEAM, method="POST", kwargs=("need_a",)),
    "resources:need_rate": Rule(PLACE_STAFF, method="POST", kwargs=("need_a",)),
    "resources:resource_list": Rule(PEOPLE_ROLES, lists=RESOURCE_LIST),
    "resources:resource_export": Rule(PEOPLE_ROLES, lists=RESOURCE_EXPORT),
    "resources:resource_create": Rule(RESOURCE_A_EDITORS),
    "resources:resource_detail": Rule(PEOPLE, kwargs=("resource_a",)),
    "resources:resource_edit": Rule(RESOURCE_A_EDITORS, kwargs=("resource_a",)),
    "resources:project_list": Rule(PEOPLE_ROLES, lists=PROJECT_LIST),
    "resources:project_export": Rule(PEOPLE_ROLES, lists=PROJECT_EXPORT),
    "resources:project_create": Rule(PLACE_STAFF),
    "resources:project_detail": Rule(PEOPLE, kwargs=("project_a",)),
    "resources:project_edit": Rule(PLACE_STAFF, kwargs=("project_a",)),
    "resources:wish_list": Rule(PLACE_STAFF, lists=WISH_LIST),
    "resources:wish_export": Rule(PLACE_STAFF, lists=WISH_EXPORT),
    "resources:wish_create": Rule(PLACE_STAFF),
    "resources:wish_detail": Rule(PLACE_STAFF, kwargs=("wish_a",)),
    "resources:wish_fulfil": Rule(PLACE_STAFF, method="POST", kwargs=("wish_a",)),
    "volunteers:list": Rule(VOLUNTEER_LISTERS, lists=VOLUNTEER_LIST),
    "volunteers:export": Rule(VOLUNTEER_LISTERS, lists=VOLUNTEER_EXPORT),
    "volunteers:me": Rule(VOLUNTEER_SELF),
    "volunteers:detail": Rule(VOLUNTEER_VIEWERS, kwargs=("volunteer_a",)),
    "volunteers:exchange": Rule(VOLUNTEER_KEEPERS, kwargs=("volunteer_a",)),
    "volunteers:certificate_issue": Rule(VOLUNTEER_KEEPERS, kwargs=("volunteer_a",)),
    "volunteers:certificate": Rule(VOLUNTEER_VIEWERS, kwargs=("volunteer_certificate_a",)),
    "volunteers:shifts": Rule(VOLUNTEER_SELF | VOLUNTEER_LISTERS),
    "volunteers:shift_create": Rule(VOLUNTEER_MANAGERS),
    "volunteers:shift": Rule(ACTIVITY_VIEWERS, kwargs=("volunteer_shift_a",)),
    "volunteers:shift_sign_up": Rule(VOLUNTEER_SELF, method="POST", kwargs=("volunteer_shift_a",)),
    "volunteers:shift_qr": Rule(VOLUNTEER_MANAGERS, kwargs=("volunteer_shift_a",)),
    "volunteers:signup_cancel": Rule(
        VOLUNTEER_MANAGERS, method="POST", kwargs=("volunteer_signup_a",), isolated=True
    ),
    "volunteers:hours_queue": Rule(VOLUNTEER_MANAGERS, lists=VOLUNTEER_HOURS),
    "volunteers:hours_decide": Rule(
        VOLUNTEER_MANAGERS, method="POST", kwargs=("volunteer_hours_a",)
    ),
    # Staff pages for what the API did alone: register, teams, edit, hours entered by staff. The
    # register page searches the people in view who are no volunteer yet.
    "volunteers:register": Rule(VOLUNTEER_MANAGERS, lists=Listing("person")),
    "volunteers:teams": Rule(VOLUNTEER_LISTERS, lists=VOLUNTEER_TEAMS),
    "volunteers:team_create": Rule(VOLUNTEER_MANAGERS),
    "volunteers:edit": Rule(VOLUNTEER_KEEPERS, kwargs=("volunteer_a",)),
    "volunteers:hours_enter": Rule(VOLUNTEER_KEEPERS, method="POST", kwargs=("volunteer_a",)),
    # Training academy: the catalogue, learners, teachers, sites and figures for the academy;
    # public enrolment, its confirmation and session feedback for anyone, without an account.
    "training:classes": Rule(ACADEMY),
    "training:class_export": Rule(ACADEMY),
    "training:class_create": Rule(ACADEMY_ADMINS),
    "training:class_detail": Rule(ACADEMY, kwargs=("training_class_a",)),
    "training:class_edit": Rule(ACADEMY_ADMINS, kwargs=("training_class_a",)),
    "training:class_complete": Rule(
        ACADEMY_ADMINS, method="POST", kwargs=("training_class_a",), isolated=True
    ),
    "training:session_create": Rule(ACADEMY_ADMINS, kwargs=("training_class_a",)),
    "training:session_detail": Rule(ACADEMY, kwargs=("training_session_a",)),
    "training:attendance_mark": Rule(ACADEMY_ADMINS, method="POST", kwargs=("training_session_a",)),
    "training:courses": Rule(ACADEMY),
    "training:course_create": Rule(ACADEMY_ADMINS),
    "training:enrolments": Rule(ACADEMY, lists=LEARNER_LIST),
    "training:enrolment_export": Rule(ACADEMY, lists=LEARNER_EXPORT),
    "training:enrolment_detail": Rule(ACADEMY, kwargs=("training_enrolment_a",)),
    "training:enrolment_cancel": Rule(
        ACADEMY_ADMINS, method="POST", kwargs=("training_enrolment_a",), isolated=True
    ),
    "training:certificate": Rule(ACADEMY, kwargs=("training_completion_a",)),
    "training:mine": Rule(ALL),
    "training:teachers": Rule(ACADEMY),
    "training:teacher_export": Rule(ACADEMY),
    "training:teacher_create": Rule(ACADEMY_ADMINS),
    "training:teacher_detail": Rule(ACADEMY, kwargs=("training_teacher_a",)),
    "training:teacher_edit": Rule(ACADEMY_ADMINS, kwargs=("training_teacher_a",)),
    "training:sites": Rule(ACADEMY),
    "training:site_create": Rule(ACADEMY_ADMINS),
    "training:site_detail": Rule(ACADEMY, kwargs=("training_site_a",)),
    "training:figures": Rule(ACADEMY),
    "training:enrol": Rule(ALL, anonymous="open"),
    "training:enrolled": Rule(ALL, anonymous="open", kwargs=("training_enrolled_token",)),
    "training:feedback": Rule(ALL, anonymous="open", kwargs=("training_checkin_token",)),
    "exams:home": Rule(ALL),
    "exams:attempt_start": Rule(ALL, method="POST"),
    "exams:attempts": Rule(ALL),
    "exams:attempt": Rule(EXAM_LEARNER, kwargs=("exam_attempt_a",)),
    "exams:questions": Rule(EXAM_ADMINS),
    "exams:question_create": Rule(EXAM_ADMINS),
    "exams:question_edit": Rule(EXAM_ADMINS, kwargs=("exam_question_a",)),
    "exams:question_retire": Rule(EXAM_ADMINS, method="POST", kwargs=("exam_question_a",)),
    "exams:results": Rule(ALL, lists=EXAM_RESULT_LIST),
    "exams:result_export": Rule(ALL, lists=EXAM_RESULT_EXPORT),
    "exams:question_export": Rule(EXAM_ADMINS),
    "exams:result_create": Rule(EXAM_ADMINS),
    "exams:result_edit": Rule(EXAM_ADMINS, kwargs=("exam_result_a",)),
    "exams:pass_rates": Rule(EXAM_ADMINS),
    "imports:exam_questions_new": Rule(EXAM_ADMINS),
    "imports:exam_questions_template": Rule(EXAM_ADMINS),
    "imports:exam_results_new": Rule(EXAM_ADMINS),
    "imports:exam_results_template": Rule(EXAM_ADMINS),
}

API = {
    "GET /api/v1/talent/policies": Rule(ALL, anonymous="401"),
    "POST /api/v1/talent/policies": Rule(TALENT_DISTRICT, anonymous="401", isolated=True),
    "GET /api/v1/talent/policies/{policy_id}": Rule(
        ALL, anonymous="401", kwargs=("talent_policy_a",)
    ),
    "PATCH /api/v1/talent/policies/{policy_id}": Rule(
        TALENT_DISTRICT, anonymous="401", kwargs=("talent_policy_a",), isolated=True
    ),
    "GET /api/v1/talent/me": Rule(TALENT_WORKERS, anonymous="401"),
    "GET /api/v1/talent/me/eligibility": Rule(TALENT_WORKERS, anonymous="401"),
    "POST /api/v1/talent/me/cpd": Rule(frozenset({"social_worker"}), anonymous="401"),
    "POST /api/v1/talent/profiles": Rule(TALENT_KEEPERS, anonymous="401", isolated=True),
    "POST /api/v1/talent/profiles/{profile_id}/qualifications": Rule(
        TALENT_KEEPERS, anonymous="401", kwargs=("talent_profile_a",), isolated=True
    ),
    "POST /api/v1/talent/profiles/{profile_id}/employments": Rule(
        TALENT_KEEPERS, anonymous="401", kwargs=("talent_profile_a",), isolated=True
    ),
    "POST /api/v1/talent/profiles/{profile_id}/titles": Rule(
        TALENT_DISTRICT, anonymous="401", kwargs=("talent_profile_a",), isolated=True
    ),
    "GET /api/v1/talent/profiles": Rule(
        TALENT_PROFILE_LISTERS, anonymous="401", lists=TALENT_PROFILE_LIST
    ),
    "GET /api/v1/talent/profiles/{profile_id}": Rule(
        TALENT_PROFILE_VIEWERS, anonymous="401", kwargs=("talent_profile_a",)
    ),
    "GET /api/v1/talent/profiles/{profile_id}/cpd": Rule(
        TALENT_PROFILE_VIEWERS, anonymous="401", kwargs=("talent_profile_a",)
    ),
    "POST /api/v1/talent/profiles/{profile_id}/cpd/{entry_id}/review": Rule(
        TALENT_KEEPERS,
        anonymous="401",
        kwargs=("talent_profile_a", "talent_cpd_a"),
        isolated=True,
    ),
    "GET /api/v1/talent/applications": Rule(
        TALENT_APP_LISTERS, anonymous="401", lists=TALENT_APPLICATION_LIST
    ),
    # Everyone signed in reaches the filing: the service then says what is missing or refused.
    "POST /api/v1/talent/applications": Rule(ALL, anonymous="401", isolated=True),
    "GET /api/v1/talent/applications/{application_id}": Rule(
        TALENT_APP_VIEWERS, anonymous="401", kwargs=("talent_app_review",)
    ),
    "POST /api/v1/talent/applications/{application_id}/review": Rule(
        frozenset({"agency_admin"}), anonymous="401", kwargs=("talent_app_review",), isolated=True
    ),
    "POST /api/v1/talent/applications/{application_id}/resubmit": Rule(
        TALENT_FILERS, anonymous="401", kwargs=("talent_app_returned",), isolated=True
    ),
    "POST /api/v1/talent/applications/{application_id}/amount": Rule(
        TALENT_DISTRICT, anonymous="401", kwargs=("talent_app_review",), isolated=True
    ),
    "POST /api/v1/talent/applications/{application_id}/objections": Rule(
        TALENT_OBJECTORS, anonymous="401", kwargs=("talent_app_notice",), isolated=True
    ),
    "POST /api/v1/talent/applications/{application_id}/objections/{objection_id}/resolve": Rule(
        TALENT_DISTRICT,
        anonymous="401",
        kwargs=("talent_app_notice", "talent_objection_a"),
        isolated=True,
    ),
    "POST /api/v1/talent/applications/{application_id}/close-notice": Rule(
        TALENT_DISTRICT, anonymous="401", kwargs=("talent_app_notice",), isolated=True
    ),
    "GET /api/v1/talent/applications/{application_id}/payments": Rule(
        TALENT_APP_VIEWERS, anonymous="401", kwargs=("talent_app_paid",)
    ),
    "POST /api/v1/talent/applications/{application_id}/payments/{payment_id}/record": Rule(
        TALENT_DISTRICT,
        anonymous="401",
        kwargs=("talent_app_paid", "talent_payment_a"),
        isolated=True,
    ),
    "GET /api/v1/talent/notices": Rule(ALL, anonymous="open"),
    # Anyone may ask for a token. The dummy credentials are wrong: 401, then 429 once the same
    # username has failed from the same address too often (the login lockout).
    "POST /api/v1/auth/token": Rule(ALL, anonymous="open", status=(401, 429)),
    "GET /api/v1/auth/tokens": Rule(ALL, anonymous="401"),
    "DELETE /api/v1/auth/tokens/{token_id}": Rule(
        frozenset({"district_admin"}), anonymous="401", kwargs=("district_admin_token",)
    ),
    "GET /api/v1/me": Rule(ALL, anonymous="401"),
    "GET /api/v1/users": Rule(USER_ADMINS, anonymous="401", lists=USER_LIST),
    "POST /api/v1/users": Rule(USER_ADMINS, anonymous="401"),
    "GET /api/v1/users/{user_id}": Rule(
        COMMUNITY_USER_ADMINS, anonymous="401", kwargs=("managed_user",)
    ),
    "POST /api/v1/users/{user_id}/roles": Rule(
        COMMUNITY_USER_ADMINS, anonymous="401", kwargs=("managed_user",)
    ),
    "DELETE /api/v1/users/{user_id}/roles/{assignment_id}": Rule(
        COMMUNITY_USER_ADMINS, anonymous="401", kwargs=("managed_user", "managed_assignment")
    ),
    "GET /api/v1/agencies": Rule(AGENCY_VIEWERS, anonymous="401", lists=AGENCY_LIST),
    "POST /api/v1/agencies": Rule(AGENCY_CREATORS, anonymous="401"),
    "GET /api/v1/agencies/{agency_id}": Rule(
        AGENCY_A_VIEWERS, anonymous="401", kwargs=("agency_a",)
    ),
    "PATCH /api/v1/agencies/{agency_id}": Rule(
        AGENCY_A_EDITORS, anonymous="401", kwargs=("agency_a",)
    ),
    "GET /api/v1/audit/changes": Rule(AUDITORS, anonymous="401"),
    "GET /api/v1/audit/access": Rule(AUDITORS, anonymous="401"),
    "GET /api/v1/calendar/days": Rule(CALENDAR_KEEPERS, anonymous="401"),
    "POST /api/v1/calendar/days": Rule(CALENDAR_KEEPERS, anonymous="401", isolated=True),
    "DELETE /api/v1/calendar/days/{day_id}": Rule(
        CALENDAR_KEEPERS, anonymous="401", kwargs=("calendar_day",), isolated=True
    ),
    "GET /api/v1/notifications": Rule(ALL, anonymous="401"),
    "POST /api/v1/notifications/read-all": Rule(ALL, anonymous="401"),
    "POST /api/v1/notifications/{notification_id}/read": Rule(
        frozenset({"social_worker"}), anonymous="401", kwargs=("notification",)
    ),
    "GET /api/v1/people": Rule(PEOPLE_ROLES, anonymous="401", lists=PEOPLE_LIST),
    "POST /api/v1/people": Rule(PEOPLE_ROLES, anonymous="401"),
    "GET /api/v1/people/{person_id}": Rule(PEOPLE, anonymous="401", kwargs=("person_a",)),
    "PATCH /api/v1/people/{person_id}": Rule(PEOPLE, anonymous="401", kwargs=("person_a",)),
    "POST /api/v1/people/{person_id}/reveal": Rule(PEOPLE, anonymous="401", kwargs=("person_a",)),
    "GET /api/v1/people/{person_id}/consents": Rule(PEOPLE, anonymous="401", kwargs=("person_a",)),
    "POST /api/v1/people/{person_id}/consents": Rule(PEOPLE, anonymous="401", kwargs=("person_a",)),
    "POST /api/v1/people/{person_id}/consents/{consent_id}/withdraw": Rule(
        PEOPLE, anonymous="401", kwargs=("person_a", "consent_a")
    ),
    "GET /api/v1/cases": Rule(PEOPLE_ROLES, anonymous="401", lists=CASE_LIST),
    "POST /api/v1/cases": Rule(CASE_CARRIERS, anonymous="401"),
    "GET /api/v1/cases/mine": Rule(CASE_CARRIERS, anonymous="401", lists=MY_CASES),
    "GET /api/v1/cases/export.xlsx": Rule(PEOPLE_ROLES, anonymous="401", lists=CASE_EXPORT),
    "GET /api/v1/cases/mine/export.xlsx": Rule(
        CASE_CARRIERS, anonymous="401", lists=MY_CASES_EXPORT
    ),
    "GET /api/v1/cases/target-groups": Rule(ALL, anonymous="401"),
    "GET /api/v1/cases/supervision": Rule(CASE_LEADS, anonymous="401", lists=SUPERVISION),
    "POST /api/v1/cases/reviews/{review_id}/decide": Rule(
        CASE_LEADS, anonymous="401", kwargs=("review_a",)
    ),
    "GET /api/v1/cases/referrals/inbox": Rule(CASE_LEADS, anonymous="401"),
    "POST /api/v1/cases/referrals/{referral_id}/decide": Rule(
        CASE_LEADS, anonymous="401", kwargs=("referral_to_a",)
    ),
    "GET /api/v1/cases/{case_id}": Rule(CASE_VIEWERS, anonymous="401", kwargs=("case_a",)),
    "POST /api/v1/cases/{case_id}/reassign": Rule(CASE_LEADS, anonymous="401", kwargs=("case_a",)),
    "POST /api/v1/cases/{case_id}/assessments": Rule(
        CASE_TEAM, anonymous="401", kwargs=("case_a",)
    ),
    "POST /api/v1/cases/{case_id}/plans": Rule(CASE_TEAM, anonymous="401", kwargs=("case_a",)),
    "POST /api/v1/cases/{case_id}/plans/{plan_id}/submit": Rule(
        CASE_TEAM, anonymous="401", kwargs=("case_a", "plan_a")
    ),
    "POST /api/v1/cases/{case_id}/tasks/{task_id}/complete": Rule(
        CASE_TEAM, anonymous="401", kwargs=("case_a", "task_a")
    ),
    "GET /api/v1/cases/{case_id}/notes": Rule(CASE_TEAM, anonymous="401", kwargs=("case_a",)),
    "POST /api/v1/cases/{case_id}/notes": Rule(CASE_TEAM, anonymous="401", kwargs=("case_a",)),
    "POST /api/v1/cases/{case_id}/notes/{note_id}/attachments": Rule(
        CASE_TEAM, anonymous="401", kwargs=("case_a", "note_a")
    ),
    "GET /api/v1/cases/{case_id}/notes/{note_id}/attachments/{attachment_id}": Rule(
        CASE_TEAM, anonymous="401", kwargs=("case_a", "note_a", "attachment_a")
    ),
    "GET /api/v1/cases/{case_id}/notes/{note_id}/comments": Rule(
        CASE_TEAM, anonymous="401", kwargs=("case_a", "note_a")
    ),
    "POST /api/v1/cases/{case_id}/notes/{note_id}/comments": Rule(
        CASE_TEAM, anonymous="401", kwargs=("case_a", "note_a")
    ),
    "POST /api/v1/cases/{case_id}/evaluations": Rule(
        CASE_TEAM, anonymous="401", kwargs=("case_a",)
    ),
    "POST /api/v1/cases/{case_id}/closure": Rule(CASE_TEAM, anonymous="401", kwargs=("case_a",)),
    "POST /api/v1/cases/{case_id}/reopen": Rule(CASE_TEAM, anonymous="401", kwargs=("case_a",)),
    "POST /api/v1/cases/{case_id}/referrals": Rule(CASE_TEAM, anonymous="401", kwargs=("case_a",)),
    "GET /api/v1/cases/clients/{person_id}/file": Rule(
        PEOPLE, anonymous="401", kwargs=("person_a",)
    ),
    "PUT /api/v1/cases/clients/{person_id}/file": Rule(
        PEOPLE, anonymous="401", kwargs=("person_a",)
    ),
    "POST /api/v1/cases/clients/{person_id}/household": Rule(
        PEOPLE, anonymous="401", kwargs=("person_a",)
    ),
    "DELETE /api/v1/cases/clients/{person_id}/household/{member_id}": Rule(
        PEOPLE, anonymous="401", kwargs=("person_a", "household_member_a"), isolated=True
    ),
    "GET /api/v1/cases/clients/{person_id}/taiwan": Rule(
        PEOPLE, anonymous="401", kwargs=("person_a",)
    ),
    "PUT /api/v1/cases/clients/{person_id}/taiwan/{item}": Rule(
        PEOPLE, anonymous="401", kwargs=("person_a", "taiwan_item")
    ),
    "GET /api/v1/activities": Rule(ACTIVITY_LIST_VIEWERS, anonymous="401", lists=ACTIVITY_LIST),
    "POST /api/v1/activities": Rule(ACTIVITY_CREATORS, anonymous="401"),
    "GET /api/v1/activities/{activity_id}": Rule(
        ACTIVITY_VIEWERS, anonymous="401", kwargs=("activity_a",)
    ),
    "PATCH /api/v1/activities/{activity_id}": Rule(
        ACTIVITY_EDITORS, anonymous="401", kwargs=("activity_a",)
    ),
    "POST /api/v1/activities/{activity_id}/stage": Rule(
        ACTIVITY_EDITORS, anonymous="401", kwargs=("activity_a",)
    ),
    "GET /api/v1/activities/{activity_id}/sessions": Rule(
        ACTIVITY_VIEWERS, anonymous="401", kwargs=("activity_a",)
    ),
    "POST /api/v1/activities/{activity_id}/sessions": Rule(
        ACTIVITY_EDITORS, anonymous="401", kwargs=("activity_a",)
    ),
    "GET /api/v1/activities/sessions/{session_id}/registrations": Rule(
        ACTIVITY_VIEWERS, anonymous="401", kwargs=("activity_session_a",)
    ),
    "POST /api/v1/activities/sessions/{session_id}/registrations": Rule(
        ACTIVITY_EDITORS, anonymous="401", kwargs=("activity_session_a",)
    ),
    # A community activity is open to residents: any signed-in user may ask to sign up (those
    # without a person record are told so).
    "POST /api/v1/activities/sessions/{session_id}/sign-up": Rule(
        ALL, anonymous="401", kwargs=("activity_session_a",), isolated=True
    ),
    "POST /api/v1/activities/registrations/{registration_id}/cancel": Rule(
        ACTIVITY_EDITORS, anonymous="401", kwargs=("activity_registration_a",), isolated=True
    ),
    "GET /api/v1/activities/sessions/{session_id}/attendance": Rule(
        ACTIVITY_VIEWERS, anonymous="401", kwargs=("activity_session_a",)
    ),
    "POST /api/v1/activities/sessions/{session_id}/attendance": Rule(
        ACTIVITY_EDITORS, anonymous="401", kwargs=("activity_session_a",)
    ),
    "GET /api/v1/volunteers": Rule(VOLUNTEER_LISTERS, anonymous="401", lists=VOLUNTEER_LIST),
    "POST /api/v1/volunteers": Rule(VOLUNTEER_MANAGERS, anonymous="401"),
    "GET /api/v1/volunteers/me": Rule(VOLUNTEER_SELF, anonymous="401"),
    "GET /api/v1/volunteers/teams": Rule(VOLUNTEER_LISTERS, anonymous="401", lists=VOLUNTEER_TEAMS),
    "POST /api/v1/volunteers/teams": Rule(VOLUNTEER_MANAGERS, anonymous="401"),
    "GET /api/v1/volunteers/shifts": Rule(VOLUNTEER_LISTERS | VOLUNTEER_SELF, anonymous="401"),
    "POST /api/v1/volunteers/shifts": Rule(VOLUNTEER_MANAGERS, anonymous="401"),
    "POST /api/v1/volunteers/shifts/{shift_id}/sign-up": Rule(
        VOLUNTEER_SELF, anonymous="401", kwargs=("volunteer_shift_a",)
    ),
    "POST /api/v1/volunteers/shifts/{shift_id}/assign": Rule(
        VOLUNTEER_MANAGERS, anonymous="401", kwargs=("volunteer_shift_a",)
    ),
    "POST /api/v1/volunteers/signups/{signup_id}/cancel": Rule(
        VOLUNTEER_MANAGERS, anonymous="401", kwargs=("volunteer_signup_a",), isolated=True
    ),
    "GET /api/v1/volunteers/hours/pending": Rule(
        VOLUNTEER_MANAGERS, anonymous="401", lists=VOLUNTEER_HOURS
    ),
    "POST /api/v1/volunteers/hours/{hours_id}/decision": Rule(
        VOLUNTEER_MANAGERS, anonymous="401", kwargs=("volunteer_hours_a",)
    ),
    "GET /api/v1/volunteers/{profile_id}": Rule(
        VOLUNTEER_VIEWERS, anonymous="401", kwargs=("volunteer_a",)
    ),
    "PATCH /api/v1/volunteers/{profile_id}": Rule(
        VOLUNTEER_KEEPERS, anonymous="401", kwargs=("volunteer_a",)
    ),
    "GET /api/v1/volunteers/{profile_id}/signups": Rule(
        VOLUNTEER_VIEWERS, anonymous="401", kwargs=("volunteer_a",)
    ),
    "GET /api/v1/volunteers/{profile_id}/hours": Rule(
        VOLUNTEER_VIEWERS, anonymous="401", kwargs=("volunteer_a",)
    ),
    "POST /api/v1/volunteers/{profile_id}/hours": Rule(
        VOLUNTEER_KEEPERS, anonymous="401", kwargs=("volunteer_a",)
    ),
    "GET /api/v1/volunteers/{profile_id}/points": Rule(
        VOLUNTEER_VIEWERS, anonymous="401", kwargs=("volunteer_a",)
    ),
    "POST /api/v1/volunteers/{profile_id}/exchanges": Rule(
        VOLUNTEER_KEEPERS, anonymous="401", kwargs=("volunteer_a",)
    ),
    "GET /api/v1/volunteers/{profile_id}/certificates": Rule(
        VOLUNTEER_VIEWERS, anonymous="401", kwargs=("volunteer_a",)
    ),
    "POST /api/v1/volunteers/{profile_id}/certificates": Rule(
        VOLUNTEER_KEEPERS, anonymous="401", kwargs=("volunteer_a",)
    ),
    "GET /api/v1/places/tree": Rule(ALL, anonymous="401"),
    "GET /api/v1/places/communities": Rule(ALL, anonymous="401"),
    "GET /api/v1/places/communities/{community_id}": Rule(
        ALL, anonymous="401", kwargs=("home_community",)
    ),
    "GET /api/v1/park/parks": Rule(PARK_VIEWERS, anonymous="401", lists=PARK_LIST),
    "POST /api/v1/park/parks": Rule(PARK_KEEPERS, anonymous="401", isolated=True),
    "GET /api/v1/park/units": Rule(PARK_VIEWERS, anonymous="401", lists=PARK_UNIT_LIST),
    "POST /api/v1/park/units": Rule(PARK_KEEPERS, anonymous="401", isolated=True),
    "POST /api/v1/park/units/{unit_id}/status": Rule(
        PARK_KEEPERS, anonymous="401", kwargs=("unit_a",), isolated=True
    ),
    "GET /api/v1/park/contracts": Rule(PARK_TENANCY, anonymous="401", lists=PARK_CONTRACT_LIST),
    "POST /api/v1/park/contracts": Rule(PARK_KEEPERS, anonymous="401", isolated=True),
    "GET /api/v1/park/contracts/{contract_id}": Rule(
        PARK_TENANCY, anonymous="401", kwargs=("contract_a",)
    ),
    **{
        f"POST /api/v1/park/contracts/{{contract_id}}/{action}": Rule(
            PARK_KEEPERS, anonymous="401", kwargs=("contract_a",), isolated=True
        )
        for action in ("activate", "end", "cancel", "terminate", "payments")
    },
    "GET /api/v1/park/contracts/{contract_id}/payments": Rule(
        PARK_TENANCY, anonymous="401", kwargs=("contract_a",)
    ),
    "POST /api/v1/park/contracts/{contract_id}/payments/{payment_id}/reversal": Rule(
        PARK_KEEPERS, anonymous="401", kwargs=("contract_a", "payment_a"), isolated=True
    ),
    "GET /api/v1/park/arrears": Rule(PARK_TENANCY, anonymous="401", lists=PARK_CONTRACT_LIST),
    "GET /api/v1/purchasing/budgets": Rule(BUDGET_READERS, anonymous="401", lists=BUDGET_LIST),
    "POST /api/v1/purchasing/budgets": Rule(PURCHASE_KEEPERS, anonymous="401"),
    "GET /api/v1/purchasing/projects": Rule(PURCHASE_VIEWERS, anonymous="401", lists=PURCHASE_LIST),
    "POST /api/v1/purchasing/projects": Rule(PURCHASE_KEEPERS, anonymous="401"),
    "GET /api/v1/purchasing/projects/{project_id}": Rule(
        PURCHASE_VIEWERS, anonymous="401", kwargs=("purchase_project_a",)
    ),
    "POST /api/v1/purchasing/projects/{project_id}/signing": Rule(
        PURCHASE_KEEPERS, anonymous="401", kwargs=("purchase_project_a",)
    ),
    "POST /api/v1/purchasing/projects/{project_id}/evaluations": Rule(
        frozenset({"evaluator"}), anonymous="401", kwargs=("purchase_project_a",)
    ),
    "POST /api/v1/purchasing/tranches/{tranche_id}/payment": Rule(
        PURCHASE_KEEPERS, anonymous="401", kwargs=("tranche_a",), isolated=True
    ),
    "POST /api/v1/purchasing/rectifications/{item_id}/closure": Rule(
        PURCHASE_RECTIFIERS, anonymous="401", kwargs=("rectification_a",), isolated=True
    ),
    "GET /api/v1/purchasing/portfolio": Rule(PURCHASE_VIEWERS, anonymous="401", lists=PORTFOLIO),
    "POST /api/v1/purchasing/projects/{project_id}/contract-changes": Rule(
        PURCHASE_KEEPERS, anonymous="401", kwargs=("purchase_project_a",)
    ),
    "POST /api/v1/purchasing/projects/{project_id}/evaluators": Rule(
        PURCHASE_KEEPERS, anonymous="401", kwargs=("purchase_project_a",)
    ),
    "GET /api/v1/purchasing/rectifications": Rule(
        PURCHASE_VIEWERS, anonymous="401", lists=PURCHASE_RECTIFICATIONS
    ),
    "GET /api/v1/funds": Rule(FUND_VIEWERS, anonymous="401", lists=FUND_LIST),
    "POST /api/v1/funds": Rule(FUND_VIEWERS, anonymous="401"),
    "GET /api/v1/funds/{fund_id}": Rule(FUND_VIEWERS, anonymous="401", kwargs=("fund_a",)),
    "GET /api/v1/funds/{fund_id}/entries": Rule(FUND_VIEWERS, anonymous="401", kwargs=("fund_a",)),
    "POST /api/v1/funds/{fund_id}/donations": Rule(
        FUND_KEEPERS, anonymous="401", kwargs=("fund_a",)
    ),
    "POST /api/v1/funds/{fund_id}/disbursements": Rule(
        FUND_KEEPERS, anonymous="401", kwargs=("fund_a",)
    ),
    "POST /api/v1/funds/{fund_id}/entries/{entry_id}/reversal": Rule(
        FUND_KEEPERS, anonymous="401", kwargs=("fund_a", "entry_a"), isolated=True
    ),
    "GET /api/v1/pairing": Rule(PAIRING_ROLES, anonymous="401", lists=PAIRING_LIST),
    "POST /api/v1/pairing": Rule(PAIRING_ADMINS, anonymous="401"),
    "GET /api/v1/pairing/{agreement_id}": Rule(PAIRING_A, anonymous="401", kwargs=("agreement_a",)),
    "POST /api/v1/pairing/{agreement_id}/transition": Rule(
        PAIRING_ADMINS, anonymous="401", kwargs=("agreement_a",)
    ),
    "POST /api/v1/pairing/{agreement_id}/commitments": Rule(
        PAIRING_ADMINS, anonymous="401", kwargs=("agreement_a",), isolated=True
    ),
    "POST /api/v1/pairing/{agreement_id}/commitments/{commitment_id}/done": Rule(
        PAIRING_A, anonymous="401", kwargs=("agreement_a", "commitment_a")
    ),
    "POST /api/v1/pairing/{agreement_id}/reviews": Rule(
        PAIRING_ADMINS, anonymous="401", kwargs=("agreement_a",)
    ),
    "GET /api/v1/resources": Rule(PEOPLE_ROLES, anonymous="401", lists=RESOURCE_LIST),
    "POST /api/v1/resources": Rule(RESOURCE_A_EDITORS, anonymous="401"),
    "GET /api/v1/resources/{resource_id}": Rule(PEOPLE, anonymous="401", kwargs=("resource_a",)),
    "PATCH /api/v1/resources/{resource_id}": Rule(
        RESOURCE_A_EDITORS, anonymous="401", kwargs=("resource_a",)
    ),
    "GET /api/v1/resources/needs": Rule(PEOPLE_ROLES, anonymous="401", lists=NEED_LIST),
    "POST /api/v1/resources/needs": Rule(PLACE_STAFF, anonymous="401"),
    "GET /api/v1/resources/needs/{need_id}": Rule(PEOPLE, anonymous="401", kwargs=("need_a",)),
    "GET /api/v1/resources/needs/{need_id}/events": Rule(
        PEOPLE, anonymous="401", kwargs=("need_a",)
    ),
    "GET /api/v1/resources/needs/{need_id}/suggestions": Rule(
        PLACE_STAFF, anonymous="401", kwargs=("need_a",)
    ),
    "POST /api/v1/resources/needs/{need_id}/dispatch": Rule(
        PLACE_STAFF, anonymous="401", kwargs=("need_a",)
    ),
    "POST /api/v1/resources/needs/{need_id}/claim": Rule(
        CASE_LEADS, anonymous="401", kwargs=("need_a",), isolated=True
    ),
    "POST /api/v1/resources/needs/{need_id}/decline": Rule(
        CASE_LEADS, anonymous="401", kwargs=("need_a",), isolated=True
    ),
    "POST /api/v1/resources/needs/{need_id}/deliver": Rule(
        CASE_TEAM, anonymous="401", kwargs=("need_a",)
    ),
    "POST /api/v1/resources/needs/{need_id}/rate": Rule(
        PLACE_STAFF, anonymous="401", kwargs=("need_a",)
    ),
    "GET /api/v1/resources/projects": Rule(PEOPLE_ROLES, anonymous="401", lists=PROJECT_LIST),
    "POST /api/v1/resources/projects": Rule(PLACE_STAFF, anonymous="401"),
    "GET /api/v1/resources/projects/{project_id}": Rule(
        PEOPLE, anonymous="401", kwargs=("project_a",)
    ),
    "PATCH /api/v1/resources/projects/{project_id}": Rule(
        PLACE_STAFF, anonymous="401", kwargs=("project_a",)
    ),
    "GET /api/v1/resources/wishes": Rule(PLACE_STAFF, anonymous="401", lists=WISH_LIST),
    "POST /api/v1/resources/wishes": Rule(PLACE_STAFF, anonymous="401"),
    "GET /api/v1/resources/wishes/{wish_id}": Rule(
        PLACE_STAFF, anonymous="401", kwargs=("wish_a",)
    ),
    "POST /api/v1/resources/wishes/{wish_id}/fulfil": Rule(
        PLACE_STAFF, anonymous="401", kwargs=("wish_a",)
    ),
    # The public side of small wishes: no account, rate-limited per address. The smallest body
    # carries a malformed mobile: a 400 field error (429 once the address has asked too often).
    "GET /api/v1/resources/wishes/public": Rule(ALL, anonymous="open"),
    "POST /api/v1/resources/wishes/public/{wish_id}/claim": Rule(
        ALL, anonymous="open", kwargs=("wish_a",), status=(400, 429)
    ),
    # Training academy (see the pages above); the public enrolment's smallest body names no
    # open class: a 400 field error (429 once the address has asked too often).
    "GET /api/v1/training/open-classes": Rule(ALL, anonymous="open"),
    "POST /api/v1/training/enrol": Rule(ALL, anonymous="open", status=(400, 429)),
    "GET /api/v1/training/classes": Rule(ACADEMY, anonymous="401"),
    "POST /api/v1/training/classes": Rule(ACADEMY_ADMINS, anonymous="401"),
    "GET /api/v1/training/classes/{class_id}": Rule(
        ACADEMY, anonymous="401", kwargs=("training_class_a",)
    ),
    "PATCH /api/v1/training/classes/{class_id}": Rule(
        ACADEMY_ADMINS, anonymous="401", kwargs=("training_class_a",), isolated=True
    ),
    "GET /api/v1/training/classes/{class_id}/sessions": Rule(
        ACADEMY, anonymous="401", kwargs=("training_class_a",)
    ),
    "POST /api/v1/training/classes/{class_id}/sessions": Rule(
        ACADEMY_ADMINS, anonymous="401", kwargs=("training_class_a",)
    ),
    "POST /api/v1/training/classes/{class_id}/completions": Rule(
        ACADEMY_ADMINS, anonymous="401", kwargs=("training_class_a",), isolated=True
    ),
    "GET /api/v1/training/courses": Rule(ACADEMY, anonymous="401"),
    "POST /api/v1/training/courses": Rule(ACADEMY_ADMINS, anonymous="401", isolated=True),
    "GET /api/v1/training/enrolments": Rule(ACADEMY, anonymous="401", lists=LEARNER_LIST),
    "GET /api/v1/training/enrolments/{enrolment_id}": Rule(
        ACADEMY, anonymous="401", kwargs=("training_enrolment_a",)
    ),
    "POST /api/v1/training/enrolments/{enrolment_id}/cancel": Rule(
        ACADEMY_ADMINS, anonymous="401", kwargs=("training_enrolment_a",), isolated=True
    ),
    "GET /api/v1/training/mine": Rule(ALL, anonymous="401"),
    "GET /api/v1/training/sessions/{session_id}/attendance": Rule(
        ACADEMY, anonymous="401", kwargs=("training_session_a",)
    ),
    "POST /api/v1/training/sessions/{session_id}/attendance": Rule(
        ACADEMY_ADMINS, anonymous="401", kwargs=("training_session_a",)
    ),
    "GET /api/v1/training/teachers": Rule(ACADEMY, anonymous="401"),
    "POST /api/v1/training/teachers": Rule(ACADEMY_ADMINS, anonymous="401", isolated=True),
    "GET /api/v1/training/teachers/{teacher_id}": Rule(
        ACADEMY, anonymous="401", kwargs=("training_teacher_a",)
    ),
    "GET /api/v1/training/sites": Rule(ACADEMY, anonymous="401"),
    "POST /api/v1/training/sites": Rule(ACADEMY_ADMINS, anonymous="401", isolated=True),
    "GET /api/v1/training/figures": Rule(ACADEMY, anonymous="401"),
    "GET /api/v1/exams/attempts": Rule(ALL, anonymous="401"),
    "POST /api/v1/exams/attempts": Rule(ALL, anonymous="401"),
    "GET /api/v1/exams/attempts/{attempt_id}": Rule(
        EXAM_LEARNER, anonymous="401", kwargs=("exam_attempt_a",)
    ),
    "PUT /api/v1/exams/attempts/{attempt_id}/answers": Rule(
        EXAM_LEARNER, anonymous="401", kwargs=("exam_attempt_a",)
    ),
    "POST /api/v1/exams/attempts/{attempt_id}/submit": Rule(
        EXAM_LEARNER, anonymous="401", kwargs=("exam_attempt_a",), isolated=True
    ),
    "GET /api/v1/exams/progress": Rule(ALL, anonymous="401"),
    "GET /api/v1/exams/questions": Rule(EXAM_ADMINS, anonymous="401"),
    "POST /api/v1/exams/questions": Rule(EXAM_ADMINS, anonymous="401"),
    "GET /api/v1/exams/questions/{question_id}": Rule(
        EXAM_ADMINS, anonymous="401", kwargs=("exam_question_a",)
    ),
    "PATCH /api/v1/exams/questions/{question_id}": Rule(
        EXAM_ADMINS, anonymous="401", kwargs=("exam_question_a",)
    ),
    "POST /api/v1/exams/questions/{question_id}/retire": Rule(
        EXAM_ADMINS, anonymous="401", kwargs=("exam_question_a",), isolated=True
    ),
    "GET /api/v1/exams/results": Rule(ALL, anonymous="401", lists=EXAM_RESULT_LIST),
    "POST /api/v1/exams/results": Rule(EXAM_ADMINS, anonymous="401"),
    "GET /api/v1/exams/results/{result_id}": Rule(
        EXAM_ADMINS, anonymous="401", kwargs=("exam_result_a",)
    ),
    "PATCH /api/v1/exams/results/{result_id}": Rule(
        EXAM_ADMINS, anonymous="401", kwargs=("exam_result_a",)
    ),
    "GET /api/v1/exams/pass-rates": Rule(EXAM_ADMINS, anonymous="401"),
}


def test_every_route_is_declared():
    routes = {route.name for route in page_routes()}
    assert sorted(routes - PAGES.keys()) == [], "pages without a matrix entry"
    assert sorted(PAGES.keys() - routes) == [], "matrix entries for pages that do not exist"
    operations = set(api_operations())
    assert sorted(operations - API.keys()) == [], "API operations without a matrix entry"
    assert sorted(API.keys() - operations) == [], "matrix entries for operations that are gone"


@pytest.fixture(scope="module")
def module_data(django_db_setup, django_db_blocker):
    """A transaction around the whole module, rolled back after its last test: the objects and
    sentinels below are made once (about a second of writes) instead of before each of the
    matrix's thousand-odd tests, and each test's own transaction is a savepoint inside this one,
    so what a test writes is still undone after it. The world is rebuilt in it if a browser
    test flushed the database before."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        world = build_world()
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def objects(module_data, django_db_blocker):
    """One object of each kind, owned by agency A / 兴隆社区 / a named persona."""
    with django_db_blocker.unblock():
        return _make_objects(module_data)


def _make_objects(world) -> dict:
    import datetime

    from django.core.files.base import ContentFile

    from shegong.accounts.services import token_issue
    from shegong.imports.models import ImportJob
    from shegong.notifications.services import notify
    from shegong.people.services import consent_record, person_create

    admin = world.users["district_admin"]
    person = person_create(
        actor=admin,
        name="矩阵测试",
        id_type="passport",
        id_number="M1234567",
        community=world.home_community,
        owner_agency=world.agency_a,
    )
    consent = consent_record(
        actor=admin,
        person=person,
        kind="separate",
        scope="personal_data",
        given_on=datetime.date(2026, 1, 5),
        given_by="矩阵测试",
    )
    managed = world.users["community_staff"]
    token, _raw = token_issue(user=admin, name="matrix")
    job = ImportJob.objects.create(
        created_by=world.users["social_worker"],
        kind="people",
        original_filename="people.xlsx",
        file_format="xlsx",
        status="validated",
        total_rows=1,
        error_rows=1,
    )
    job.error_report.save("report.xlsx", ContentFile(b"report"))
    notification = notify(world.users["social_worker"], "矩阵测试通知", "/")
    from shegong.core.services import calendar_day_add

    calendar_day = calendar_day_add(
        actor=admin, date=datetime.date(2030, 1, 1), kind="holiday", name="矩阵测试元旦"
    )
    from shegong.cases.tests.matrix import case_work_objects

    cases = case_work_objects(world, person)
    from shegong.funds.tests.matrix import fund_objects
    from shegong.pairing.tests.matrix import pairing_objects

    cases.update(fund_objects(world))
    cases.update(pairing_objects(world))
    from shegong.park.tests.matrix import park_objects

    cases.update(park_objects(world))
    from shegong.activities.tests.matrix import activity_objects
    from shegong.resources.tests.matrix import resource_objects
    from shegong.volunteers.tests.matrix import volunteer_objects

    activities = activity_objects(world)
    from shegong.exams.tests.matrix import exam_objects
    from shegong.talent.tests.matrix import talent_objects
    from shegong.training.tests.matrix import training_objects

    cases.update(talent_objects(world))
    from shegong.purchasing.tests.matrix import purchasing_objects

    cases.update(purchasing_objects(world))
    return {
        **training_objects(world),
        **exam_objects(world),
        **cases,
        **resource_objects(world),
        **activities,
        **volunteer_objects(world, activities),
        "person_a": person.pk,
        "consent_a": consent.pk,
        "agency_a": world.agency_a.pk,
        "home_community": world.home_community.pk,
        "managed_user": managed.pk,
        "managed_assignment": managed.role_assignments.get().pk,
        "district_admin_token": token.pk,
        "import_job": job.pk,
        "notification": notification.pk,
        "calendar_day": calendar_day.pk,
    }


def page_url(name: str, rule: Rule, objects: dict) -> str:
    return reverse(name, args=[objects[key] for key in rule.kwargs])


def api_url(operation: str, rule: Rule, objects: dict) -> tuple[str, str]:
    method, path = operation.split(" ", 1)
    for key in rule.kwargs:
        start = path.index("{")
        path = path[:start] + str(objects[key]) + path[path.index("}") + 1 :]
    return method, path


def smallest_valid_body(operation: str) -> dict:
    """The required fields of the operation's request body, each with a dummy of its type."""
    from shegong.api.api import api

    schema = api.get_openapi_schema()
    method, path = operation.split(" ", 1)
    spec = schema["paths"][path][method.lower()]
    if "requestBody" not in spec:
        return {}

    def resolve(node):
        while "$ref" in node:
            node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
        return node

    def dummy(node):
        node = resolve(node)
        for key in ("allOf", "anyOf"):
            if key in node:
                return dummy(node[key][0])
        if "enum" in node:
            return node["enum"][0]
        if node.get("format") == "date":
            return "2026-01-05"
        if node.get("type") in ("array", "object"):
            return [] if node["type"] == "array" else {}
        return {"integer": 0, "boolean": False, "number": 0}.get(node.get("type"), "x")

    if "application/json" not in spec["requestBody"]["content"]:
        return {}  # a file upload: sent without files, the operation says what is missing
    body = resolve(spec["requestBody"]["content"]["application/json"]["schema"])
    return {name: dummy(body["properties"][name]) for name in body.get("required", [])}


def reached(response, rule: Rule) -> bool:
    if rule.status:
        return response.status_code in rule.status
    if response.status_code in (401, 403, 404) or response.status_code >= 500:
        return False
    return not (response.status_code == 302 and "/accounts/login/" in response["Location"])


def logged_in(world, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def check(responses: dict, rule: Rule) -> list[str]:
    problems = []
    for persona, response in responses.items():
        if persona == "anonymous":
            if rule.anonymous == "open":
                ok = reached(response, rule)
            elif rule.anonymous == "401":
                ok = response.status_code == 401
            else:
                ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif persona in rule.allowed:
            ok = reached(response, rule)
        else:
            ok = response.status_code == 404
        if not ok:
            problems.append(f"{persona}: {response.status_code}")
    return problems


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_answers_each_persona_as_declared(name, world, objects):
    rule = PAGES[name]
    url = page_url(name, rule, objects)
    responses = {}
    for persona in (*PERSONAS, "anonymous"):
        client = Client() if persona == "anonymous" else logged_in(world, persona)
        send = client.post if rule.method == "POST" else client.get
        with transaction.atomic():
            responses[persona] = send(url, rule.data)
            transaction.set_rollback(rule.isolated)
    assert check(responses, rule) == [], f"{rule.method} {url}"


@pytest.mark.parametrize("operation", sorted(API))
def test_api_operation_answers_each_persona_as_declared(operation, world, objects):
    from shegong.accounts.services import token_issue

    rule = API[operation]
    method, path = api_url(operation, rule, objects)
    body = smallest_valid_body(operation)
    responses = {}
    for persona in (*PERSONAS, "anonymous"):
        headers = {}
        if persona != "anonymous":
            _token, raw = token_issue(user=world.users[persona])
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        client = Client()
        with transaction.atomic():
            responses[persona] = client.generic(
                method, path, data=json.dumps(body), content_type="application/json", **headers
            )
            transaction.set_rollback(rule.isolated)
    assert check(responses, rule) == [], operation


# --- lists, searches and exports -------------------------------------------------------------

# Every GET route without an object in its URL is a list (declared with ``lists=``) or named
# here with the reason its rows need no sentinel.
NOT_LISTS = {
    **dict.fromkeys(
        (
            "home",
            "healthz",
            "accounts:login",
            "accounts:password_change",
            "accounts:password_change_done",
            "accounts:user_create",
            "agencies:create",
            "api:openapi-json",
            "api:openapi-view",
            "imports:people_new",
            "imports:people_template",
            "imports:cases_new",
            "imports:cases_template",
            "imports:attendance_new",
            "imports:attendance_template",
            "people:create",
            "cases:create",
            "activities:create",
            "resources:need_create",
            "resources:resource_create",
            "resources:project_create",
            "resources:wish_create",
            "GET /api/v1/me",
            "funds:create",
            "pairing:create",
            "purchasing:project_create",
            "purchasing:budget_create",
            "volunteers:shift_create",
            "volunteers:team_create",
            "park:park_new",
            "park:unit_new",
            "park:contract_new",
            "exams:home",
            "exams:question_create",
            "exams:result_create",
            "exams:pass_rates",
            "imports:exam_questions_new",
            "imports:exam_questions_template",
            "imports:exam_results_new",
            "imports:exam_results_template",
            "GET /api/v1/exams/pass-rates",
        ),
        "a form, a figure page or a fixed document: no rows of others",
    ),
    **dict.fromkeys(
        (
            "accounts:token_list",
            "imports:list",
            "notifications:list",
            "notifications:bell",
            "GET /api/v1/auth/tokens",
            "GET /api/v1/notifications",
            "exams:attempts",
            "GET /api/v1/exams/attempts",
            "GET /api/v1/exams/progress",
        ),
        "owner_only rows: the user's own, whatever their roles",
    ),
    **dict.fromkeys(
        (
            "places:tree",
            "GET /api/v1/places/tree",
            "GET /api/v1/places/communities",
            "GET /api/v1/cases/target-groups",
        ),
        "reference data every signed-in user reads (everyone_views)",
    ),
    **dict.fromkeys(
        (
            "core:audit",
            "core:audit_access",
            "GET /api/v1/audit/changes",
            "GET /api/v1/audit/access",
        ),
        "the auditor reads the whole district's trail, and nobody else reaches it",
    ),
    **dict.fromkeys(
        ("core:calendar", "GET /api/v1/calendar/days"),
        "the national holiday calendar: no rows of any place, agency or person",
    ),
    **dict.fromkeys(
        ("GET /api/v1/resources/wishes/public",),
        "public by design: open small wishes, the resident anonymised, no contact or person",
    ),
    # The referral inbox shows referrals: it needs a sentinel kind of its own.
    **dict.fromkeys(
        (
            "cases:referrals",
            "GET /api/v1/cases/referrals/inbox",
        ),
        "no sentinel kind yet",
    ),
    "volunteers:me": "a redirect to the volunteer's own profile",
    **dict.fromkeys(
        ("volunteers:shifts", "GET /api/v1/volunteers/shifts"),
        "upcoming shifts of the district, open to its volunteers: nobody's personal rows",
    ),
    "GET /api/v1/volunteers/me": "the caller's own profile",
    **dict.fromkeys(
        (
            "training:classes",
            "training:class_export",
            "training:courses",
            "training:teachers",
            "training:teacher_export",
            "GET /api/v1/training/classes",
            "GET /api/v1/training/courses",
            "GET /api/v1/training/teachers",
            "GET /api/v1/training/open-classes",
        ),
        "the academy's catalogue and teacher pool, public or district-wide: nobody's own rows",
    ),
    **dict.fromkeys(
        (
            "training:sites",
            "GET /api/v1/training/sites",
            "training:figures",
            "GET /api/v1/training/figures",
        ),
        "the academy's sites and counts: a coordinator's own site is checked in training's tests",
    ),
    **dict.fromkeys(("training:mine", "GET /api/v1/training/mine"), "the caller's own enrolments"),
    **dict.fromkeys(
        (
            "training:enrol",
            "training:class_create",
            "training:course_create",
            "training:teacher_create",
            "training:site_create",
        ),
        "a form: no rows of others",
    ),
    **dict.fromkeys(
        ("exams:questions", "exams:question_export", "GET /api/v1/exams/questions"),
        "the district's one question bank, kept by its training administrator alone: no "
        "rows of another scope exist to leak, and no personal data",
    ),
    **dict.fromkeys(
        (
            "talent:me",
            "talent:qualify",
            "GET /api/v1/talent/me",
            "GET /api/v1/talent/me/eligibility",
        ),
        "the caller's own talent profile and what it qualifies for",
    ),
    "talent:cpd_new": "a form for the caller's own hours",
    "talent:profile_create": "a form: its choices are the keeper's people, agencies and logins",
    "talent:policy_create": "a form",
    **dict.fromkeys(
        ("talent:policy_list", "GET /api/v1/talent/policies"),
        "policies are public to every signed-in user (everyone_views)",
    ),
    **dict.fromkeys(
        ("talent:notices", "GET /api/v1/talent/notices"),
        "public by design: the 公示 list, names masked, no contact or ID",
    ),
}

LISTS = {name: rule for name, rule in {**PAGES, **API}.items() if rule.lists}


def test_every_list_says_what_it_shows():
    unclaimed = sorted(
        name
        for name, rule in {**PAGES, **API}.items()
        if (name.startswith("GET ") if name in API else rule.method == "GET")
        and not rule.kwargs
        and not rule.lists
        and name not in NOT_LISTS
    )
    assert unclaimed == [], "declare lists=Listing(...) or say in NOT_LISTS why not"
    assert sorted(NOT_LISTS.keys() & LISTS.keys()) == []


@pytest.fixture(scope="module")
def sentinels(module_data, django_db_blocker):
    with django_db_blocker.unblock():
        return _make_sentinels(module_data)


def _make_sentinels(world) -> list:
    from shegong.accounts.tests.matrix import user_sentinels
    from shegong.activities.tests.matrix import activity_sentinels
    from shegong.agencies.tests.matrix import agency_sentinels
    from shegong.cases.tests.matrix import case_sentinels
    from shegong.exams.tests.matrix import exam_sentinels
    from shegong.funds.tests.matrix import fund_sentinels
    from shegong.pairing.tests.matrix import pairing_sentinels
    from shegong.park.tests.matrix import park_sentinels
    from shegong.people.tests.matrix import people_sentinels
    from shegong.purchasing.tests.matrix import purchasing_sentinels
    from shegong.resources.tests.matrix import resource_sentinels
    from shegong.talent.tests.matrix import talent_sentinels
    from shegong.training.tests.matrix import training_sentinels
    from shegong.volunteers.tests.matrix import volunteer_sentinels

    people, person_marks = people_sentinels(world)
    return [
        *person_marks,
        *case_sentinels(world, people),
        *agency_sentinels(world),
        *user_sentinels(world),
        *fund_sentinels(world),
        *pairing_sentinels(world),
        *activity_sentinels(world),
        *resource_sentinels(world),
        *volunteer_sentinels(world),
        *park_sentinels(world),
        *training_sentinels(world),
        *exam_sentinels(world),
        *talent_sentinels(world),
        *purchasing_sentinels(world),
    ]


def getter(world, persona: str, name: str):
    """``get(params)`` for one persona: a logged-in page client or a bearer-token API client."""
    from shegong.accounts.services import token_issue

    client = Client()
    if name in API:
        _token, raw = token_issue(user=world.users[persona])
        path = name.split(" ", 1)[1]
        return lambda params: client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.force_login(world.users[persona])
    url = reverse(name) if ":" in name or name in PAGES else name
    return lambda params: client.get(url, params)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_lists_searches_and_exports_hold_nothing_out_of_scope(name, world, sentinels):
    rule = LISTS[name]
    api = name in API
    problems = []
    for persona in sorted(rule.allowed):
        get = getter(world, persona, name)
        problems += listing_problems(get, persona, rule.lists, sentinels, api=api)
    assert problems == [], name
    # The marks are real: whoever may see a sentinel finds it through this list.
    for sentinel in sentinels:
        if sentinel.kind != rule.lists.kind:
            continue
        for persona in sorted(sentinel.visible_to & rule.allowed)[:1]:
            get = getter(world, persona, name)
            assert listing_shows(get, persona, rule.lists, sentinel, api=api), (
                f"{persona} cannot find {sentinel.key}: its marks do not match the list"
            )


@pytest.mark.urls("tests.leaky_urls")
def test_the_matrix_catches_a_list_that_leaks(world, sentinels):
    """A people list behind a login but outside the scope (``Person.objects.all()``) passes
    any status-code check; the sentinel check must fail it, and pass the scoped twin."""
    listing = Listing("person")
    for url, leaks in (("/leaky/people/", True), ("/scoped/people/", False)):
        problems = []
        for persona in sorted(PEOPLE_ROLES):
            client = logged_in(world, persona)
            get = lambda params, client=client, url=url: client.get(url, params)  # noqa: E731
            problems += listing_problems(get, persona, listing, sentinels, api=False)
        assert bool(problems) is leaks, (url, problems)
    # It is caught for the right reason: agency A's worker finds both of agency B's people,
    # unfiltered and by name, ID number and mobile (the people search does not match numbers).
    client = logged_in(world, "social_worker")
    get = lambda params: client.get("/leaky/people/", params)  # noqa: E731
    found = listing_problems(get, "social_worker", listing, sentinels, api=False)
    assert len(found) == 2 * 4, found
