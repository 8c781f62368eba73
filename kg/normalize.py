"""Canonical forms of names, shared by extraction (aliases in one article) and
merging (one entity across articles): 徐州经开区 and 徐州经济技术开发区 have one key.
"""

from __future__ import annotations

import re
import unicodedata

from .extract.lexicon import PARK_ABBREVIATIONS
from .gazetteer import gazetteer
from .model import EntityType, PlaceLevel

_ABBREVIATION = re.compile("|".join(sorted(map(re.escape, PARK_ABBREVIATIONS), key=len, reverse=True)))
_BRACKETS = str.maketrans("（）", "()")


def canonical(name: str, type: EntityType) -> str:
    """The form two names of one entity share: abbreviations expanded, 园区 as 园, NFKC.

    >>> canonical("徐州经开区", EntityType.PARK)
    '徐州经济技术开发区'
    """
    name = unicodedata.normalize("NFKC", name).translate(_BRACKETS).replace(" ", "")
    if type is EntityType.PARK:
        name = without_city_suffix(_ABBREVIATION.sub(lambda m: PARK_ABBREVIATIONS[m.group()], name))
        if name.endswith("园区"):
            name = name[:-1]
    elif type is EntityType.PROJECT and name.endswith("项目") and len(name) > 4:
        name = name[:-2]  # 中一东北国际医疗城项目 = 中一东北国际医疗城
    return name


def without_city_suffix(name: str) -> str:
    """徐州市经济技术开发区 -> 徐州经济技术开发区: a city or county's 市 before a park's name."""
    gz = gazetteer()
    for length in range(min(gz.max_name_length, len(name) - 2), 2, -1):
        head = name[:length]
        if head.endswith("市"):
            for d in gz.by_full_name(head):
                if d.short and d.level in (PlaceLevel.CITY, PlaceLevel.COUNTY):
                    return d.short + name[length:]
    return name


def place_prefix_length(name: str) -> int:
    """How many leading characters of `name` are place names: 泰州|海陵工业园区 -> 2.

    中国 and a bracketed province count too: 中国(河南)自由贸易试验区 -> 6.
    """
    gz = gazetteer()
    i = 0
    while i < len(name):
        if name.startswith("中国", i):
            i += 2
            continue
        if name[i] == "(":
            close = name.find(")", i)
            if close > i and gz.is_name(name[i + 1 : close]):
                i = close + 1
                continue
        for length in range(min(gz.max_name_length, len(name) - i), 1, -1):
            if gz.is_name(name[i : i + length]):
                i += length
                break
        else:
            break
    return i


def is_prefixed_form(full: str, short: str, type: EntityType, known: set[str] = frozenset()) -> bool:
    """True if `full` is `short` with places or a known name before it.

    泰州海陵工业园区 / 海陵工业园区, 信阳市产业集聚区清华产业园 / 清华产业园.
    """
    a, b = canonical(full, type), canonical(short, type)
    if a == b:
        return True
    if len(b) < 3 or not a.endswith(b):
        return False
    prefix = a[: len(a) - len(b)]
    if place_prefix_length(prefix) == len(prefix):
        return True
    return any(canonical(k, type) == prefix for k in known)
