import factory

from shegong.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    """A notification; ``user`` must be passed (a User)."""

    class Meta:
        model = Notification

    message = factory.Sequence(lambda n: f"您有一条新的待办事项 {n + 1}")
    link = "/"
