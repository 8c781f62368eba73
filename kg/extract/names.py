"""Parks, companies, organisations and projects, found by the kind word their name ends with.

A name runs back from its kind word (产业园, 有限公司, 局, 项目) to the first
boundary (see Text.name_start). A name with nothing in it but generic words
(省级以下工业园区, 产业项目) is kept as a weak mention: it becomes an alias of a
named entity it abbreviates, or nothing.
"""

from __future__ import annotations

import re

from .. import segment
from ..gazetteer import gazetteer
from ..model import EntityType, Mention
from . import lexicon
from .text import Text, has_name_word, is_generic

_PARK = re.compile("|".join(map(re.escape, lexicon.PARK_SUFFIXES)))
_COMPANY = re.compile("|".join(map(re.escape, lexicon.COMPANY_SUFFIXES)))
_ORGANIZATION = re.compile("|".join(map(re.escape, lexicon.ORGANIZATION_SUFFIXES)))
_PROJECT = re.compile("项目")
# A medium in a dateline: 中国网财经7月3日讯, 东南网龙岩8月9日讯, 来源:湛江日报, 据闽西新闻网报道.
_MEDIUM = re.compile(
    r"(?:^|\n)([\u4e00-\u9fff]{2,11})\d{1,2}月\d{1,2}日(?:电|讯)"
    r"|来源[:：]\s*([\u4e00-\u9fffA-Za-z]{2,12})|据([\u4e00-\u9fff]{2,10}?)报道"
)
_MEDIUM_WORDS = ("网", "报", "台", "社", "财经", "新闻", "日报", "晚报", "时报", "传媒", "在线")
# An attendee, visit or signing list: A、B、C等(项目|企业|处…).
# The words between 等 and the kind may list features: 等涵盖保税加工、保税维修…的12个首批入驻项目.
_LIST_GROUP = re.compile(r"等[^,，。；;:：\n]{0,60}?(项目|企业|处|单位|公司)")
# A clause that opens a list of projects: 4个基础设施类项目分别是|A、B…; 这批重点项目包括|A、B…
_LIST_OPENING = re.compile(r"项目(?:分别是|分别为|包括|包含|涵盖|主要有|有|为)[:：]?")
_BAD_NAME_START = re.compile(r"^[的地得了着过之其和与及、]")


def _place_spans(places: list[Mention]) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in places]


def _holds_place(start: int, end: int, places: list[Mention]) -> bool:
    return any(start <= s and e <= end for s, e in _place_spans(places))


def _only_provinces(start: int, end: int, places: list[Mention], t: Text) -> bool:
    inner = [p for p in places if start <= p.start and p.end <= end]
    covered = sum(p.end - p.start for p in inner)
    return bool(inner) and covered == end - start and all(p.level and p.level.value == "province" for p in inner)


def _from_first_place(t: Text, start: int, end: int, places: list[Mention]) -> int:
    """A name holding a place starts at it when only common words stand before it:
    关于调整|龙岩经开区, but 广州澳猫开封… keeps its head (澳猫 is no common word)."""
    inside = [p.start for p in places if start < p.start and p.end <= end]
    if not inside:
        return start
    first = min(inside)
    head = t.words_in(start, first)
    if head and all(segment.is_common_word(w) for w in head):
        return first
    return start


def _admin_marker(t: Text, start: int) -> bool:
    """A name that opens with 市/县/省, which stands for the article's own city: 市城乡一体化示范区."""
    return t.text[start : start + 1] in ("市", "县", "省")


