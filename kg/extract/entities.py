"""Mentions to entities: overlaps settled, and the forms of one entity grouped.

The name of an entity is the fullest form the article uses; its other forms
are aliases (guidelines, "Naming rules"). A weak mention (电子产业园, 经开区)
joins the named entity it abbreviates; 高新区 with no named zone of its kind in
the article is an entity of its own.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..gazetteer import gazetteer
from ..model import Entity, EntityType, Mention
from ..normalize import canonical, is_prefixed_form, place_prefix_length
from . import lexicon

_PERSON_TYPES = (EntityType.OFFICIAL, EntityType.PERSON)
# Bare kinds that refer back to a park, never name one: 园区, 开发区.
_BARE_BACK_REFERENCES = frozenset(lexicon.PARK_SUFFIXES) - lexicon.PARK_NAMING_KINDS


# Types whose short forms may leave out characters anywhere (井开区 for 井冈山经开区).
_ABBREVIATED_TYPES = (EntityType.PARK, EntityType.ORGANIZATION)
# Kinds that a company's name may hold without being one: 江苏建发建设项目|咨询有限公司.
_INSIDE_COMPANY_TYPES = (EntityType.ORGANIZATION, EntityType.PARK, EntityType.PROJECT)


class Spans:
    """Mentions indexed by position: which of them overlap a stretch of text, in time that grows with the answer."""

    def __init__(self, mentions: Iterable[Mention]) -> None:
        self.mentions = sorted(mentions, key=mention_order)
        self.starts = [m.start for m in self.mentions]
        self.longest = max((m.end - m.start for m in self.mentions), default=0)

    def overlapping(self, start: int, end: int) -> list[Mention]:
        """The mentions that share a character with [start, end)."""
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return [m for m in self.mentions[lo:hi] if m.end > start]


def settle_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Drop mentions that another mention rules out.

    A person's name wins over a place inside it (曹中原 is no 中原); a listed
    project wins over a park or company of the same span (广州澳猫开封跨境电商产业园
    in a list of projects); of two mentions of one type that end together, the
    one the tagger finds likelier wins, the longer of equals (复星医药生物制剂与高端医疗器械项目
    over 高端医疗器械项目, but 西安高新区 over 标志著西安高新区).
    """
    persons = Spans(m for m in mentions if m.type in _PERSON_TYPES)
    listed_projects = {
        (m.start, m.end)
        for m in mentions
        if m.type is EntityType.PROJECT and not m.weak and (not m.origin or "rules" in m.origin)
    }
    companies = Spans(m for m in mentions if m.type is EntityType.COMPANY)
    # (type, end) -> the start of the likeliest strong mention ending there, the longest of equals
    best_start: dict[tuple[EntityType, int], tuple[float, int, int]] = {}
    for m in mentions:
        if not m.weak:
            key = (m.type, m.end)
            best_start[key] = max(best_start.get(key, (0.0, 0, 0)), (m.confidence, m.end - m.start, m.start))
    kept = []
    for m in mentions:
        if m.type not in _PERSON_TYPES and any(not contains(m, p) for p in persons.overlapping(m.start, m.end)):
            continue
        if m.type in (EntityType.PARK, EntityType.COMPANY) and (m.start, m.end) in listed_projects:
            continue  # a project the rules list wins; one LAC or the tagger guesses competes
        if m.type in _INSIDE_COMPANY_TYPES and any(contains(c, m) for c in companies.overlapping(m.start, m.end)):
            continue  # 泰州科聚新材料技术研究院|有限公司 is a company, not an institute
        best = best_start.get((m.type, m.end))
        if best is not None and (best[2] < m.start if m.weak else best[2] != m.start):
            continue  # a weak form inside a name is no mention of its own
        kept.append(m)
    return sorted(set(kept), key=mention_order)


def mention_order(m: Mention) -> tuple:
    """Every field in the key: mentions that tie on their span keep one order, whatever the hashing."""
    return (m.start, -m.end, m.type, m.weak, -m.confidence, m.level or "", m.code or "", m.origin)


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def contains(outer: Mention, inner: Mention) -> bool:
    """True if `inner` lies within `outer` and is shorter."""
    return outer.start <= inner.start and inner.end <= outer.end and outer.end - outer.start > inner.end - inner.start


@dataclass
class _Group:
    type: EntityType
    surfaces: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    code: str | None = None
    index: int = -1
    starts: list[int] = field(default_factory=list)  # of its mentions, sorted

    @property
    def name(self) -> str:
        if self.type is EntityType.PLACE and self.code:
            return gazetteer().by_code[self.code].name
        return max(self.surfaces, key=lambda s: (len(s), s))


