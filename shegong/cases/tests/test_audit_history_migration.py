"""History written before case content was kept out of it is brought in line by migration
0004: content rows named by case and id, their text gone, cases named by their number."""

import importlib
import json

import pytest
from auditlog.models import LogEntry
from django.apps import apps

from shegong.cases.choices import CaseStatus
from shegong.cases.tests.factories import CaseFactory, ServiceNoteFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "shegong.cases.migrations.0004_audit_history_without_case_content"
)

NOTE_TEXT = "案主提到夜里睡不着。"


def test_old_entries_lose_the_content_and_gain_a_plain_name(world):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    note = ServiceNoteFactory(case=case, content=NOTE_TEXT)
    # As the history looked before: named by its text, the text among the changes.
    note_entry = LogEntry.objects.get_for_object(note).get(action=LogEntry.Action.CREATE)
    note_entry.object_repr = NOTE_TEXT
    note_entry.changes = {**note_entry.changes, "content": ["None", NOTE_TEXT]}
    note_entry.save()
    case_entry = LogEntry.objects.get_for_object(case).get(action=LogEntry.Action.CREATE)
    case_entry.object_repr = "tmp-1796084771.501523-6"
    case_entry.changes = {**case_entry.changes, "presenting_problem": ["None", "独居老人"]}
    case_entry.save()

    migration.forwards(apps, None)

    note_entry.refresh_from_db()
    assert note_entry.object_repr == f"个案 {case.number} 的服务记录 #{note.pk}"
    assert note_entry.changes["content"] == ["", "***"]
    assert NOTE_TEXT not in json.dumps(note_entry.changes, ensure_ascii=False)
    case_entry.refresh_from_db()
    assert case_entry.object_repr == case.number
    assert case_entry.changes["presenting_problem"] == ["", "***"]
