"""Chinese search text: the name, its pinyin (every reading of heteronyms) and initials, and
rjieba word segments, so that 张三, zhangsan and zs all find 张三.
"""

import itertools
from functools import lru_cache

import rjieba
from pypinyin import Style, pinyin

MAX_READINGS = 8  # cap the cross product for names full of heteronyms


@lru_cache(maxsize=20000)
def _char_readings(char: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    full = pinyin(char, style=Style.NORMAL, heteronym=True, errors="default")[0]
    initials = pinyin(char, style=Style.FIRST_LETTER, heteronym=True, errors="default")[0]
    return tuple(dict.fromkeys(s.lower() for s in full)), tuple(
        dict.fromkeys(s.lower() for s in initials)
    )


@lru_cache(maxsize=50000)
def search_text_for(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    readings = [_char_readings(char) for char in name]
    fulls = {
        "".join(parts)
        for parts in itertools.islice(itertools.product(*(r[0] for r in readings)), MAX_READINGS)
    }
    initials = {
        "".join(parts)
        for parts in itertools.islice(itertools.product(*(r[1] for r in readings)), MAX_READINGS)
    }
    words = [word for word in rjieba.cut(name) if word.strip()]
    tokens = [name.lower(), *sorted(fulls), *sorted(initials), *words]
    return " ".join(dict.fromkeys(tokens))


def normalise_query(query: str) -> str:
    return "".join((query or "").split()).lower()
