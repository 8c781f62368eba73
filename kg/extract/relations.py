"""Relations between the entities of one article, each with its evidence sentence.

holds_post from title chains; visited from visit verbs, carrying the visitor
across sentences; located_in from names (徐州经开区 -> 徐州市), from 位于/落户/入驻,
from "在X," frames and from the park or place a visit is to; invests_in from a
company that opens a project's name or signs for it; signed_with from
"A与B…签约". Co-mentions pair the entities of each sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..gazetteer import gazetteer
from ..model import CoMention, Entity, EntityType, Mention, PlaceLevel, Relation, RelationType
from . import lexicon
from .entities import Spans
from .persons import APPOINTMENT, TitleChain
from .places import PlaceContext
from .text import Text

E = EntityType
_PERSONS = (E.OFFICIAL, E.PERSON)
_VISITABLE = (E.PARK, E.COMPANY, E.PROJECT)
_KIND_CHARS = ("市", "区", "县", "省", "镇", "乡", "旗", "州")
_MEDIA_ENDINGS = ("日报", "晚报", "报社", "网", "电视台", "财经", "新闻")


@dataclass
class _Article:
    """What the relation rules look at: the text, the mentions and their entities."""

    t: Text
    mentions: list[Mention]
    key_of: dict[Mention, str]
    entities: dict[str, Entity]
    context: PlaceContext

    def __post_init__(self) -> None:
        self._spans = Spans(m for m in self.mentions if m in self.key_of)

    def key(self, m: Mention) -> str | None:
        return self.key_of.get(m)

    def in_span(self, start: int, end: int) -> list[Mention]:
        return [m for m in self._spans.overlapping(start, end) if start <= m.start and m.end <= end]

    def starting_at(self, pos: int) -> list[Mention]:
        return [m for m in self._spans.overlapping(pos, pos + 1) if m.start == pos]

    def top_level(self, start: int, end: int) -> list[Mention]:
        """Mentions in [start, end) not nested in a mention of another entity."""
        inside = self.in_span(start, end)
        return [
            m
            for m in inside
            if not any(
                o is not m
                and o.start <= m.start
                and m.end <= o.end
                and (o.end - o.start) > (m.end - m.start)
                and self.key(o) != self.key(m)
                and not o.weak
                for o in inside
            )
        ]

    def entity_of_type(self, etype: EntityType, code: str | None = None) -> str | None:
        for key, e in self.entities.items():
            if e.type is etype and (code is None or e.code == code):
                return key
        return None


def _relation(a: _Article, rtype: RelationType, head: str, tail: str, pos: int, title: str | None = None) -> Relation:
    s, e = a.t.sentence_of(pos)
    return Relation(rtype, head, tail, a.t.text[s:e].strip(), (s, e), title)


# --- holds_post


def _main_park(a: _Article) -> str | None:
    counts = Counter(a.key(m) for m in a.mentions if m.type is E.PARK and m in a.key_of)
    return counts.most_common(1)[0][0] if counts else None


def _medium(a: _Article) -> str | None:
    for m in sorted(a.mentions, key=lambda m: m.start):
        if m.type is E.ORGANIZATION and m.text.endswith(_MEDIA_ENDINGS) and m in a.key_of:
            return a.key(m)
    return None


def _place_key(a: _Article, division) -> str | None:
    return a.entity_of_type(E.PLACE, division.code) if division else None


def _only_county(a: _Article, kind: str) -> str | None:
    """The one county (县 or 旗, by `kind`) the article names, when it names one only."""
    counties = [
        k for k, e in a.entities.items() if e.type is E.PLACE and e.level is PlaceLevel.COUNTY and e.name.endswith(kind)
    ]
    return counties[0] if len(counties) == 1 else None


def _post_tail(a: _Article, start: int, end: int) -> tuple[str | None, str]:
    """The body a title phrase names, and the title without it: 海陵区|委常委 -> (海陵区, 区委常委)."""
    text = a.t.text
    opening = start + 2 if text.startswith("中共", start) else start
    candidates = [
        m for m in a.mentions if m.start == opening and m.end < end and m in a.key_of and m.type not in _PERSONS
    ]
    if candidates:
        m = max(candidates, key=lambda m: m.end)
        cut = m.end - 1 if m.type is E.PLACE and m.text.endswith(_KIND_CHARS) else m.end
        return a.key(m), text[cut:end]
    phrase = text[start:end]
    city = _place_key(a, a.context.city)
    if "党工委" in phrase or "管委会" in phrase:
        return _main_park(a), phrase
    if phrase.startswith("市") or any(w in phrase for w in ("市长", "市委", "市政府", "市人大", "市政协", "市领导")):
        return city, phrase
    if (
        a.context.city is not None
        and a.context.city.name.endswith("自治州")
        and (phrase.startswith("州") or any(w in phrase for w in ("州长", "州委", "州政府", "州人大", "州政协")))
    ):
        return city, phrase
    for kind in ("县", "旗"):  # a banner (旗) is a county
        if phrase.startswith(kind) or any(kind + w in phrase for w in ("长", "委", "政府", "人大", "政协")):
            return _place_key(a, a.context.county) or _only_county(a, kind), phrase
    if phrase.startswith("区") or "区委" in phrase or "区长" in phrase:
        county = a.context.county
        return (_place_key(a, county) if county else _main_park(a)), phrase
    if a.context.city is not None and (
        phrase.startswith("省") or any(w in phrase for w in ("省长", "省委", "省政府", "省人大", "省政协"))
    ):
        return _place_key(a, gazetteer().parent(a.context.city)), phrase
    if phrase in lexicon.PRESS_TITLES:
        return _medium(a), phrase
    return None, phrase


def _same_level_bare(a: _Article, named: str, implied: str, start: int) -> bool:
    """True when a title that names no body (市长) follows, in one chain, a place of the level it implies."""
    if named == implied or a.starting_at(start):
        return False
    before, after = a.entities.get(named), a.entities.get(implied)
    return (
        before is not None
        and after is not None
        and before.type is after.type is E.PLACE
        and before.level is not None
        and before.level == after.level
    )


def holds_post(a: _Article, chains: list[TitleChain]) -> list[Relation]:
    out = []
    for chain in chains:
        person = next((a.key(m) for m in a.mentions if (m.start, m.end) == chain.name_span and m in a.key_of), None)
        if person is None:
            continue
        posts: dict[str, list[str]] = {}
        tail = None
        for start, end in chain.phrases:
            found, title = _post_tail(a, start, end)
            if tail is not None and found is not None and _same_level_bare(a, tail, found, start):
                found = tail  # 保定市委副书记、市长: the 市长 of the city the chain named, not the article's
            tail = found or tail
            if tail is not None and tail != person:
                posts.setdefault(tail, []).append(title)
        for tail_key, titles in posts.items():
            out.append(_relation(a, RelationType.HOLDS_POST, person, tail_key, chain.name_span[0], "、".join(titles)))
    return out


def appointments(a: _Article) -> list[Relation]:
    """Posts an appointment notice gives: 盛付祥同志任A管理委员会、B管理委员会主任 ->
    盛付祥 holds 主任 at A and at B (the park a body belongs to, else the body)."""
    text = a.t.text
    out = []
    for m in APPOINTMENT.finditer(text):
        if m.group(1):
            continue  # 不再担任: a post left, not held
        person = next(
            (a.key(p) for p in a.mentions if p.end == m.start() and p.type in _PERSONS and p in a.key_of), None
        )
        if person is None:
            continue
        end = m.end()
        while end < len(text) and text[end] not in ",，;；。\n":
            end += 1
        items, start = [], m.end()
        for part in text[m.end() : end].split("、"):
            items.append((start, start + len(part)))
            start += len(part) + 1
        titles = []
        while items and text[items[-1][0] : items[-1][1]] in lexicon.OFFICIAL_TITLES:
            titles.insert(0, text[items[-1][0] : items[-1][1]])
            items.pop()
        if not items:
            continue
        s, e = items[-1]
        last = max(
            (t for t in lexicon.OFFICIAL_TITLES if text.endswith(t, s, e) and e - s > len(t)), key=len, default=None
        )
        if last is None:
            continue
        titles.insert(0, last)
        items[-1] = (s, e - len(last))
        for s, e in items:
            inside = [p for p in a.mentions if s <= p.start and p.end <= e and p in a.key_of and p.type not in _PERSONS]
            for etype in (E.PARK, E.ORGANIZATION, E.PLACE):
                found = [p for p in inside if p.type is etype]
                if found:
                    tail = a.key(max(found, key=lambda p: p.end - p.start))
                    out.append(_relation(a, RelationType.HOLDS_POST, person, tail, s, "、".join(titles)))
                    break
    return out


# --- visited, and located_in from the trip a visit belongs to


def _after(text: str, pos: int, words: tuple[str, ...]) -> str | None:
    return next((w for w in sorted(words, key=len, reverse=True) if text.endswith(w, 0, pos)), None)


def visits(a: _Article, title_spans: list[tuple[int, int]]) -> tuple[list[Relation], list[Relation]]:
    """visited relations, and the located_in that a trip's frame gives its stops."""
    text = a.t.text
    visited, located = [], []
    last_visitor = None
    park_frame = place_frame = None
    previous_objects: list[Mention] = []
    for s, e in a.t.sentences:
        sentence = text[s:e]
        top = a.top_level(s, e)
        verbs = [s + i for v in lexicon.VISIT_VERBS for i in _find_all(sentence, v)]
        movers = [
            m
            for m in top
            if m.type in (*_VISITABLE, E.PLACE, E.ORGANIZATION) and _after(text, m.start, lexicon.MOVE_VERBS)
        ]
        if not verbs and not movers:
            previous_objects = [m for m in top if m.type in _VISITABLE]
            continue
        first = min(verbs + [m.start for m in movers])
        before = _visitors_before(text, [m for m in top if m.type in _PERSONS and m.end <= first], first)
        subject = a.key(before[-1]) if before else last_visitor
        if subject is None:
            continue
        framed = text.startswith("在", s) and any(m.start == s + 1 and m.type is E.PARK for m in top)
        objects = []
        for m in top:
            inside_title = any(ts <= m.start < te for ts, te in title_spans)
            if inside_title or _after(text, m.start, lexicon.LOCATION_VERBS):
                continue
            if m.type in _VISITABLE or m in movers:
                objects.append(m)
        if not objects and "现场" in sentence:
            objects = previous_objects
        for m in objects:
            key = a.key(m)
            visited.append(_relation(a, RelationType.VISITED, subject, key, m.start))
            if framed:
                continue
            frame = park_frame if m.type in (E.COMPANY, E.PROJECT) and park_frame else place_frame
            if frame and frame != key and m.type is not E.PLACE:
                located.append(_relation(a, RelationType.LOCATED_IN, key, frame, m.start))
            if m.type is E.PARK and park_frame is None:
                park_frame = key
            if m.type is E.PLACE and place_frame is None:
                place_frame = key
        last_visitor = subject
        previous_objects = [m for m in top if m.type in _VISITABLE]
    return visited, located


