"""Officials and other persons: names after titles, in bylines and attendee lists.

A person is named by name only (徐曙海, not 市长徐曙海). A name is a common
surname and one or two more characters, found where a title, byline or list
makes it certain. Titles are read as chains (市委常委、常务副市长郭建) so that each
post keeps its own body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import segment
from ..model import EntityType, Mention
from . import lexicon
from .text import Text

_TITLE = re.compile(
    "|".join(map(re.escape, sorted(lexicon.OFFICIAL_TITLES + lexicon.PERSON_TITLES, key=len, reverse=True)))
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A surname and the next character seen this often as a common word (班子 553)
# are that word; names tagged nr (唐诗 in 唐诗婷) never count as common.
_COMMON_HEAD_FREQUENCY = 300
# Characters no given name starts with: 主任和副主任 is no person 和副主.
_NOT_GIVEN = set(
    "副主的等在和与及是为了着过也都还又就才一二三四五六七八九十个各该此其市县区省镇乡村委会局厅部长书记员处"
)
_PHRASE_BOUNDARIES = ("在", "由", "据", "和", "与", "及", "任", "同志", "陪同", "经", "讯")
_BYLINE = re.compile(r"讯\s*[(（]\s*([\u4e00-\u9fff]{2,3})\s*[)）]|[(（]\s*([\u4e00-\u9fff]{2,3})\s*[)）]\s*$", re.M)
_ATTENDANCE = re.compile("|".join(map(re.escape, lexicon.ATTENDANCE_WORDS)))
# An appointment notice: 盛付祥同志任…, 陈利众同志不再担任… (group 1: the post is left).
APPOINTMENT = re.compile(r"同志(不再)?(?:任|担任|兼任)")
_ACT = re.compile("|".join(map(re.escape, lexicon.OFFICIAL_ACTS)))


@dataclass(frozen=True, slots=True)
class TitleChain:
    """A person's titles as the text gives them, each phrase with its span."""

    person: str
    phrases: tuple[tuple[int, int], ...]  # spans of 市委常委 | 常务副市长, in order
    name_span: tuple[int, int]


def name_at(text: str, i: int) -> str | None:
    """The person's name starting at `i`, or None: 徐曙海在… -> 徐曙海; 王勇出席 -> 王勇."""
    for surname_length in (2, 1):
        surname = text[i : i + surname_length]
        if surname not in lexicon.SURNAMES:
            continue
        g = i + surname_length
        if not (g < len(text) and _CJK.match(text[g])) or text[g] in _NOT_GIVEN:
            continue
        if text.startswith(lexicon.NAME_FOLLOWERS, g):
            continue
        if segment.is_common_word(text[i : g + 1], _COMMON_HEAD_FREQUENCY):
            continue  # 班子|建设: a surname that opens a common word names nobody
        if g + 1 < len(text) and _CJK.match(text[g + 1]) and not text.startswith(lexicon.NAME_FOLLOWERS, g + 1):
            if text[g + 1] not in _NOT_GIVEN:
                return text[i : g + 2]
        return text[i : g + 1]
    return None


def _phrase_start(t: Text, end: int) -> int:
    """Where the title phrase ending at `end` starts: back to a comma, 、 or 在."""
    i = end
    while i > 0 and end - i < 30:
        if t.text[i - 1] in '、,，。；;:：()（）\n “”"《》':
            break
        if any(t.text.startswith(w, i - len(w)) and t.is_word(i - len(w), i) for w in _PHRASE_BOUNDARIES):
            break
        i -= 1
    return i


def _title_chains(t: Text) -> list[TitleChain]:
    chains = []
    for m in _TITLE.finditer(t.text):
        gap = re.match(r"[:：\s]{0,2}", t.text[m.end() :]).end()
        name_start = m.end() + gap
        name = name_at(t.text, name_start)
        if name is None:
            continue
        phrases = [(_phrase_start(t, m.start()), m.end())]
        while phrases[0][0] > 0 and t.text[phrases[0][0] - 1] == "、":
            end = phrases[0][0] - 1
            # the title that ends right before the 、 (an earlier one in the window is another phrase's)
            previous = next((p for p in _TITLE.finditer(t.text, max(0, end - 12), end) if p.end() == end), None)
            if previous is None:
                break
            phrases.insert(0, (_phrase_start(t, previous.start()), end))
        chains.append(TitleChain(name, tuple(phrases), (name_start, name_start + len(name))))
        # 区领导黄红、吕轶、刘永华: the names listed after the first share its titles
        i = name_start + len(name)
        while t.text.startswith("、", i) and (listed := _listed_name(t.text, i + 1)):
            chains.append(TitleChain(listed, tuple(phrases), (i + 1, i + 1 + len(listed))))
            i += 1 + len(listed)
    return chains


