"""Companies that open the names of projects and parks: 金力永磁|项目二期…, 天宇|智能终端生产项目.

The guidelines count a company whose name opens a project's as an entity of
its own, and it is the head of the project's invests_in; yet the brand is
often named nowhere else, and where it ends is a matter of words, not of a
kind suffix (亚泰|医药产业园 but 西奥电梯|智能工厂). Each word boundary in the
first characters of a proposed project or park name is a candidate end, and a
logistic model fit on the training articles by `kg train` (what the last word
is, how common the next word is, whether the brand is named elsewhere, LAC's
tags) gives each the probability that a company ends there. The likeliest
end of each name is proposed as a Company mention, for the entity model to
judge like any other.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from .. import segment
from ..gazetteer import gazetteer
from ..model import EntityType, Mention
from . import lexicon
from .logistic import LogisticModel
from .text import Text

E = EntityType
# The kinds of name a company may open.
OUTER_TYPES = (E.PROJECT, E.PARK)
GROUP = "head"
# A brand is two to this many characters, and leaves at least two characters of the name after it.
MAX_HEAD = 10
# A proposed head the model gives less than this is not worth judging.
FLOOR = 0.05
_NAME_CHARS = re.compile(r"[\u3400-\u9fffA-Za-z0-9·\-]+")
_COMPANY_WORDS = frozenset(lexicon.COMPANY_WORDS) | frozenset(
    ("集团", "股份", "控股", "科技", "电子", "实业", "制药", "动力", "电梯", "速递", "重工", "银行")
)


def candidate_ends(t: Text, start: int, end: int) -> list[int]:
    """Word boundaries where a company opening [start, end) may end."""
    out = []
    for e in range(start + 2, min(start + MAX_HEAD, end - 2) + 1):
        if e in t.word_ends and _NAME_CHARS.fullmatch(t.text, start, e):
            out.append(e)
    return out


def _bucket(n: float, edges: Sequence[float]) -> str:
    for edge in edges:
        if n <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def _freq(word: str) -> str:
    return _bucket(math.log10(1 + segment.frequency(word)), (0, 1, 2, 3, 4))


def features(t: Text, lac_tags: Sequence[str], outer: Mention, e: int) -> dict[str, float]:
    """What the head model weighs of a company ending at `e` that opens the proposed name `outer`."""
    text, start, end = t.text, outer.start, outer.end
    prefix, rest = text[start:e], text[e:end]
    words = t.words_in(start, e)
    after = t.words_in(e, end)
    last, nxt = words[-1], after[0] if after else ""
    f = {
        f"outer={outer.type}": 1.0,
        f"outer-score{_bucket(outer.confidence, (0.05, 0.2, 0.5, 0.8))}": 1.0,
        f"length{_bucket(len(prefix), (2, 3, 4, 5, 7))}": 1.0,
        f"words{_bucket(len(words), (1, 2, 3))}": 1.0,
        f"last-length{_bucket(len(last), (1, 2))}": 1.0,
        f"last-freq{_freq(last)}": 1.0,
        f"last-tag={segment.tag(last)}": 1.0,
        f"next-length{_bucket(len(nxt), (1, 2, 3))}": 1.0,
        f"next-freq{_freq(nxt)}": 1.0,
        f"next-tag={segment.tag(nxt)}": 1.0,
        f"rest-length{_bucket(len(rest), (2, 4, 8))}": 1.0,
    }
    if "rules" in outer.origin:
        f["outer-from-rules"] = 1.0
    if last in _COMPANY_WORDS:
        f["last-company-word"] = 1.0
    if nxt in _COMPANY_WORDS:
        f["next-company-word"] = 1.0
    if nxt[:1].isdigit() or nxt[:1].isascii():
        f["next-not-han"] = 1.0
    if rest in lexicon.PARK_SUFFIXES or rest in lexicon.FACILITY_ENDINGS or rest == "项目":
        f["rest-is-a-kind"] = 1.0
    gz = gazetteer()
    if gz.lookup(prefix) or segment.is_place_name(prefix):
        f["is-place"] = 1.0
    elif any(gz.lookup(prefix[:n]) for n in range(2, len(prefix))):
        f["opens-with-place"] = 1.0
    if any(gz.lookup(text[s:e]) for s in range(max(start, e - 4), e - 1)) and not f.get("is-place"):
        f["place-ends-here"] = 1.0
    elsewhere = sum(1 for m in re.finditer(re.escape(prefix), text) if not text.startswith(rest, m.end()))
    f[f"alone{_bucket(elsewhere, (0, 1))}"] = 1.0
    lac = lac_tags[start]
    f[f"lac-open={lac}"] = 1.0
    if e >= len(lac_tags) or not lac_tags[e].endswith("-I"):
        f["lac-break"] = 1.0
    f[f"lac-last={lac_tags[e - 1]}"] = 1.0
    return f


def _outers(mentions: Iterable[Mention]) -> list[Mention]:
    """The proposed names a company may open, one per span and type."""
    by_span: dict[tuple[int, int, EntityType], Mention] = {}
    for m in mentions:
        key = (m.start, m.end, m.type)
        if m.type in OUTER_TYPES and not m.weak and (key not in by_span or m.confidence > by_span[key].confidence):
            by_span[key] = m
    return [by_span[k] for k in sorted(by_span)]


def samples(
    t: Text, lac_tags: Sequence[str], proposed: Iterable[Mention], companies: set[str]
) -> list[tuple[str, dict[str, float], bool]]:
    """Each candidate end of each proposed name, with whether a company of `companies` ends there."""
    return [
        (GROUP, features(t, lac_tags, outer, e), t.text[outer.start : e] in companies)
        for outer in _outers(proposed)
        for e in candidate_ends(t, outer.start, outer.end)
    ]


def with_heads(
    t: Text, lac_tags: Sequence[str], proposed: Sequence[Mention], weights: Mapping[str, Mapping[str, float]]
) -> list[Mention]:
    """The proposed mentions and the likeliest company opening each project or park among them.

    A head's confidence is the head model's probability; a head the other
    sources proposed too keeps the higher confidence, and both origins.
    """
    if not weights:
        return list(proposed)
    model = LogisticModel(weights)
    by_key = {(m.start, m.end, m.type): m for m in proposed}
    for outer in _outers(proposed):
        scored = [
            (model.probability(GROUP, features(t, lac_tags, outer, e)), -e)
            for e in candidate_ends(t, outer.start, outer.end)
        ]
        if not scored or max(scored)[0] < FLOOR:
            continue
        p, e = max(scored)
        key = (outer.start, -e, E.COMPANY)
        known = by_key.get(key)
        if known is None:
            by_key[key] = Mention(
                E.COMPANY, outer.start, -e, t.text[outer.start : -e], confidence=round(p, 4), origin=GROUP
            )
        else:
            origin = "+".join(sorted({*known.origin.split("+"), GROUP} - {""}))
            by_key[key] = replace(known, confidence=max(known.confidence, round(p, 4)), origin=origin)
    return list(by_key.values())
