"""The columns of an attendance import file (light: loaded when the import kind is registered).

The sheet a street keeps today: one row per person present, with the day, the activity (its
title or its number), the name, and the ID number or the mobile to find the person on file.
"""

from django.utils.translation import gettext_lazy

from shegong.imports.columns import Column

COLUMNS = (
    Column(
        "date",
        "日期",
        gettext_lazy("Date"),
        ("活动日期", "签到日期", "时间", "date", "day"),
        required=True,
    ),
    Column(
        "activity",
        "活动",
        gettext_lazy("Activity"),
        ("活动名称", "活动编号", "activity", "activity title", "activity id"),
        required=True,
    ),
    Column("name", "姓名", gettext_lazy("Name"), ("名字", "name", "full name"), required=True),
    Column(
        "id_number",
        "证件号码",
        gettext_lazy("ID number"),
        ("身份证号", "身份证号码", "公民身份号码", "id number", "id no", "id"),
    ),
    Column("mobile", "手机号码", gettext_lazy("Mobile"), ("手机号", "手机", "mobile", "phone")),
)
COLUMN_LABELS = {column.key: column.label for column in COLUMNS}
HEADERS = tuple(column.header for column in COLUMNS)
# Either of these finds the person: the file must have at least one of them.
IDENTIFYING = ("id_number", "mobile")
