"""Who qualifies for which policy, and why: facts for many people in a constant number of
queries, then every criterion evaluated in Python.

``load_facts`` reads five queries whatever the number of people (profiles, qualifications,
titles, employments, amounts received); ``evaluate_policy`` runs a policy's criteria, its caps
and its amount table over one person's facts. The "what do I qualify for" page, the review
queue's eligibility column and the submission snapshot all go through here, so they agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from shegong.talent import criteria
from shegong.talent.choices import (
    COMMITTED_STATUSES,
    LEVEL_RANK,
    AmountBasis,
    Level,
    PaymentMode,
    PolicyKind,
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
    received = (
        rows(Application.objects.filter(status__in=COMMITTED_STATUSES))
        .annotate(notice_year=ExtractYear("notice_starts"))
        .values_list("profile_id", "policy_id", "notice_year")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for profile_id, policy_id, year, total in received:
        if profile_id in facts:
            person = facts[profile_id]
            person.received[policy_id] = person.received.get(policy_id, Decimal("0")) + total
            person.received_by_year[(policy_id, year)] = total
    return facts


def policies_with_criteria(queryset=None) -> list[Policy]:
    """Policies with their criteria, in two queries."""
    queryset = Policy.objects.all() if queryset is None else queryset
    return list(queryset.prefetch_related("criteria"))


def _best_level(facts: Facts, taiwan_as: str) -> str:
    best, best_level = 0, ""
    for level, _obtained in facts.qualifications:
        counted = taiwan_as if level == Level.TAIWAN else level
        if LEVEL_RANK.get(counted, 0) > best:
            best, best_level = LEVEL_RANK[counted], counted
    return best_level


def _best_title(facts: Facts, year: int) -> str:
    held = [t for t, _tier, first, last in facts.titles if first <= year <= last]
    return max(held, key=lambda t: TITLE_RANK.get(t, 0), default="")


def amount_for(policy: Policy, facts: Facts, today: datetime.date) -> Decimal:
    """What this person would receive in all: the amount table's entry for their level or
    title (or the flat amount), times the months of a monthly policy."""
    table = policy.amounts or {}
    if policy.amount_basis == AmountBasis.LEVEL:
        taiwan_as = next(
            (
                c.params.get("taiwan_as", "")
                for c in policy.criteria.all()
                if c.kind == criteria.QualificationAtLeast.code
            ),
            "",
        )
        key = _best_level(facts, taiwan_as)
    elif policy.amount_basis == AmountBasis.TITLE:
        key = _best_title(facts, today.year)
    else:
        key = "flat"
    each = Decimal(str(table.get(key, "0")))
    months = policy.months if policy.payment_mode == PaymentMode.MONTHLY else 1
    return each * months


def evaluate_policy(
    policy: Policy, facts: Facts, today: datetime.date, *, window: bool = True
) -> Eligibility:
    amount = amount_for(policy, facts, today)
    ctx = Context(today=today, policy_id=policy.pk, amount=amount)
    verdicts = [criteria.evaluate(c.kind, c.params, facts, ctx) for c in policy.criteria.all()]
    received = facts.received.get(policy.pk, Decimal("0"))
    if policy.lifetime_cap is not None:
        passed = received + amount <= policy.lifetime_cap
        verdicts.append(
            Verdict(
                "lifetime_cap",
                passed,
                _(
                    "You have received %(received)s yuan under this "
                    "policy; the lifetime cap is %(cap)s yuan."
                )
                % {"received": received, "cap": policy.lifetime_cap},
            )
        )
    if policy.annual_cap is not None:
        this_year = facts.received_by_year.get((policy.pk, today.year), Decimal("0"))
        verdicts.append(
            Verdict(
                "annual_cap",
                this_year + amount <= policy.annual_cap,
                _("You have received %(received)s yuan this year; the annual cap is %(cap)s yuan.")
                % {"received": this_year, "cap": policy.annual_cap},
            )
        )
    if policy.kind == PolicyKind.SUBSIDY and amount <= 0:
        verdicts.append(
            Verdict("amount", False, _("The policy's amount table has no amount for you."))
        )
    if window:
        verdicts.append(window_verdict(policy, today))
    return Eligibility(policy, all(v.passed for v in verdicts), amount, tuple(verdicts))


def window_verdict(policy: Policy, today: datetime.date) -> Verdict:
    if today < policy.opens_on:
        return Verdict(
            "window", False, _("Applications open on %(date)s.") % {"date": policy.opens_on}
        )
    if today > policy.closes_on:
        return Verdict(
            "window", False, _("Applications closed on %(date)s.") % {"date": policy.closes_on}
        )
    return Verdict(
        "window", True, _("Applications are open until %(date)s.") % {"date": policy.closes_on}
    )


def evaluate_many(
    policies: list[Policy], facts: dict[int, Facts], today: datetime.date, *, window=True
) -> dict[tuple[int, int], Eligibility]:
    """Every (profile, policy) pair, keyed so; no query (the facts and criteria are loaded)."""
    return {
        (profile_id, policy.pk): evaluate_policy(policy, person, today, window=window)
        for profile_id, person in facts.items()
        for policy in policies
    }


def eligibility_for_profile(profile: TalentProfile, policies: list[Policy], today) -> list:
    facts = load_facts([profile.pk], district_id=_district_of(policies, profile))
    person = facts[profile.pk]
    return [evaluate_policy(policy, person, today) for policy in policies]


def _district_of(policies: list[Policy], profile: TalentProfile) -> int | None:
    if policies:
        return policies[0].district_id
    return profile.community.street.district_id if profile.community_id else None
