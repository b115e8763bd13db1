"""A kind of import registered by some app runs through the whole job, with nothing in the
imports app naming it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shegong.imports import registry
from shegong.imports.choices import ImportStatus
from shegong.imports.columns import Column, map_header
from shegong.imports.readers import open_table, peek
from shegong.imports.services import import_job_confirm, import_job_create
from shegong.imports.tests.sheets import csv_bytes

COLUMNS = (Column("colour", "颜色", "Colour", ("colour",), required=True),)
INSERTED: list = []


class WidgetImporter:
    column_labels = {"colour": "Colour"}
    report_headers = ("Colour", "-")

    def __init__(self, job):
        self.job = job

    def check_file(self, path, file_format):
        table = open_table(path, file_format)
        try:
            position = map_header(COLUMNS, table.header)["colour"]
            chunk = []
            for number, cells in table.rows:
                colour = cells[position].strip()
                if colour in ("red", "blue"):
                    chunk.append((number, [number, colour], None, None))
                else:
                    chunk.append((number, None, [("colour", "Unknown colour.")], (colour, "")))
            yield chunk
        finally:
            table.close()

    def insert(self, staged):
        INSERTED.extend(colour for _number, colour in staged)
        return len(staged)


def check_structure(path, file_format):
    head = peek(path, file_format)
    map_header(COLUMNS, head.header)
    return head.estimated_rows


WIDGETS = registry.ImportKind(
    code="widgets",
    label="Widgets",
    title="Import widgets",
    may_import=lambda user: True,
    check_target=lambda actor, community, agency: None,
    target=lambda actor, cleaned: {},
    check_structure=check_structure,
    importer=WidgetImporter,
    upload_form=None,
    upload_template="",
    template_xlsx=lambda: b"",
    template_name="widgets",
    column_labels=WidgetImporter.column_labels,
    done_message=lambda job: f"{job.imported_rows} widgets",
)


def test_a_registered_kind_is_checked_and_imported_like_any_other(world, monkeypatch):
    monkeypatch.setitem(registry._kinds, "widgets", WIDGETS)
    INSERTED.clear()
    upload = SimpleUploadedFile("w.csv", csv_bytes([["red"], ["green"], ["blue"]], header=["颜色"]))
    job = import_job_create(actor=world.users["community_staff"], upload=upload, kind="widgets")
    job.refresh_from_db()
    assert (job.status, job.valid_rows, job.error_rows) == (ImportStatus.VALIDATED, 2, 1)
    assert list(job.row_errors.values_list("row_number", "column")) == [(3, "colour")]
    assert job.kind_label == "Widgets"
    assert registry.kinds_for(world.users["community_staff"])[-1] is WIDGETS

    import_job_confirm(actor=world.users["community_staff"], job=job)
    job.refresh_from_db()
    assert (job.status, job.imported_rows, INSERTED) == (ImportStatus.DONE, 2, ["red", "blue"])


def test_unknown_kinds_are_refused(world):
    upload = SimpleUploadedFile("w.csv", csv_bytes([["red"]], header=["颜色"]))
    with pytest.raises(ValidationError) as caught:
        import_job_create(actor=world.users["community_staff"], upload=upload, kind="nothing")
    assert "kind" in caught.value.message_dict