def _visitors_before(text: str, persons: list[Mention], verb: int) -> list[Mention]:
    """The persons named before a visit verb, less the hosts: 省长A在市委书记B的陪同下考察 is A's visit."""
    out = []
    for i, m in enumerate(persons):
        upto = persons[i + 1].start if i + 1 < len(persons) else verb
        if not any(w in text[m.end : upto] for w in lexicon.ACCOMPANY_WORDS):
            out.append(m)
    return out


def _find_all(sentence: str, word: str) -> list[int]:
    out, i = [], sentence.find(word)
    while i >= 0:
        out.append(i)
        i = sentence.find(word, i + 1)
    return out


# --- located_in from names and from the text


def located_by_name(a: _Article) -> list[Relation]:
    """徐州经开区 -> 徐州市; 中国(河南)自由贸易试验区开封片区 -> 中国(河南)自由贸易试验区, 开封市."""
    out = []
    for m in a.mentions:
        if m.type not in (E.PARK, E.COMPANY, E.ORGANIZATION, E.PROJECT) or m.weak or m not in a.key_of:
            continue
        key = a.key(m)
        inner = [o for o in a.in_span(m.start, m.end) if o is not m and a.key(o) != key]
        parks = [o for o in inner if o.type is E.PARK and not o.weak]
        if m.type is E.PROJECT:
            parks = [o for o in parks if o.start == m.start]
            places = []
        else:
            places = [
                o for o in inner if o.type is E.PLACE and not any(p.start <= o.start and o.end <= p.end for p in parks)
            ]
        for o in parks + places:
            out.append(_relation(a, RelationType.LOCATED_IN, key, a.key(o), m.start))
        city = _place_key(a, a.context.city)
        bare = m.type is E.PARK and (m.text in lexicon.PARK_NAMING_KINDS or m.text.startswith("市"))
        if bare and city and not places and not parks:
            out.append(_relation(a, RelationType.LOCATED_IN, key, city, m.start))
    return out