def find_parks(t: Text, places: list[Mention]) -> list[Mention]:
    """Named parks (strong) and bare or generic park mentions (weak)."""
    out = []
    boundary = tuple(sorted(lexicon.BOUNDARY_WORDS + lexicon.BODY_WORDS, key=len, reverse=True))
    for m in _PARK.finditer(t.text):
        s, e = m.span()
        if m.group() in lexicon.PARK_WEAK_SUFFIXES and t.text[s - 1 : s] in ("", "\n", "、", ","):
            continue  # 片区 or 园区 with no name before it is no park at all
        first = t.name_start(s, boundary)
        start = _from_first_place(t, t.trim_generic_head(first, s), s, places)
        if start == first + 1 and _admin_marker(t, first):
            start = first  # 市|城乡一体化示范区 keeps its 市
        words = t.words_in(start, s)
        remainder = t.text[start:s]
        if _holds_place(start, s, places):
            weak = False
        elif _admin_marker(t, start):
            weak = is_generic(t.words_in(start + 1, s))
        else:
            weak = (
                not remainder
                or remainder.endswith(lexicon.DESCRIPTIVE_ENDINGS)
                or is_generic(words)
                or not has_name_word(words)
            )
        if not weak and _only_provinces(start, s, places, t):
            weak = True  # 江苏省经济开发区: a province's zones in general
        out.append(Mention(EntityType.PARK, start, e, t.text[start:e], weak=weak))
    return out


def find_companies(t: Text, places: list[Mention]) -> list[Mention]:
    """Companies named with a company suffix: 徐州浩通新材料科技股份有限公司, 东城控股集团."""
    out = []
    for m in _COMPANY.finditer(t.text):
        s, e = m.span()
        if t.text[e : e + 1] in ("化", "制", "法", "型", "级", "内", "外"):
            continue  # 公司化管理 is a way of managing
        # the word before the suffix is the company's business, a verb or not: 照明|有限公司
        start = t.name_start(s, stop_at_verbs="after-first-word")
        start = _from_first_place(t, t.trim_generic_head(start, s), s, places)
        words = t.words_in(start, s)
        if start == s or is_generic(words) or _BAD_NAME_START.match(t.text[start:s]):
            continue
        out.append(Mention(EntityType.COMPANY, start, e, t.text[start:e]))
    return out


def _ends_org_word(t: Text, end: int, suffix: str) -> bool:
    """局 in 招商局 or 信息化|局, not in 布局 or 开局; 部 in 公安部, not in 干部 or 党员干部."""
    word = t.word_ending_at.get(end)
    if word is None:
        return False
    if word == suffix or segment.is_proper_noun(word):
        return True
    if len(word) == 2:
        return not segment.is_common_word(word)  # 开局, 格局, 总部: words of their own
    if segment.is_common_word(word[-2:], lexicon.COMMON_WORD_FREQUENCY):
        return False  # 党员|干部
    return not segment.is_common_word(word, lexicon.COMMON_WORD_FREQUENCY)


def find_organizations(t: Text, places: list[Mention]) -> list[Mention]:
    """Bodies, institutes and media: 市工业和信息化局, 省商务厅, 郑州海关, 公安部."""
    out = []
    for m in _ORGANIZATION.finditer(t.text):
        s, e = m.span()
        suffix = m.group()
        if suffix == "部" and t.text[e : e + 1] in lexicon.NOT_AFTER_BU:
            continue
        if suffix in lexicon.SINGLE_CHAR_KINDS and not _ends_org_word(t, e, suffix):
            continue
        start = t.name_start(s, lexicon.ORGANIZATION_BOUNDARY_WORDS)
        name = t.text[start:e]
        stem = re.sub(r"[\d一二三四五六七八九十两几]", "", t.text[start:s])
        if name in lexicon.GENERIC_BODIES or _BAD_NAME_START.match(name):
            continue
        city_body = _admin_marker(t, start) and len(stem) >= 2  # 市|工业园区开发建设|指挥部, 市|商务|局
        if (
            suffix != "国务院"
            and not city_body
            and (len(stem) < 2 and stem not in ("市", "省", "县") or is_generic(t.words_in(start, s)))
        ):
            if not (stem in ("市", "省", "县") and len(suffix) >= 3):
                continue
        out.append(Mention(EntityType.ORGANIZATION, start, e, name))
    for m in _MEDIUM.finditer(t.text):
        group = next(g for g in range(1, 4) if m.group(g))
        name = m.group(group)
        start = m.start(group)
        if group == 1:
            name = _without_dateline_place(name)  # 东南网龙岩8月9日讯 -> 东南网
        if name.endswith(_MEDIUM_WORDS) or any(w in name for w in ("网", "报")):
            if name not in lexicon.GENERIC_BODIES and not name.startswith("本"):
                out.append(Mention(EntityType.ORGANIZATION, start, start + len(name), name))
    return out


