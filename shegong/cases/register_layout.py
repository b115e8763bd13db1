"""The legacy case register's layout: its three sheets, their columns, and how cells are read
(dates as typed in Chinese spreadsheets, choices by code or by their Chinese or English label).
The checks themselves live in ``cases.importers``."""

from __future__ import annotations

import datetime
import re

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.imports.columns import Column, normalise
from shegong.imports.columns import map_header as map_columns

CLIENTS, CASES, NOTES = "clients", "cases", "notes"
SHEETS = {
    CLIENTS: ("服务对象", "clients"),
    CASES: ("个案", "cases"),
    NOTES: ("服务记录", "notes", "service notes"),
}
LEGACY_MAX = 24  # the case number is L<agency>-<legacy>, at most 32 characters


COLUMNS = {
    CLIENTS: (
        Column("name", "姓名", gettext_lazy("Name"), ("name",), required=True),
        Column("id_type", "证件类型", gettext_lazy("ID type"), ("id type",)),
        Column(
            "id_number",
            "证件号码",
            gettext_lazy("ID number"),
            ("身份证号", "身份证号码", "id number"),
            required=True,
        ),
        Column("mobile", "手机号码", gettext_lazy("Mobile"), ("手机号", "手机", "mobile")),
        Column("community", "所属社区", gettext_lazy("Home community"), ("社区", "community")),
        Column(
            "target_groups",
            "服务对象类别",
            gettext_lazy("Target groups"),
            ("对象类别", "类别", "target groups"),
        ),
    ),
    CASES: (
        Column(
            "legacy_number",
            "原个案编号",
            gettext_lazy("Legacy case number"),
            ("个案编号", "legacy number"),
            required=True,
        ),
        Column(
            "client_id_number",
            "服务对象证件号码",
            gettext_lazy("Client's ID number"),
            ("证件号码", "client id number"),
            required=True,
        ),
        Column(
            "worker",
            "社工账号",
            gettext_lazy("Social worker (username)"),
            ("社工", "worker"),
            required=True,
        ),
        Column("source", "个案来源", gettext_lazy("Source"), ("来源", "source"), required=True),
        Column(
            "presenting_problem",
            "主要问题",
            gettext_lazy("Presenting problem"),
            ("问题", "presenting problem"),
            required=True,
        ),
        Column("risk_level", "风险等级", gettext_lazy("Risk level"), ("风险", "risk level")),
        Column(
            "intake_date",
            "接案日期",
            gettext_lazy("Intake date"),
            ("intake date",),
            required=True,
        ),
        Column("status", "个案状态", gettext_lazy("Status"), ("状态", "status")),
        Column("closure_reason", "结案原因", gettext_lazy("Closure reason"), ("closure reason",)),
        Column("closed_on", "结案日期", gettext_lazy("Closed on"), ("closed on",)),
    ),
    NOTES: (
        Column(
            "note_case",
            "原个案编号",
            gettext_lazy("Legacy case number"),
            ("个案编号", "legacy number"),
            required=True,
        ),
        Column("contact_date", "服务日期", gettext_lazy("Date"), ("日期", "date"), required=True),
        Column(
            "duration_minutes",
            "时长（分钟）",
            gettext_lazy("Duration (minutes)"),
            ("时长(分钟)", "时长", "duration"),
            required=True,
        ),
        Column("method", "服务方式", gettext_lazy("Method"), ("方式", "method"), required=True),
        Column("content", "服务内容", gettext_lazy("Content"), ("内容", "content"), required=True),
        Column(
            "participants",
            "参与人数",
            gettext_lazy("Participants"),
            ("人次", "服务人次", "participants"),
        ),
    ),
}
COLUMN_LABELS = {c.key: c.label for columns in COLUMNS.values() for c in columns}
SHEET_LABELS = {CLIENTS: "服务对象", CASES: "个案", NOTES: "服务记录"}
OPEN_WORDS = {"open", "开案", "在案", "未结案", "进行中", "服务中"}
CLOSED_WORDS = {"closed", "结案", "已结案"}
GROUP_SPLIT = re.compile(r"[、,，;；/\s]+")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


norm = normalise


def map_header(sheet: str, header: list[str]) -> dict[str, int]:
    def message(missing: list[str]) -> str:
        return _("Sheet %(sheet)s lacks required columns: %(columns)s.") % {
            "sheet": SHEET_LABELS[sheet],
            "columns": "、".join(missing),
        }

    return map_columns(COLUMNS[sheet], header, message)


def choices_lookup(enum) -> dict[str, str]:
    """Code, Chinese label and English label of each choice -> code."""
    lookup = {}
    for value, label in enum.choices:
        lookup[norm(value)] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[norm(str(label))] = value
    return lookup


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    text = text.split("T")[0].split(" ")[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def whole_number(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise ValueError(text)
