"""Each criterion at its boundaries, and the sentences it says for pass and fail. Pure: no
database, facts built by hand."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from shegong.talent.criteria import (
    KINDS,
    Context,
    Facts,
    age_on,
    clean_criterion,
    evaluate,
    months_between,
)

TODAY = datetime.date(2026, 12, 1)
CTX = Context(today=TODAY, policy_id=1, amount=Decimal("5000"))


def facts(**kw) -> Facts:
    return Facts(person_id=1, profile_id=1, **kw)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


LEVELS = ["assistant", "intermediate", "senior"]


@given(held=st.sampled_from(LEVELS), needed=st.sampled_from(LEVELS))
def test_qualification_passes_exactly_at_or_above_the_level(held, needed):
    verdict = evaluate(
        "qualification_min",
        {"level": needed, "taiwan_as": ""},
        facts(qualifications=[(held, datetime.date(2020, 1, 1))]),
        CTX,
    )
    assert verdict.passed is (LEVELS.index(held) >= LEVELS.index(needed))


def test_qualification_sentences():
    passed = evaluate(
        "qualification_min",
        {"level": "intermediate", "taiwan_as": ""},
        facts(qualifications=[("senior", datetime.date(2020, 1, 1))]),
        CTX,
    )
    assert passed.passed and "高级社会工作师" in passed.text and "社会工作师" in passed.text
    failed = evaluate(
        "qualification_min",
        {"level": "intermediate", "taiwan_as": ""},
        facts(qualifications=[("assistant", datetime.date(2020, 1, 1))]),
        CTX,
    )
    assert not failed.passed
    assert failed.text == "您持有助理社会工作师；本政策要求社会工作师或以上。"
    none = evaluate("qualification_min", {"level": "assistant"}, facts(), CTX)
    assert not none.passed and "没有" in none.text


def test_a_taiwan_licence_counts_only_as_the_policy_says():
    taiwan = facts(qualifications=[("taiwan", datetime.date(2019, 1, 1))])
    assert not evaluate(
        "qualification_min", {"level": "assistant", "taiwan_as": ""}, taiwan, CTX
    ).passed
    assert evaluate(
        "qualification_min", {"level": "intermediate", "taiwan_as": "intermediate"}, taiwan, CTX
    ).passed


def test_a_certificate_dated_after_today_does_not_count():
    later = facts(qualifications=[("senior", TODAY + datetime.timedelta(days=1))])
    assert not evaluate("qualification_min", {"level": "assistant"}, later, CTX).passed


@given(months=st.integers(min_value=0, max_value=120), needed=st.integers(0, 120))
def test_employment_passes_from_the_month_it_reaches(months, needed):
    started = datetime.date(TODAY.year - (months // 12), TODAY.month, TODAY.day)
    # Walk back the remaining months.
    month = TODAY.month - months % 12
    year = started.year
    if month <= 0:
        month += 12
        year -= 1
    started = datetime.date(year, month, 1)
    held = months_between(started, TODAY)
    verdict = evaluate(
        "employed_months",
        {"months": needed},
        facts(employments=[("开心社工", True, started, None)]),
        CTX,
    )
    assert verdict.passed is (held >= needed)


def test_employment_boundary_day_by_day():
    one_year_ago = datetime.date(2025, 12, 1)
    a_day_short = datetime.date(2025, 12, 2)
    params = {"months": 12}
    ok = evaluate(
        "employed_months", params, facts(employments=[("A", True, one_year_ago, None)]), CTX
    )
    short = evaluate(
        "employed_months", params, facts(employments=[("A", True, a_day_short, None)]), CTX
    )
    assert ok.passed and ok.text == "您已在A工作12个月（要求12个月）。"
    assert not short.passed and short.text == "您已在A工作11个月；本政策要求12个月。"


def test_employment_outside_the_district_or_ended_does_not_count():
    params = {"months": 1}
    outside = facts(employments=[("外区机构", False, datetime.date(2015, 1, 1), None)])
    ended = facts(employments=[("A", True, datetime.date(2015, 1, 1), datetime.date(2020, 1, 1))])
    for person in (outside, ended):
        verdict = evaluate("employed_months", params, person, CTX)
        assert not verdict.passed
        assert "未受雇于本区登记的机构" in verdict.text


@given(
    age_limit=st.integers(16, 100),
    birth=st.dates(datetime.date(1930, 1, 1), datetime.date(2008, 12, 31)),
)
def test_age_passes_up_to_and_including_the_limit(age_limit, birth):
    verdict = evaluate("age_max", {"age": age_limit}, facts(birth_date=birth), CTX)
    assert verdict.passed is (age_on(birth, TODAY) <= age_limit)


def test_age_boundary_on_the_birthday():
    turns_36_today = datetime.date(1990, 12, 1)
    turns_36_tomorrow = datetime.date(1990, 12, 2)
    assert not evaluate("age_max", {"age": 35}, facts(birth_date=turns_36_today), CTX).passed
    verdict = evaluate("age_max", {"age": 35}, facts(birth_date=turns_36_tomorrow), CTX)
    assert verdict.passed and verdict.text == "您今年35岁，在35岁的上限之内。"
    unknown = evaluate("age_max", {"age": 35}, facts(), CTX)
    assert not unknown.passed and "出生日期" in unknown.text


def test_title_held_within_its_years_only():
    params = {"titles": ["leading"], "tiers": ["city", "district"]}
    valid = facts(titles=[("leading", "city", 2024, 2026)])
    expired = facts(titles=[("leading", "city", 2021, 2025)])
    other = facts(titles=[("top", "district", 2026, 2028)])
    verdict = evaluate("title_held", params, valid, CTX)
    assert verdict.passed and "2026" in verdict.text
    assert not evaluate("title_held", params, expired, CTX).passed
    refused = evaluate("title_held", params, other, CTX)
    assert not refused.passed and "领军人才" in refused.text


@given(received=st.decimals(0, 30000, places=2), cap=st.decimals(0, 30000, places=2))
def test_cumulative_cap_passes_while_the_total_fits(received, cap):
    verdict = evaluate("cumulative_cap", {"cap": str(cap)}, facts(received={1: received}), CTX)
    assert verdict.passed is (received + CTX.amount <= cap)


def test_not_paid_before():
    assert evaluate("not_paid_before", {}, facts(), CTX).passed
    verdict = evaluate("not_paid_before", {}, facts(received={1: Decimal("5000")}), CTX)
    assert not verdict.passed and "5000" in verdict.text
    # Paid under another policy: does not count here.
    assert evaluate("not_paid_before", {}, facts(received={2: Decimal("5000")}), CTX).passed


def test_taiwan_permit_and_business_in_district():
    assert evaluate("taiwan_permit", {}, facts(id_type="tw_permit"), CTX).passed
    refused = evaluate("taiwan_permit", {}, facts(id_type="resident_id"), CTX)
    assert not refused.passed and "台湾居民居住证" in refused.text
    ok = evaluate(
        "business_in_district", {}, facts(business_in_district=True, business_name="台青咖啡"), CTX
    )
    assert ok.passed and "台青咖啡" in ok.text
    assert not evaluate("business_in_district", {}, facts(), CTX).passed


@pytest.mark.parametrize(
    "kind,params,field",
    [
        ("qualification_min", {"level": "expert"}, "params.level"),
        ("employed_months", {"months": "twelve"}, "params.months"),
        ("employed_months", {"months": -1}, "params.months"),
        ("employed_months", {"months": True}, "params.months"),
        ("age_max", {"age": 500}, "params.age"),
        ("cumulative_cap", {"cap": "1e999"}, "params.cap"),
        ("cumulative_cap", {"cap": "12.345"}, "params.cap"),
        ("title_held", {"titles": ["king"]}, "params.titles"),
        # JSON lists and objects where a word belongs: a field error, not a server error.
        ("qualification_min", {"level": ["assistant"]}, "params.level"),
        ("qualification_min", {"level": {"a": 1}}, "params.level"),
        ("qualification_min", {"level": "assistant", "taiwan_as": ["senior"]}, "params.taiwan_as"),
        ("title_held", {"titles": [["leading"]]}, "params.titles"),
        ("title_held", {"titles": ["leading"], "tiers": [{"a": 1}]}, "params.tiers"),
        ("__import__('os')", {}, "kind"),
    ],
)
def test_bad_parameters_are_refused_by_name(kind, params, field):
    with pytest.raises(ValidationError) as error:
        clean_criterion(kind, params)
    assert field in error.value.message_dict


def test_every_kind_explains_itself_both_ways():
    rich = facts(
        birth_date=datetime.date(1995, 1, 1),
        id_type="tw_permit",
        qualifications=[("senior", datetime.date(2015, 1, 1))],
        titles=[("leading", "city", 2026, 2028)],
        employments=[("A", True, datetime.date(2015, 1, 1), None)],
        business_in_district=True,
        business_name="B",
        agency_name="C",
        registered_on=datetime.date(2015, 1, 1),
        agency_in_district=True,
        tenancies=[("P", datetime.date(2025, 1, 1), datetime.date(2027, 12, 31))],
    )
    poor = facts(received={1: Decimal("99999")}, agency_name="D", agency_in_district=True)
    for code, kind in KINDS.items():
        params = kind.clean({"level": "assistant", "months": 12, "age": 35, "cap": "20000"})
        ok, no = evaluate(code, params, rich, CTX), evaluate(code, params, poor, CTX)
        assert ok.passed and not no.passed, code
        assert ok.text and no.text and ok.text != no.text, code


def test_a_negative_zero_cap_is_kept_as_zero():
    assert clean_criterion("cumulative_cap", {"cap": "-0"}) == {"cap": "0.00"}


# --- organisations applying for themselves ------------------------------------------------


def agency(**kw) -> Facts:
    return Facts(person_id=0, profile_id=0, agency_id=7, agency_name="湖里区开心社工中心", **kw)


def registered(months_needed, registered_on, *, in_district=True):
    params = clean_criterion("agency_registered_months", {"months": months_needed})
    return evaluate(
        "agency_registered_months",
        params,
        agency(registered_on=registered_on, agency_in_district=in_district),
        CTX,
    )


def test_an_agency_registered_twelve_months_ago_has_twelve_months():
    # TODAY is 2026-12-01: registered on 2025-12-01 makes 12 months today; a day later, 11.
    twelve = registered(12, datetime.date(2025, 12, 1))
    eleven = registered(12, datetime.date(2025, 12, 2))
    assert twelve.passed
    assert twelve.text == "湖里区开心社工中心于2025-12-01登记，已满12个月（需要12个月）。"
    assert not eleven.passed
    assert eleven.text == "湖里区开心社工中心于2025-12-02登记，已满11个月；本政策要求12个月。"
    assert registered(11, datetime.date(2025, 12, 2)).passed


def test_an_agency_outside_the_district_or_without_a_date_does_not_pass():
    outside = registered(0, datetime.date(2020, 1, 1), in_district=False)
    assert not outside.passed
    assert outside.text == "湖里区开心社工中心不在本区登记。"
    unknown = registered(6, None)
    assert not unknown.passed
    assert "登记日期" in unknown.text and "6" in unknown.text


def tenant(tenancies, on=TODAY):
    ctx = Context(today=on, policy_id=1)
    return evaluate("park_tenant", {}, agency(tenancies=tenancies), ctx)


def test_a_tenant_of_the_park_passes_on_the_days_of_its_contract_only():
    contract = [("湖里区社会组织服务园", datetime.date(2024, 3, 1), datetime.date(2026, 12, 1))]
    inside = tenant(contract)
    assert inside.passed
    assert inside.text == ("湖里区开心社工中心是湖里区社会组织服务园的入驻机构，合同至2026-12-01。")
    # The day after the last day, and the day before the first: not a tenant.
    after = tenant(contract, on=datetime.date(2026, 12, 2))
    assert not after.passed
    assert after.text == "湖里区开心社工中心在2026-12-02没有生效的服务园入驻合同。"
    assert not tenant(contract, on=datetime.date(2024, 2, 29)).passed
    assert tenant(contract, on=datetime.date(2024, 3, 1)).passed
    assert not tenant([]).passed


def test_not_paid_before_judges_an_organisation_by_what_it_received():
    params = clean_criterion("not_paid_before", {})
    assert evaluate("not_paid_before", params, agency(), CTX).passed
    paid = evaluate("not_paid_before", params, agency(received={1: Decimal("12000")}), CTX)
    assert not paid.passed
    assert "12000" in paid.text


def test_criteria_fit_the_applicants_they_can_judge():
    from shegong.talent.criteria import fits_applicant

    assert fits_applicant("park_tenant", "organisation")
    assert not fits_applicant("park_tenant", "worker")
    assert not fits_applicant("qualification_min", "organisation")
    assert fits_applicant("not_paid_before", "organisation")
    assert fits_applicant("not_paid_before", "resident")


def test_a_grant_for_new_organisations_stops_at_its_upper_limit():
    params = clean_criterion("agency_registered_months", {"months": 6, "at_most": 36})
    assert params == {"months": 6, "at_most": 36}
    facts_of = lambda day: agency(registered_on=day, agency_in_district=True)  # noqa: E731
    # TODAY is 2026-12-01: 36 months since 2023-12-01 passes, 37 since 2023-11-01 does not.
    assert evaluate(
        "agency_registered_months", params, facts_of(datetime.date(2023, 12, 1)), CTX
    ).passed
    old = evaluate("agency_registered_months", params, facts_of(datetime.date(2023, 11, 1)), CTX)
    assert not old.passed
    assert old.text == (
        "湖里区开心社工中心于2023-11-01登记，已满37个月；本政策面向登记不超过36个月的机构。"
    )
    with pytest.raises(ValidationError) as error:
        clean_criterion("agency_registered_months", {"months": 12, "at_most": 6})
    assert "params.at_most" in error.value.message_dict


@given(
    days_ago=st.integers(min_value=0, max_value=3000),
    needed=st.integers(0, 60),
    limit=st.one_of(st.none(), st.integers(0, 100)),
)
def test_agency_registration_passes_between_its_bounds(days_ago, needed, limit):
    """Whole months counted as ``months_between`` counts them, passing from ``months`` up to
    ``at_most`` inclusive, whatever the day of registration."""
    registered = TODAY - datetime.timedelta(days=days_ago)
    raw = {"months": needed} if limit is None else {"months": needed, "at_most": limit}
    if limit is not None and limit < needed:
        with pytest.raises(ValidationError):
            clean_criterion("agency_registered_months", raw)
        return
    params = clean_criterion("agency_registered_months", raw)
    verdict = evaluate(
        "agency_registered_months",
        params,
        agency(registered_on=registered, agency_in_district=True),
        CTX,
    )
    held = months_between(registered, TODAY)
    assert verdict.passed is (held >= needed and (limit is None or held <= limit))
    assert f"已满{held}个月" in verdict.text