def _without_dateline_place(name: str) -> str:
    for length in (3, 2):
        if len(name) - length >= 2 and gazetteer().is_name(name[-length:]):
            return name[:-length]
    return name


def find_projects(t: Text, named: list[Mention]) -> list[Mention]:
    """Projects named …项目: 晶凯存储芯片封装一期项目; generic ones (产业项目) are weak.

    A project's name holds a place, park or company (移动公司5G+服务中心项目), or
    a word that can carry a name (晶凯); 抓产业抓项目 and 聚力项目 are weak.
    """
    places = [m for m in named if not m.weak]
    out = []
    for m in _PROJECT.finditer(t.text):
        s, e = m.span()
        start = t.trim_generic_head(t.name_start(s), s)
        words = t.words_in(start, s)
        named_inside = any(start <= p.start and p.end <= s for p in places)
        weak = start == s or is_generic(words)
        if not weak and not named_inside:
            weak = s - start < 4 or segment.is_verb(words[0]) or not has_name_word(words)
        out.append(Mention(EntityType.PROJECT, start, e, t.text[start:e], weak=weak))
    return out


def find_listed(t: Text, found: list[Mention]) -> list[Mention]:
    """Items of a list that the sentence says are projects or companies.

    先后来到左岸森林商业综合体、荣氏饮品…等企业和项目: an item that ends like a
    facility (中心, 综合体) is a project, another a company; in a list of 项目
    every item is a project, even one that ends like a park, and so in a list a
    clause opens as projects (项目分别是A、B、C). A list is the clause before its
    等 or after its opening: a comma ends it.
    """
    out = []
    for m in _LIST_GROUP.finditer(t.text):
        out += _list_items(t, t.clause(m.start(), m.start())[0], m.start(), m.group(1), found)
    for m in _LIST_OPENING.finditer(t.text):
        end = t.clause(m.start(), m.end())[1]
        etc = t.text.rfind("等", m.end(), end)
        end = etc if etc >= 0 else end
        end = m.end() + len(t.text[m.end() : end].rstrip("。！？!?… \n"))
        out += _list_items(t, m.end(), end, "项目", found, opened=True)
    return out


def _list_items(
    t: Text, head_start: int, head_end: int, group: str, found: list[Mention], opened: bool = False
) -> list[Mention]:
    separators = list(re.finditer(r"、|以及", t.text[head_start:head_end]))
    if not separators:
        return []
    items, previous = [], head_start
    for sep in separators:
        items.append((previous, head_start + sep.start()))
        previous = head_start + sep.end()
    items.append((previous, head_end))
    if not opened:
        items[0] = (_first_item_start(t, *items[0]), items[0][1])
    out = []
    for s, e in items:
        while s < e and not t.text[s].strip():
            s += 1
        name = t.text[s:e]
        if not (2 <= len(name) <= 30) or re.search(r"[,，:：;；\s“”\"]", name):
            continue
        if name.endswith(lexicon.COMPANY_SUFFIXES + lexicon.COMPANY_WORDS):
            kind = EntityType.COMPANY  # 无锋科技 in a list of projects is who builds one
        elif group == "项目" or name.endswith(lexicon.FACILITY_ENDINGS):
            kind = EntityType.PROJECT
        elif any(f.start == s and f.end == e for f in found):
            continue  # already named by its suffix
        else:
            kind = EntityType.COMPANY
        out.append(Mention(kind, s, e, name, origin="list+rules"))
    return out


def _first_item_start(t: Text, start: int, end: int) -> int:
    """The first item of a list (its clause from `start`) starts after the verb that opens it, 与 and all:
    先后到|复星医药生物制剂与高端医疗器械项目、…"""
    text = t.text[start:end]
    verbs = [(text.rfind(v), v) for v in lexicon.VISIT_VERBS + lexicon.MOVE_VERBS if text.rfind(v) >= 0]
    if verbs:
        i, verb = max(verbs, key=lambda x: (x[0] + len(x[1]), len(x[1])))
        cut = start + i + len(verb)
        cut += t.text.startswith("了", cut)
        if end - cut >= 2:
            return cut
    named = t.name_start(end)
    return named if end - named >= 2 else start  # 16个,|欧亚城市汇集、…: the clause opens with the list
