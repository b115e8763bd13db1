"""Factories for charity funds, built through the services (fund_open, donation_record,
disbursement_record), so every fund's balance and receipt numbers are what the services keep.

    fund = FundFactory()                                 # 兴隆社区's fund, opened by its staff
    fund = FundFactory(community=other, actor=None)      # another community's (system actor)
    DonationFactory(fund=fund, amount=Decimal("100"))
"""

from decimal import Decimal

import factory
from django.utils import timezone

from shegong.accounts.models import User
from shegong.funds.models import Entry, Fund
from shegong.funds.services import disbursement_record, donation_record, fund_open
from shegong.places.demo import HOME_COMMUNITY
from shegong.places.models import Community

DEFAULT = object()


def demo_user(username: str) -> User:
    return User.objects.get(username=username)


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    community = factory.LazyFunction(lambda: Community.objects.get(name=HOME_COMMUNITY))
    name = ""

    @classmethod
    def _create(cls, model_class, *args, actor=DEFAULT, **kwargs):
        if actor is DEFAULT:
            actor = demo_user("community_staff")
        return fund_open(actor=actor, **kwargs) if actor else _system_open(**kwargs)


def _system_open(*, community, name=""):
    # fund_open asks for an opener; the system (a command, a test) opens directly, validated.
    from shegong.core.validators import validated_create

    return validated_create(Fund, community=community, name=name or f"{community.name}慈善基金")


class DonationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    fund = factory.SubFactory(FundFactory)
    donor_name = factory.Sequence(lambda n: f"捐赠人{n}")
    amount = Decimal("100.00")
    occurred_on = factory.LazyFunction(timezone.localdate)

    @classmethod
    def _create(cls, model_class, *args, actor=DEFAULT, **kwargs):
        if actor is DEFAULT:
            actor = demo_user("community_staff")
        return donation_record(actor=actor, **kwargs)


class DisbursementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    fund = factory.SubFactory(FundFactory)
    purpose = factory.Sequence(lambda n: f"用途{n}")
    amount = Decimal("10.00")
    occurred_on = factory.LazyFunction(timezone.localdate)

    @classmethod
    def _create(cls, model_class, *args, actor=DEFAULT, **kwargs):
        if actor is DEFAULT:
            actor = demo_user("community_staff")
        return disbursement_record(actor=actor, **kwargs)
