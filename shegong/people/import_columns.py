"""The columns of a people import file (light: loaded when the import kind is registered)."""

from django.utils.translation import gettext_lazy

from shegong.imports.columns import Column

COLUMNS = (
    Column("name", "姓名", gettext_lazy("Name"), ("名字", "name", "full name"), required=True),
    Column("id_type", "证件类型", gettext_lazy("ID type"), ("id type", "document type")),
    Column(
        "id_number",
        "证件号码",
        gettext_lazy("ID number"),
        ("身份证号", "身份证号码", "公民身份号码", "id number", "id no", "id"),
        required=True,
    ),
    Column("mobile", "手机号码", gettext_lazy("Mobile"), ("手机号", "手机", "mobile", "phone")),
    Column(
        "community",
        "所属社区",
        gettext_lazy("Home community"),
        ("社区", "community", "home community"),
    ),
)
COLUMN_LABELS = {column.key: column.label for column in COLUMNS}
HEADERS = tuple(column.header for column in COLUMNS)