# Projects or companies said to enter a park: 入驻项目, 入区企业, 落户企业.
_ENTERING = re.compile(r"(?:入驻|入区|落户|进驻)(?:的)?(?:企业|项目)")


def located_by_text(a: _Article) -> list[Relation]:
    """位于/落户/入驻, "是丹徒区的两个…园区", and "在镇江新区,…" frames."""
    text = a.t.text
    out = []
    for s, e in a.t.sentences:
        top = sorted(a.top_level(s, e), key=lambda m: m.start)
        things = [m for m in top if m.type in (E.PARK, E.COMPANY, E.PROJECT, E.ORGANIZATION)]
        for verb in lexicon.LOCATION_VERBS:
            for i in _find_all(text[s:e], verb):
                pos = s + i + len(verb)
                after = [m for m in top if m.start >= pos and m.start - pos <= 3 and m.type in (E.PLACE, E.PARK)]
                if not after:
                    continue
                where = after[0]
                if text.startswith("的", where.end):
                    heads = [m for m in things if m.start == where.end + 1]
                elif verb in ("入驻", "落户"):
                    heads = [m for m in things if m.end <= s + i and m.type in (E.COMPANY, E.PROJECT)]
                else:
                    heads = [m for m in things if m.end <= s + i and s + i - m.end <= 2]
                for h in heads:
                    if a.key(h) != a.key(where):
                        out.append(_relation(a, RelationType.LOCATED_IN, a.key(h), a.key(where), h.start))
        # A…、B…等12个首批入驻项目集中签约: entering projects enter the park the sentence
        # names, else the article's park.
        if _ENTERING.search(text, s, e):
            named = [m for m in top if m.type is E.PARK]
            park = a.key(named[0]) if named else _main_park(a)
            for h in things:
                if h.type in (E.COMPANY, E.PROJECT) and park:
                    out.append(_relation(a, RelationType.LOCATED_IN, a.key(h), park, h.start))
        # 上党生态汽车产业园和丹徒高新技术产业园,是丹徒区的两个…园区
        is_at = text.find(",是", s, e)
        if is_at > 0:
            where = next((m for m in top if m.start == is_at + 2 and m.type is E.PLACE), None)
            if where is not None and text.startswith("的", where.end):
                for h in things:
                    if h.end <= is_at and h.type is E.PARK:
                        out.append(_relation(a, RelationType.LOCATED_IN, a.key(h), a.key(where), h.start))
        # 在镇江新区,徐曙海先后前往…鑫鼎茂工业园
        if text.startswith("在", s):
            frame = next((m for m in top if m.start == s + 1 and m.type is E.PARK), None)
            if frame is not None and text[frame.end : frame.end + 1] in (",", "，"):
                for h in things:
                    if h is not frame and h.type in (E.PARK, E.COMPANY, E.PROJECT):
                        out.append(_relation(a, RelationType.LOCATED_IN, a.key(h), a.key(frame), h.start))
    return out


