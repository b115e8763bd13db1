"""Factories for the incubation park, built through the services, so every contract's rent and
free months are what the services fix.

    park = ParkFactory()                           # a park in 兴隆社区, run by district_admin
    unit = UnitFactory(park=park, code="A101")     # 20 m² at 50 yuan/m² = 1,000 yuan a month
    contract = ContractFactory(units=[unit], agency=world.agency_a)   # a draft
"""

import datetime
from decimal import Decimal

import factory

from shegong.accounts.models import User
from shegong.park.models import Contract, Park, Unit
from shegong.park.services import contract_create, park_create, unit_create
from shegong.places.demo import HOME_COMMUNITY
from shegong.places.models import Community


def demo_user(username: str = "district_admin") -> User:
    return User.objects.get(username=username)


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park

    community = factory.LazyFunction(lambda: Community.objects.get(name=HOME_COMMUNITY))
    name = factory.Sequence(lambda n: f"测试服务园{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return park_create(actor=demo_user(), **kwargs)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    park = factory.SubFactory(ParkFactory)
    code = factory.Sequence(lambda n: f"U{n:03d}")
    floor = 2
    area = Decimal("20.00")
    rent_basis = "per_m2"
    rent_rate = Decimal("50.00")

    @classmethod
    def _create(cls, model_class, *args, park, **kwargs):
        return unit_create(actor=demo_user(), park=park, **kwargs)


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    tenant_name = "测试孵化团队"
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2028, 12, 31)

    @classmethod
    def _create(cls, model_class, *args, units=None, park=None, **kwargs):
        if units is None:
            units = [UnitFactory(park=park) if park else UnitFactory()]
        return contract_create(actor=demo_user(), park=units[0].park, units=units, **kwargs)
