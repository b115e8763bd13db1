"""The columns of a question import file (light: loaded when the import kind is registered)."""

from django.utils.translation import gettext_lazy

from shegong.imports.columns import Column

COLUMNS = (
    Column("subject", "科目", gettext_lazy("Subject"), ("subject",), required=True),
    Column("level", "级别", gettext_lazy("Exam level"), ("等级", "level"), required=True),
    Column("kind", "题型", gettext_lazy("Question type"), ("类型", "type", "kind"), required=True),
    Column("stem", "题干", gettext_lazy("Question"), ("题目", "question", "stem"), required=True),
    Column("option_a", "选项A", gettext_lazy("Option A"), ("A", "option a"), required=True),
    Column("option_b", "选项B", gettext_lazy("Option B"), ("B", "option b"), required=True),
    Column("option_c", "选项C", gettext_lazy("Option C"), ("C", "option c")),
    Column("option_d", "选项D", gettext_lazy("Option D"), ("D", "option d")),
    Column("option_e", "选项E", gettext_lazy("Option E"), ("E", "option e")),
    Column("answer", "答案", gettext_lazy("Correct answer"), ("正确答案", "answer"), required=True),
    Column(
        "explanation",
        "解析",
        gettext_lazy("Explanation"),
        ("答案解析", "explanation"),
        required=True,
    ),
)
COLUMN_LABELS = {column.key: column.label for column in COLUMNS}
HEADERS = tuple(column.header for column in COLUMNS)
KEYS = tuple(column.key for column in COLUMNS)

# What people write in the cells, in Chinese, for the coded choices.
CELL_ALIASES = {
    "subject": {
        "综合能力": "comprehensive",
        "社会工作综合能力": "comprehensive",
        "实务": "practice",
        "社会工作实务": "practice",
        "法规与政策": "law_policy",
        "社会工作法规与政策": "law_policy",
        "高级实务": "senior_practice",
        "高级社会工作实务": "senior_practice",
    },
    "level": {"初级": "junior", "中级": "intermediate", "高级": "senior"},
    "kind": {
        "单选": "single",
        "单选题": "single",
        "单项选择题": "single",
        "多选": "multiple",
        "多选题": "multiple",
        "多项选择题": "multiple",
    },
}

# National exam results: one row per person and paper.
RESULT_COLUMNS = (
    Column("name", "姓名", gettext_lazy("Name"), ("名字", "name"), required=True),
    Column(
        "id_number",
        "证件号码",
        gettext_lazy("ID number"),
        ("身份证号", "身份证号码", "公民身份号码", "id number", "id"),
        required=True,
    ),
    Column("year", "考试年度", gettext_lazy("Exam year"), ("年度", "年份", "year"), required=True),
    Column("level", "级别", gettext_lazy("Exam level"), ("等级", "level"), required=True),
    Column("subject", "科目", gettext_lazy("Subject"), ("subject",), required=True),
    Column("score", "分数", gettext_lazy("Score"), ("成绩", "score")),
    Column(
        "passed",
        "是否通过",
        gettext_lazy("Passed"),
        ("通过", "合格", "结果", "passed", "result"),
        required=True,
    ),
)
RESULT_COLUMN_LABELS = {column.key: column.label for column in RESULT_COLUMNS}
RESULT_HEADERS = tuple(column.header for column in RESULT_COLUMNS)
RESULT_KEYS = tuple(column.key for column in RESULT_COLUMNS)