def close_park_chains(a: _Article, located: list[Relation]) -> list[Relation]:
    """A park in a park in a park is in the outer park too (清华产业园 -> 信阳市产业集聚区).

    Only parks: a company is said to be in the park the text names, and
    the graph's kg:locatedIn+ path gives the rest.
    """
    parks = {k for k, e in a.entities.items() if e.type is E.PARK}
    inside = {(r.head, r.tail): r for r in located if r.tail in parks and r.head in parks}
    added = []
    for (h, t), r in list(inside.items()):
        for h2, t2 in list(inside):
            if h2 == t and t2 != h and (h, t2) not in inside:
                rel = Relation(RelationType.LOCATED_IN, h, t2, r.evidence, r.evidence_span)
                inside[h, t2] = rel
                added.append(rel)
    return added


# --- invests_in and signed_with


def investments_and_signings(a: _Article) -> list[Relation]:
    text = a.t.text
    out = []
    for m in a.mentions:
        if m.type is not E.PROJECT or m.weak or m not in a.key_of:
            continue
        for o in a.in_span(m.start, m.end):
            if o.type is E.COMPANY and o.start == m.start and o.end < m.end:
                out.append(_relation(a, RelationType.INVESTS_IN, a.key(o), a.key(m), m.start))
    parties = (E.COMPANY, E.ORGANIZATION, E.PARK, E.PLACE)
    for s, e in a.t.sentences:
        sentence = text[s:e]
        if not any(w in sentence for w in lexicon.SIGNING_WORDS):
            continue
        top = a.top_level(s, e)
        for i in _find_all(sentence, "与"):
            pos = s + i
            left = [m for m in top if m.end == pos and m.type in parties]
            right = [m for m in top if m.start == pos + 1 and m.type in parties]
            if not (left and right):
                continue
            x, y = left[-1], right[0]
            out.append(_relation(a, RelationType.SIGNED_WITH, a.key(x), a.key(y), pos))
            for company in (x, y):
                if company.type is not E.COMPANY:
                    continue
                for p in top:
                    if p.type is E.PROJECT and p.start > pos:
                        out.append(_relation(a, RelationType.INVESTS_IN, a.key(company), a.key(p), p.start))
    return out


