"""Synthetic people sheets for the import tests and the benchmark.

Every ID number is generated (area code of a Xiamen district, a birth date, a sequence and the
MOD 11-2 check digit), never copied from a real person.
"""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

from openpyxl import Workbook
from stdnum.cn import ric

HEADER = ["姓名", "证件类型", "证件号码", "手机号码", "所属社区"]
AREAS = ("350203", "350205", "350206", "350211", "350212", "350213")
FIRST_DAY = datetime.date(1940, 1, 1)
DAYS = 30000  # 1940 .. 2022
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鑫宇浩凯健俊帆"


def synthetic_id(n: int) -> str:
    """The n-th synthetic resident ID; distinct for distinct n (n < 6 * 30000 * 1000)."""
    area = AREAS[n % len(AREAS)]
    k = n // len(AREAS)
    birth = FIRST_DAY + datetime.timedelta(days=k % DAYS)
    body = f"{area}{birth:%Y%m%d}{(k // DAYS) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def synthetic_name(n: int) -> str:
    surname = SURNAMES[n % len(SURNAMES)]
    given = GIVEN[(n // 7) % len(GIVEN)]
    if n % 3:
        given += GIVEN[(n // 11) % len(GIVEN)]
    return surname + given


def people_rows(count: int, *, community: str = "", start: int = 0) -> list[list[str]]:
    return [
        [
            synthetic_name(n),
            "居民身份证",
            synthetic_id(n),
            f"1{3 + n % 7}{n % 1_000_000_000:09d}",
            community,
        ]
        for n in range(start, start + count)
    ]


def write_xlsx(path: Path, rows, header=HEADER) -> Path:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("people")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("people")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=HEADER, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)