def _listed_name(text: str, i: int) -> str | None:
    """The name at `i` when it is a whole item of a list of names (followed by 、, 等, a comma or a stop)."""
    name = name_at(text, i)
    if name is None or _TITLE.match(text, i):
        return None
    after = text[i + len(name) : i + len(name) + 1]
    return (
        name
        if after in ("", "、", "等", ",", "，", "。", ";", "；", " ") or _ATTENDANCE.match(text, i + len(name))
        else None
    )


def is_official_chain(t: Text, chain: TitleChain) -> bool:
    """Officials hold government, party, congress, CPPCC or park posts; others are persons."""
    for s, e in chain.phrases:
        title = _TITLE.search(t.text, s, e)
        if title and title.group() in lexicon.OFFICIAL_TITLES:
            return True
    return False


def _bylines(t: Text) -> list[str]:
    names = []
    for m in _BYLINE.finditer(t.text):
        name = m.group(1) or m.group(2)
        if m.group(2) and m.end() < len(t.text.rstrip()) - 80:
            continue  # a bracketed name closes an article, not a paragraph
        names.append(name)
    return names


_PRESS_TITLE = re.compile("|".join(map(re.escape, sorted(lexicon.PRESS_TITLES, key=len, reverse=True))))


def _press_lists(t: Text) -> list[str]:
    """Every name a press title lists: (记者罗华、邓圩、刘慧), 记者 麦凯 李璇."""
    names = []
    for m in _PRESS_TITLE.finditer(t.text):
        i = m.end()
        while True:
            i += len(re.match(r"[:：\s]*", t.text[i:]).group())
            name = name_at(t.text, i)
            if name is None or not (i + len(name) == len(t.text) or not _CJK.match(t.text[i + len(name)])):
                break
            names.append(name)
            i += len(name)
            if not t.text.startswith(("、", " "), i):
                break
            i += 1
    return names


def _attendees(t: Text) -> list[str]:
    """Names listed before 参加/出席: 李驰、陈红红、…、孙庆树等参加."""
    names = []
    for m in _ATTENDANCE.finditer(t.text):
        end = m.start() - (1 if t.text[m.start() - 1 : m.start()] == "等" else 0)
        start, _ = t.sentence_of(m.start())
        items = re.split(r"、", t.text[start:end])
        if len(items) < 2:
            continue
        listed = []
        for item in reversed(items):
            item = re.sub(r"^.*[,，:：]", "", item)
            if 2 <= len(item) <= 3 and name_at(item, 0) == item:
                listed.append(item)
            else:
                break
        if len(listed) >= 2:
            names += listed
    return names


def _acting(t: Text) -> list[str]:
    """A bare name that opens a clause and chairs or attends: 曹路宝主持推进会."""
    names = []
    for m in _ACT.finditer(t.text):
        for length in (3, 2):
            start = m.start() - length
            if t.text.startswith("在", m.start() - 1):
                start -= 1
            if start < 0 or (start > 0 and t.text[start - 1] not in "。,，\n;；"):
                continue
            candidate = t.text[start : start + length]
            if name_at(candidate, 0) == candidate:
                names.append(candidate)
                break
    return names


def _appointees(t: Text) -> list[str]:
    """The person an appointment names: 提名盛付祥同志任…管理委员会主任."""
    names = []
    for m in APPOINTMENT.finditer(t.text):
        for length in (3, 2):
            candidate = t.text[max(0, m.start() - length) : m.start()]
            if len(candidate) == length and name_at(candidate, 0) == candidate:
                names.append(candidate)
                break
    return names


def find_persons(t: Text) -> tuple[list[Mention], list[TitleChain]]:
    """Every mention of a named person, typed Official or Person, and their title chains."""
    chains = _title_chains(t)
    kinds: dict[str, EntityType] = {}
    for chain in chains:
        official = is_official_chain(t, chain)
        if official or chain.person not in kinds:
            kinds[chain.person] = EntityType.OFFICIAL if official else EntityType.PERSON
    for name in _bylines(t) + _press_lists(t):
        kinds.setdefault(name, EntityType.PERSON)
    has_officials = EntityType.OFFICIAL in kinds.values()
    for name in _attendees(t) + _appointees(t) + (_acting(t) if has_officials else []):
        kinds.setdefault(name, EntityType.OFFICIAL)
    mentions = []
    for name, kind in kinds.items():
        for m in re.finditer(re.escape(name), t.text):
            mentions.append(Mention(kind, m.start(), m.end(), name))
    return mentions, chains
