"""Bring the change history written before case content was kept out of it in line with what
``shegong.core.audit.track`` now records: case-content rows named by their case and id rather
than their text, their free text (and a case's presenting problem and closure note) recorded as
changed-or-not only, and cases named by their number instead of the placeholder they were
first saved under."""

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

# model name -> path from the row to its case's number
CONTENT = {
    "assessment": "case__number",
    "serviceplan": "case__number",
    "plangoal": "plan__case__number",
    "plantask": "plan__case__number",
    "servicenote": "case__number",
    "noteattachment": "note__case__number",
    "notecomment": "note__case__number",
    "evaluation": "case__number",
    "review": "case__number",
    "referral": "case__number",
}
CASE_PRIVATE = ("presenting_problem", "closure_note")
BATCH = 500


def redact(value) -> str:
    return "" if value in ("", "None", None) else "***"


def free_text_fields(model) -> set[str]:
    from django.db import models

    return {
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices
    }


def scrub(entries, private: set[str], label_for) -> None:
    LogEntry = entries.model
    batch = []
    for entry in entries.iterator(chunk_size=BATCH):
        changes = entry.changes if isinstance(entry.changes, dict) else None
        if changes:
            for name in private & changes.keys():
                value = changes[name]
                if isinstance(value, list) and len(value) == 2:
                    changes[name] = [redact(value[0]), redact(value[1])]
            entry.changes = changes
        entry.changes_text = ""
        entry.object_repr = label_for(entry)
        batch.append(entry)
        if len(batch) >= BATCH:
            LogEntry.objects.bulk_update(batch, ["changes", "changes_text", "object_repr"])
            batch = []
    if batch:
        LogEntry.objects.bulk_update(batch, ["changes", "changes_text", "object_repr"])


def forwards(apps, schema_editor):
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Case = apps.get_model("cases", "Case")
    with translation.override(settings.LANGUAGE_CODE):
        case_type = capfirst(gettext(Case._meta.verbose_name))
        ct = ContentType.objects.filter(app_label="cases", model="case").first()
        if ct is not None:
            numbers = dict(Case.objects.values_list("pk", "number"))
            scrub(
                LogEntry.objects.filter(content_type=ct),
                set(CASE_PRIVATE),
                lambda e: (
                    numbers.get(int(e.object_pk), e.object_repr)
                    if e.object_pk.isdigit()
                    else e.object_repr
                ),
            )
        for name, path in CONTENT.items():
            ct = ContentType.objects.filter(app_label="cases", model=name).first()
            if ct is None:
                continue
            model = apps.get_model("cases", name)
            numbers = dict(model.objects.values_list("pk", path))
            kind = gettext(model._meta.verbose_name)

            def label(entry, numbers=numbers, kind=kind):
                pk = entry.object_pk
                number = numbers.get(int(pk)) if pk.isdigit() else None
                if number is None:  # deleted since
                    return f"{capfirst(kind)} #{pk}"
                return gettext("%(owner_type)s %(owner)s: %(model)s #%(pk)s") % {
                    "owner_type": case_type,
                    "owner": number,
                    "model": kind,
                    "pk": pk,
                }

            scrub(LogEntry.objects.filter(content_type=ct), free_text_fields(model), label)


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cases", "0003_case_list_indexes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