def co_mentions(a: _Article) -> list[CoMention]:
    out = []
    for s, e in a.t.sentences:
        keys = sorted({a.key(m) for m in a.in_span(s, e)} - {None})
        out += [CoMention(x, y, (s, e)) for i, x in enumerate(keys) for y in keys[i + 1 :]]
    return out


def find_relations(
    t: Text,
    mentions: list[Mention],
    key_of: dict[Mention, str],
    entities: list[Entity],
    context: PlaceContext,
    chains: list[TitleChain],
) -> tuple[list[Relation], list[CoMention]]:
    """Every relation of the article, one per (type, head, tail, title), first evidence kept."""
    a = _Article(t, mentions, key_of, {e.key: e for e in entities}, context)
    title_spans = [p for c in chains for p in c.phrases]
    visited, trip_located = visits(a, title_spans)
    located = located_by_name(a) + located_by_text(a) + trip_located
    located += close_park_chains(a, located)
    relations = holds_post(a, chains) + appointments(a) + visited + located + investments_and_signings(a)
    seen, unique = set(), []
    for r in relations:
        key = (
            (r.type, r.head, r.tail) if r.type is not RelationType.SIGNED_WITH else (r.type, *sorted((r.head, r.tail)))
        )
        if r.head == r.tail or key in seen:
            continue
        seen.add(key)
        unique.append(r)
    return unique, co_mentions(a)


__all__ = ["find_relations", "PlaceLevel"]
