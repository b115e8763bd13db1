from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from shegong.notifications.models import Notification
from shegong.notifications.selectors import notification_list
from shegong.notifications.services import notification_mark_read, notifications_mark_all_read

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    message: str
    link: str
    created_at: datetime
    read_at: datetime | None
    is_read: bool


class ReadAllOut(Schema):
    updated: int


@router.get("", response=list[NotificationOut], summary="My notifications, unread first")
@paginate
def list_notifications(request, unread: bool = False):
    return notification_list(request.auth, only_unread=unread)


@router.post("/read-all", response=ReadAllOut, summary="Mark all my notifications read")
def read_all(request):
    return {"updated": notifications_mark_all_read(actor=request.auth)}


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark one read")
def read_one(request, notification_id: int):
    notification = Notification.objects.get_for_user_or_404(request.auth, pk=notification_id)
    return notification_mark_read(actor=request.auth, notification=notification)
