"""Pairing agreements built through the services: created by the district administrator,
with one commitment per side, and (``active=True``, the default) activated."""

import datetime

import factory
from django.utils import timezone

from shegong.accounts.models import User
from shegong.agencies.models import Agency
from shegong.pairing import services, state
from shegong.pairing.choices import Side
from shegong.pairing.models import PairingAgreement
from shegong.places.demo import HOME_COMMUNITY
from shegong.places.models import Community


def demo_user(username: str) -> User:
    return User.objects.get(username=username)


def default_commitments():
    today = timezone.localdate()
    return [
        {"text": "提供活动场地", "side": Side.COMMUNITY, "due_on": today - datetime.timedelta(1)},
        {"text": "每月一次活动", "side": Side.AGENCY, "due_on": today - datetime.timedelta(1)},
    ]


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PairingAgreement

    title = factory.Sequence(lambda n: f"结对共建协议{n}")
    community = factory.LazyFunction(lambda: Community.objects.get(name=HOME_COMMUNITY))
    agency = factory.LazyFunction(lambda: Agency.objects.order_by("pk").first())
    starts_on = factory.LazyFunction(lambda: datetime.date(timezone.localdate().year - 1, 1, 1))
    ends_on = factory.LazyFunction(lambda: datetime.date(timezone.localdate().year + 1, 12, 31))
    goals = "共建社区服务阵地"
    commitments = factory.LazyFunction(default_commitments)

    @classmethod
    def _create(cls, model_class, *args, active=True, actor=None, **kwargs):
        actor = actor or demo_user("district_admin")
        agreement = services.agreement_create(actor=actor, **kwargs)
        if active:
            services.agreement_transition(actor=actor, agreement=agreement, action=state.ACTIVATE)
        return agreement
