"""Seed the working-day calendar with the State Council's schedules for 2024–2026 (the years
``core/holidays.py`` holds, each from its published notice)."""

from django.db import migrations

YEARS = (2024, 2025, 2026)


def seed(apps, schema_editor):
    from shegong.core.holidays import seed_years

    seed_years(apps.get_model("core", "CalendarDay"), YEARS)


def unseed(apps, schema_editor):
    from shegong.core.holidays import days_of

    dates = [day for year in YEARS for day, _kind, _name in days_of(year)]
    apps.get_model("core", "CalendarDay").objects.filter(date__in=dates).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0008_calendar_day")]

    operations = [migrations.RunPython(seed, unseed)]
