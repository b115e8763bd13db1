"""Tokens made before every token expired get the default lifetime, counted from now."""

import datetime

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def expire_unlimited(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    expires_at = timezone.now() + datetime.timedelta(days=settings.SHEGONG_API_TOKEN_DAYS)
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=expires_at)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_created_by")]

    operations = [migrations.RunPython(expire_unlimited, migrations.RunPython.noop)]
