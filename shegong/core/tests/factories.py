import factory

from shegong.core.models import AccessLog


class AccessLogFactory(factory.django.DjangoModelFactory):
    """An access-log row; ``user`` must be passed (a User)."""

    class Meta:
        model = AccessLog

    action = AccessLog.Action.UNMASK
    object_type = "people.Person"
    object_id = factory.Sequence(lambda n: str(n + 1))
    object_label = factory.Sequence(lambda n: f"居民{n + 1}")
    detail = "id_number"
    ip_address = "10.0.0.8"
