"""Rows rendered by Jinja2 escape what they show, like the Django templates they replace."""

import datetime

from shegong.core.rows import render_rows


def test_jinja2_rows_escape_every_value():
    html = render_rows(
        "cases/case_rows.html",
        {
            "rows": [
                {
                    "url": "/cases/1/",
                    "number": "<b>1</b>",
                    "status_label": "介入",
                    "risk_label": "高",
                    "community__name": "殿前社区",
                    "intake_date": datetime.date(2026, 1, 2),
                    "person_times": 3,
                }
            ],
            "show_content": False,
        },
    )
    assert "&lt;b&gt;1&lt;/b&gt;" in html and "<b>" not in html
    assert "2026-01-02" in html