class _Forms:
    """The groups of one kind by the endings of their names' canonical forms: which groups a
    shorter form may abbreviate (徐州经开区 for 经开区), found by look-up rather than by scanning."""

    def __init__(self) -> None:
        self._by_ending: dict[tuple[EntityType, str], list[int]] = defaultdict(list)
        self._seen: set[tuple[int, str]] = set()

    def add(self, index: int, etype: EntityType, surface: str) -> None:
        form = canonical(surface, etype)
        if (index, form) in self._seen:
            return
        self._seen.add((index, form))
        for i in range(len(form)):
            self._by_ending[etype, form[i:]].append(index)

    def ending_with(self, etype: EntityType, surface: str) -> list[int]:
        """Indices of the groups, in creation order, one of whose forms ends with `surface`'s."""
        return sorted(set(self._by_ending.get((etype, canonical(surface, etype)), ())))


def group_mentions(text: str, mentions: list[Mention]) -> tuple[list[Entity], dict[Mention, str]]:
    """Entities of the article `text`, and which entity (by key) each of its mentions names."""
    groups: list[_Group] = []
    by_code: dict[str, _Group] = {}
    by_surface: dict[tuple[EntityType, str], _Group] = {}
    owner: dict[Mention, _Group] = {}
    forms = _Forms()

    def new_group(group: _Group) -> _Group:
        groups.append(group)
        group.index = len(groups) - 1
        return group

    def own(m: Mention, group: _Group) -> None:
        owner[m] = group
        group.mentions.append(m)
        bisect.insort(group.starts, m.start)

    # Places: one entity per division.
    for m in mentions:
        if m.type is EntityType.PLACE:
            key = m.code or m.text
            if key not in by_code:
                by_code[key] = new_group(_Group(EntityType.PLACE, code=m.code))
            by_code[key].surfaces.append(m.text)
            own(m, by_code[key])

    # Named entities: the longest forms first, each shorter form joining one it abbreviates.
    strong = [m for m in mentions if m.type is not EntityType.PLACE and not m.weak]
    by_type: dict[EntityType, list[str]] = defaultdict(list)
    listed: set[tuple[EntityType, str]] = set()
    # of two forms of one length, the one whose kind is spelt out longer first: 重庆经开区 before 重庆开发区
    for m in sorted(strong, key=lambda m: (-len(m.text), -len(canonical(m.text, m.type)))):
        if (m.type, m.text) not in listed:
            listed.add((m.type, m.text))
            by_type[m.type].append(m.text)
    # a name before the short form may be any named thing: 信阳市产业集聚区|清华产业园项目
    known = {m.text for m in strong}
    for etype, surfaces in by_type.items():
        for surface in surfaces:
            group = None
            if etype not in _PERSON_TYPES:
                for i in forms.ending_with(etype, surface):
                    if any(is_prefixed_form(s, surface, etype, known) for s in groups[i].surfaces):
                        group = groups[i]
                        break
            if group is None and etype in _ABBREVIATED_TYPES:
                group = _abbreviation_of(surface, [g for g in groups if g.type is etype])
            if group is None and etype is EntityType.PARK:
                group = _general_kind_of(surface, [g for g in groups if g.type is etype])
            if group is None and etype is EntityType.COMPANY:
                group = _brand_of(surface, [g for g in groups if g.type is etype])
            if group is None:
                group = new_group(_Group(etype))
            group.surfaces.append(surface)
            forms.add(group.index, etype, surface)
            by_surface[etype, surface] = group
    for m in strong:
        own(m, by_surface[m.type, m.text])

    # Weak mentions: aliases of the entity they abbreviate, nearest before them first.
    by_end = {(m.type, m.end): g for m, g in owner.items()}
    for m in sorted((m for m in mentions if m.weak), key=lambda m: m.start):
        if m.text in _BARE_BACK_REFERENCES:
            continue
        # 龙岩经开区(高新区): the bracketed kind is an alias of the park before it
        bracketed = text[m.start - 1 : m.start] in ("(", "（")
        group = (by_end.get((m.type, m.start - 1)) if bracketed else None) or _abbreviated(m, groups, forms)
        if group is None and m.type is EntityType.PARK and m.text in lexicon.PARK_NAMING_KINDS:
            group = by_surface.get((m.type, m.text))
            if group is None:
                group = new_group(_Group(m.type))
                by_surface[m.type, m.text] = group
        if group is None:
            continue
        if m.text not in group.surfaces:
            group.surfaces.append(m.text)
            forms.add(group.index, m.type, m.text)
        own(m, group)
        by_end.setdefault((m.type, m.end), group)

    entities = []
    for g in groups:
        name = g.name
        aliases = tuple(sorted({s for s in g.surfaces if s != name}))
        spans = tuple(sorted({(m.start, m.end) for m in g.mentions}))
        level = gazetteer().by_code[g.code].level if g.code else (g.mentions[0].level if g.mentions else None)
        confidence = max((m.confidence for m in g.mentions), default=1.0)
        entities.append(Entity(g.type, name, aliases, spans, level=level, code=g.code, confidence=confidence))
    key_of = {id(g): Entity(g.type, g.name).key for g in groups}
    return entities, {m: key_of[id(g)] for m, g in owner.items()}


