import factory
from stdnum.cn import uscc

from shegong.agencies.models import Agency
from shegong.places.models import Community


def valid_uscc(n: int) -> str:
    body = f"52350206MJ{n:07d}"
    return body + uscc.calc_check_digit(body)


def bad_checksum_uscc(n: int = 1) -> str:
    good = valid_uscc(n)
    wrong = next(c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != good[-1])
    return good[:-1] + wrong


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试社工服务中心{n}")
    uscc = factory.Sequence(lambda n: valid_uscc(9000 + n))
    community = factory.LazyFunction(lambda: Community.objects.order_by("code").first())
    contact_name = "联系人"
    contact_phone = "13812345678"
