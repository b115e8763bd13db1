"""Who qualifies for which policy, and why: facts for many people in a constant number of
queries, then every criterion evaluated in Python.

``load_facts`` reads five queries whatever the number of people (profiles, qualifications,
titles, employments, amounts received), ``load_agency_facts`` three whatever the number of
organisations (agencies, park tenancies, amounts received); ``evaluate_policy`` runs a
policy's criteria, its caps and its amount table over one applicant's facts. The "what do I
qualify for" page, the review queue's eligibility column and the submission snapshot all go
through here, so they agree.
"""

from __future__ import annotations

import datetime
import gc
from dataclasses import dataclass
from decimal import Decimal

from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from shegong.core.money import MoneySum
from shegong.talent import criteria
from shegong.talent.choices import (
    ACTIVE_STATUSES,
    COMMITTED_STATUSES,
    LEVEL_RANK,
    AmountBasis,
    ApplicantKind,
    PaymentMode,
    PolicyKind,
    QualificationLevel,
    Title,
)
from shegong.talent.criteria import Context, Facts, Verdict
from shegong.talent.models import (
    Application,
    Employment,
    Policy,
    Qualification,
    TalentProfile,
    TitleGrant,
)

TITLE_RANK = {Title.TOP: 1, Title.LEADING: 2}


@dataclass(frozen=True)
class Eligibility:
    policy: Policy
    eligible: bool
    amount: Decimal
    verdicts: tuple[Verdict, ...]

    @property
    def reasons(self) -> list[Verdict]:
        """The verdicts that decide: the failures when refused, all of them when eligible."""
        failed = [v for v in self.verdicts if not v.passed]
        return failed or list(self.verdicts)

    def snapshot(self) -> list[dict]:
        return [v.as_dict() for v in self.verdicts]


def load_facts(profile_ids: list[int] | None, *, district_id: int) -> dict[int, Facts]:
    """Facts of the given profiles (``None``: every profile), keyed by profile id, in five
    queries however many there are."""

    def rows(queryset, field="profile_id"):
        if profile_ids is None:
            return queryset
        return queryset.filter(**{f"{field}__in": profile_ids})

    facts: dict[int, Facts] = {}
    for row in rows(TalentProfile.objects.all(), "pk").values_list(
        "pk",
        "person_id",
        "person__birth_date",
        "person__id_type",
        "business_name",
        "business_community__street__district_id",
    ):
        pk, person_id, birth, id_type, business, business_district = row
        facts[pk] = Facts(
            person_id=person_id,
            profile_id=pk,
            birth_date=birth,
            id_type=id_type,
            business_name=business,
            business_in_district=business_district == district_id,
        )
    for profile_id, level, obtained in rows(Qualification.objects.all()).values_list(
        "profile_id", "level", "obtained_on"
    ):
        if profile_id in facts:
            facts[profile_id].qualifications.append((level, obtained))
    for profile_id, title, tier, year, years in rows(TitleGrant.objects.all()).values_list(
        "profile_id", "title", "tier", "year", "years"
    ):
        if profile_id in facts:
            facts[profile_id].titles.append((title, tier, year, year + years - 1))
    for profile_id, agency, agency_district, started, ended in rows(
        Employment.objects.all()
    ).values_list(
        "profile_id",
        "agency__name",
        "agency__community__street__district_id",
        "started_on",
        "ended_on",
    ):
        if profile_id in facts:
            facts[profile_id].employments.append(
                (agency, agency_district == district_id, started, ended)
            )
    # Every live application of a person, in one grouped query.
    _add_received(
        facts,
        rows(Application.objects.filter(status__in=ACTIVE_STATUSES, profile__isnull=False))
        .annotate(notice_year=ExtractYear("notice_starts"))
        .values_list("profile_id", "policy_id", "status", "notice_year")
        .annotate(total=MoneySum("amount"))
        .order_by(),
    )
    return facts