def _abbreviation_of(surface: str, groups: list[_Group]) -> _Group | None:
    """The one group a longer name of which `surface` abbreviates by leaving characters out:
    井开区 of 井冈山经开区, 兰白试验区 of 兰白科技创新改革试验区, 市发改委 of 市发展和改革委员会."""
    if len(surface) < 3 or surface in lexicon.PARK_SUFFIXES:
        return None
    fits = {
        id(g): g
        for g in groups
        for name in g.surfaces
        if len(name) > len(surface)
        and name[0] == surface[0]
        and surface[-1] in name[-3:]
        and _is_subsequence(surface, name)
        and (g.type is not EntityType.PARK or _same_kind(surface, name))
    }
    return next(iter(fits.values())) if len(fits) == 1 else None


def _general_kind_of(surface: str, groups: list[_Group]) -> _Group | None:
    """The one park group that `surface` names by a more general kind: 重庆开发区 of 重庆经开区,
    甘河园区 of 青海甘河工业园区 (the same name before it, places aside; a kind its kind ends)."""
    kind = park_kind(surface)
    core = _core(surface, kind)
    if kind is None or len(core) < 2:
        return None
    fits = {
        id(g): g
        for g in groups
        for name in g.surfaces
        if (other := park_kind(name)) is not None
        and other != kind
        and other.endswith(kind)
        and (full := _core(name, other)).endswith(core)
        and place_prefix_length(full[: len(full) - len(core)]) == len(full) - len(core)
    }
    return next(iter(fits.values())) if len(fits) == 1 else None


def _brand_of(surface: str, groups: list[_Group]) -> _Group | None:
    """The one company group whose full name `surface` opens, the rest its trade and kind:
    北汽福田 of 北汽福田汽车股份有限公司, 华为 of 华为技术有限公司."""
    if len(surface) < 2 or surface.endswith(lexicon.COMPANY_SUFFIXES):
        return None
    fits = {
        id(g): g
        for g in groups
        for name in g.surfaces
        if name.startswith(surface) and name.endswith(lexicon.COMPANY_SUFFIXES) and "(" not in name[len(surface) :]
    }
    return next(iter(fits.values())) if len(fits) == 1 else None


def _core(name: str, kind: str | None) -> str:
    """A park's canonical name without its kind: 重庆经济技术开发区 -> 重庆."""
    form = canonical(name, EntityType.PARK)
    return form[: len(form) - len(kind)] if kind and form.endswith(kind) else form


def park_kind(name: str) -> str | None:
    """The kind a park's name ends with, the longest (高新区, not 新区), in full (经开区 as 经济技术开发区)."""
    kind = next((k for k in lexicon.PARK_SUFFIXES if name.endswith(k)), None)
    return canonical(kind, EntityType.PARK) if kind else None


def _same_kind(short: str, full: str) -> bool:
    """False if the short form names a kind of park the full name is not: 长春新区 is no 长春高新区,
    西安高新区 no 西安高新综合保税区; a short form with no kind of its own (井开区) may be any."""
    kind = park_kind(short)
    return kind is None or kind == park_kind(full)


def _is_subsequence(short: str, full: str) -> bool:
    rest = iter(full)
    return all(ch in rest for ch in short)


def _abbreviated(m: Mention, groups: list[_Group], forms: _Forms) -> _Group | None:
    """The group `m` abbreviates: the only one it fits, else the one named last before it."""
    fits = [groups[i] for i in forms.ending_with(m.type, m.text) if groups[i].type is m.type]
    if len(fits) <= 1:
        return fits[0] if fits else None
    before = [(g.starts[k - 1], g) for g in fits if (k := bisect.bisect_left(g.starts, m.start))]
    return max(before, key=lambda x: x[0])[1] if before else None
