"""Places: administrative divisions named in an article, resolved by its context.

A full name (丹徒区) or short form (丹徒) is looked up in the gazetteer. Names
shared by several divisions, and the short forms of counties and townships,
count only where the article's context places them: 海陵 is 海陵区 in an
article that names 泰州; 上党 is 上党镇 in one that names 丹徒区.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .. import segment
from ..gazetteer import gazetteer
from ..model import Division, Entity, EntityType, Mention, PlaceLevel
from . import lexicon
from .text import Text

# A place name followed by these is a road, village or school: 京口路, 中山大学.
_NOT_AFTER = ("路", "街", "大道", "道", "巷", "村", "桥", "小区", "社区", "大学", "学院", "中学", "小学", "号")
# A short form jieba has seen this often, and not as a place, is a word: 建设, 中心, 合作.
COMMON_PLACE_WORD = 1000
_RANK = {PlaceLevel.PROVINCE: 0, PlaceLevel.CITY: 1, PlaceLevel.COUNTY: 2, PlaceLevel.TOWNSHIP: 3}


@dataclass(frozen=True, slots=True)
class PlaceContext:
    """Where an article is: its city and county, and every division it names."""

    city: Division | None
    county: Division | None
    anchors: frozenset[str]  # codes of the divisions the article names plainly, and their parents


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    divisions: tuple[Division, ...]
    short: bool


def _candidates(t: Text) -> list[_Candidate]:
    return t.memo("place candidates", lambda: _find_candidates(t))


def _find_candidates(t: Text) -> list[_Candidate]:
    gz = gazetteer()
    text, n = t.text, len(t.text)
    out: list[_Candidate] = []
    i = 0
    while i < n:
        for length in gz.name_lengths(text[i]):
            if length > n - i:
                continue
            name = text[i : i + length]
            full = gz.by_full_name(name)
            short = [] if full else gz.by_short_name(name)
            if not (full or short):
                continue
            if text.startswith(_NOT_AFTER, i + length):
                continue
            if (short or length == 2) and not _standalone(t, i, i + length):
                continue
            out.append(_Candidate(i, i + length, tuple(full or short), bool(short)))
            i += length
            break
        else:
            i += 1
    return out


def _standalone(t: Text, start: int, end: int) -> bool:
    """A short name that is a word of its own: 丹徒|高新技术产业园, 高陂、坎市; not 主|城区."""
    return t.is_word(start, end) or (_after_boundary(t, start) and not t.text[end : end + 1].isalnum())


def _is_strong(c: _Candidate, t: Text) -> bool:
    """A full name of three characters or more: 丹徒区, 丁卯街道; not 城区 or 丹徒."""
    return not c.short and c.end - c.start >= 3


def _highest(c: _Candidate) -> list[Division]:
    top = min(_RANK[d.level] for d in c.divisions)
    return [d for d in c.divisions if _RANK[d.level] == top]


def infer_context(t: Text, title: str = "") -> PlaceContext:
    """The article's city (and county) from the places it names.

    Each sentence votes once for each city it names, directly or through one of
    its counties; the headline and first sentence count double.
    """
    gz = gazetteer()
    votes: Counter[str] = Counter()
    county_votes: Counter[str] = Counter()
    named: set[str] = set()
    first = t.sentences[0] if t.sentences else (0, 0)
    seen: set[tuple[tuple[int, int], str]] = set()
    for c in _candidates(t):
        best = _highest(c)
        if len(best) != 1 or best[0].level is PlaceLevel.TOWNSHIP:
            continue
        d = best[0]
        if d.level is PlaceLevel.COUNTY and not _is_strong(c, t):
            continue  # 丹徒, 城区: a county's short form needs context itself
        named.add(d.code)
        named.update(a.code for a in gz.ancestors(d))
        city = gz.city_of(d)
        sentence = t.sentence_of(c.start)
        weight = 2 if sentence == first or (title and t.text[c.start : c.end] in title) else 1
        if city is not None and (sentence, city.code) not in seen:
            seen.add((sentence, city.code))
            votes[city.code] += weight
        if d.level is PlaceLevel.COUNTY:
            county_votes[d.code] += weight
    city = gz.by_code[votes.most_common(1)[0][0]] if votes else None
    # Names several divisions share (永定区) count once the city tells them apart.
    for c in _candidates(t):
        if _is_strong(c, t) and len(c.divisions) > 1 and city is not None:
            in_city = [d for d in c.divisions if gz.city_of(d) == city]
            if len(in_city) == 1:
                named.add(in_city[0].code)
                if in_city[0].level is PlaceLevel.COUNTY:
                    county_votes[in_city[0].code] += 1
    county = None
    for code, _ in county_votes.most_common():
        candidate = gz.by_code[code]
        if city is None or gz.city_of(candidate) == city:
            county = candidate
            break
    return PlaceContext(city, county, frozenset(named))


def _resolve(c: _Candidate, context: PlaceContext) -> Division | None:
    """The division a county- or township-level name means in this article."""
    gz = gazetteer()
    in_named = [d for d in c.divisions if any(a.code in context.anchors for a in gz.ancestors(d))]
    if context.city is not None:
        in_city = [d for d in in_named if gz.city_of(d) == context.city]
        if len(in_city) == 1:
            return in_city[0]
    return in_named[0] if len(in_named) == 1 else None


def _after_boundary(t: Text, start: int) -> bool:
    """True if a name may start here: after punctuation, a line start or a boundary word."""
    if start == 0 or not t.text[start - 1].isalnum():
        return True
    return any(t.text.startswith(w, start - len(w)) for w in lexicon.BOUNDARY_WORDS)


def find_places(t: Text, context: PlaceContext) -> list[Mention]:
    """Every place the article names, with level and division code where known."""
    mentions = []
    for c in _candidates(t):
        surface = t.text[c.start : c.end]
        highest = _highest(c)
        division = None
        if len(highest) == 1 and highest[0].level in (PlaceLevel.PROVINCE, PlaceLevel.CITY):
            division = highest[0]  # provinces and cities go by their short forms too
        elif _is_strong(c, t):
            division = _resolve(c, context) or (c.divisions[0] if len(c.divisions) == 1 else None)
            if division is None:
                # 鼓楼区 with nothing to tell Nanjing's from Fuzhou's: a place, left unlinked
                level = Counter(d.level for d in c.divisions).most_common(1)[0][0]
                mentions.append(Mention(EntityType.PLACE, c.start, c.end, surface, level=level))
                continue
        elif not segment.is_common_word(surface, COMMON_PLACE_WORD):
            candidate = _resolve(c, context)
            if candidate is None:
                pass
            elif candidate.level is PlaceLevel.COUNTY:
                division = candidate
            elif candidate.parent in context.anchors and _after_boundary(t, c.start):
                division = candidate  # 上党 of 上党镇, where the article names 丹徒区
        if division is None:
            continue
        mentions.append(Mention(EntityType.PLACE, c.start, c.end, surface, level=division.level, code=division.code))
    return mentions


def implied(context: PlaceContext, entities: Sequence[Entity]) -> list[Entity]:
    """The article's city, county and province (the city's) as Place entities with no mentions,
    those the article does not name."""
    gz = gazetteer()
    named = {e.code for e in entities if e.type is EntityType.PLACE and e.code}
    divisions = [context.city, context.county, gz.parent(context.city) if context.city else None]
    return [
        Entity(EntityType.PLACE, d.name, level=d.level, code=d.code, confidence=0.0)
        for d in dict.fromkeys(d for d in divisions if d is not None)
        if d.code not in named
    ]