def load_agency_facts(agency_ids: list[int] | None, *, district_id: int) -> dict[int, Facts]:
    """Facts of organisations applying for themselves (``None``: every agency), keyed by agency
    id, in three queries however many there are: the agencies, their park tenancies (through
    the park's selector) and what their live applications hold."""
    from shegong.agencies.models import Agency
    from shegong.park.selectors import tenancies_of

    agencies = Agency.objects.all()
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=agency_ids)
    facts: dict[int, Facts] = {}
    for pk, name, registered, agency_district in agencies.values_list(
        "pk", "name", "registered_on", "community__street__district_id"
    ):
        facts[pk] = Facts(
            person_id=0,
            profile_id=0,
            agency_id=pk,
            agency_name=name,
            registered_on=registered,
            agency_in_district=agency_district == district_id,
        )
    for agency_id, tenancies in tenancies_of(agency_ids).items():
        if agency_id in facts:
            facts[agency_id].tenancies = tenancies
    received = Application.objects.filter(
        status__in=ACTIVE_STATUSES, applicant_agency__isnull=False
    )
    if agency_ids is not None:
        received = received.filter(applicant_agency_id__in=agency_ids)
    _add_received(
        facts,
        received.annotate(notice_year=ExtractYear("notice_starts"))
        .values_list("applicant_agency_id", "policy_id", "status", "notice_year")
        .annotate(total=MoneySum("amount"))
        .order_by(),
    )
    return facts


def _add_received(facts: dict[int, Facts], rows) -> None:
    """(applicant key, policy, status, notice year, total) rows into the facts: what is
    committed or paid counts against the caps, and any live one says the applicant has
    applied (the page shows its status)."""
    committed = set(COMMITTED_STATUSES)
    for key, policy_id, status, year, total in rows:
        if key not in facts:
            continue
        applicant = facts[key]
        applicant.applied[policy_id] = status
        if status in committed:
            applicant.received[policy_id] = applicant.received.get(policy_id, Decimal("0")) + total
            pair = (policy_id, year)
            applicant.received_by_year[pair] = (
                applicant.received_by_year.get(pair, Decimal("0")) + total
            )


def policies_with_criteria(queryset=None) -> list[Policy]:
    """Policies with their criteria, in two queries."""
    queryset = Policy.objects.all() if queryset is None else queryset
    return list(queryset.prefetch_related("criteria"))


def _best_level(facts: Facts, taiwan_as: str) -> str:
    best, best_level = 0, ""
    for level, _obtained in facts.qualifications:
        counted = taiwan_as if level == QualificationLevel.TAIWAN else level
        if LEVEL_RANK.get(counted, 0) > best:
            best, best_level = LEVEL_RANK[counted], counted
    return best_level


def _best_title(facts: Facts, year: int) -> str:
    held = [t for t, _tier, first, last in facts.titles if first <= year <= last]
    return max(held, key=lambda t: TITLE_RANK.get(t, 0), default="")


def amount_for(policy: Policy, facts: Facts, today: datetime.date) -> Decimal:
    """What this person would receive in all: the amount table's entry for their level or
    title (or the flat amount), times the months of a monthly policy."""
    table, taiwan_as = _table(policy)
    if policy.amount_basis == AmountBasis.LEVEL:
        key = _best_level(facts, taiwan_as)
    elif policy.amount_basis == AmountBasis.TITLE:
        key = _best_title(facts, today.year)
    else:
        key = "flat"
    return table.get(key, ZERO)


ZERO = Decimal("0")


def _rules(policy: Policy) -> list[tuple[str, dict]]:
    """The policy's criteria as (kind, params), read from its prefetched rows once: asking a
    prefetched relation for ``.all()`` builds a queryset each time, which costs more than
    evaluating the criteria."""
    cached = getattr(policy, "_talent_rules", None)
    if cached is None:
        cached = policy._talent_rules = [(c.kind, c.params) for c in policy.criteria.all()]
    return cached


def _table(policy: Policy) -> tuple[dict, str]:
    """The policy's whole amount per key (months included) and what a Taiwan licence counts as,
    worked out once per policy object rather than once per person."""
    cached = getattr(policy, "_talent_table", None)
    if cached is None:
        months = policy.months if policy.payment_mode == PaymentMode.MONTHLY else 1
        table = {key: Decimal(str(value)) * months for key, value in (policy.amounts or {}).items()}
        taiwan_as = next(
            (
                params.get("taiwan_as", "")
                for kind, params in _rules(policy)
                if kind == criteria.QualificationAtLeast.code
            ),
            "",
        )
        cached = policy._talent_table = (table, taiwan_as)
    return cached


def evaluate_policy(
    policy: Policy, facts: Facts, today: datetime.date, *, window: bool = True
) -> Eligibility:
    amount = amount_for(policy, facts, today)
    ctx = Context(today=today, policy_id=policy.pk, amount=amount)
    verdicts = [criteria.evaluate(kind, params, facts, ctx) for kind, params in _rules(policy)]
    received = facts.received.get(policy.pk, Decimal("0"))
    if policy.lifetime_cap is not None:
        passed = received + amount <= policy.lifetime_cap
        verdicts.append(
            Verdict(
                "lifetime_cap",
                passed,
                lambda: (
                    _(
                        "You have received %(received)s yuan under this "
                        "policy; the lifetime cap is %(cap)s yuan."
                    )
                    % {"received": received, "cap": policy.lifetime_cap}
                ),
            )
        )
    if policy.annual_cap is not None:
        this_year = facts.received_by_year.get((policy.pk, today.year), Decimal("0"))
        verdicts.append(
            Verdict(
                "annual_cap",
                this_year + amount <= policy.annual_cap,
                lambda: (
                    _(
                        "You have received %(received)s yuan this year; "
                        "the annual cap is %(cap)s yuan."
                    )
                    % {"received": this_year, "cap": policy.annual_cap}
                ),
            )
        )
    if policy.kind == PolicyKind.SUBSIDY and amount <= 0:
        verdicts.append(
            Verdict("amount", False, lambda: _("The policy's amount table has no amount for you."))
        )
    if window:
        verdicts.append(window_verdict(policy, today))
    return Eligibility(policy, all(v.passed for v in verdicts), amount, tuple(verdicts))


def window_verdict(policy: Policy, today: datetime.date) -> Verdict:
    if today < policy.opens_on:
        return Verdict(
            "window", False, lambda: _("Applications open on %(date)s.") % {"date": policy.opens_on}
        )
    if today > policy.closes_on:
        return Verdict(
            "window",
            False,
            lambda: _("Applications closed on %(date)s.") % {"date": policy.closes_on},
        )
    return Verdict(
        "window",
        True,
        lambda: _("Applications are open until %(date)s.") % {"date": policy.closes_on},
    )


def for_organisations(policy: Policy) -> bool:
    return policy.applicant_kind == ApplicantKind.ORGANISATION


def evaluate_many(
    policies: list[Policy],
    facts: dict[int, Facts],
    today: datetime.date,
    *,
    window=True,
    organisations=False,
) -> dict[tuple[int, int], Eligibility]:
    """Every (profile, policy) pair, keyed so; no query (the facts and criteria are loaded).
    ``organisations``: the facts are agencies' (``load_agency_facts``), the pairs (agency,
    policy), over the policies for organisations; otherwise people's, over the other policies.

    The cyclic garbage collector is paused meanwhile: the batch builds tens of thousands of small
    acyclic objects (verdicts and their deferred sentences), and the collections their number
    sets off would otherwise scan every one of them again and again, for nothing."""
    policies = [p for p in policies if for_organisations(p) == organisations]
    enabled = gc.isenabled()
    gc.disable()
    try:
        return {
            (key, policy.pk): evaluate_policy(policy, applicant, today, window=window)
            for key, applicant in facts.items()
            for policy in policies
        }
    finally:
        if enabled:
            gc.enable()


def eligibility_for_profile(profile: TalentProfile, policies: list[Policy], today) -> list:
    facts = load_facts([profile.pk], district_id=_district_of(policies, profile))
    person = facts[profile.pk]
    return [evaluate_policy(policy, person, today) for policy in policies]


def _district_of(policies: list[Policy], profile: TalentProfile) -> int | None:
    if policies:
        return policies[0].district_id
    return profile.community.street.district_id if profile.community_id else None
