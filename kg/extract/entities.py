"""Mentions to entities: overlaps settled, and the forms of one entity grouped.

The name of an entity is the fullest form the article uses; its other forms
are aliases (guidelines, "Naming rules"). A weak mention (电子产业园, 经开区)
joins the named entity it abbreviates; 高新区 with no named zone of its kind in
the article is an entity of its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..gazetteer import gazetteer
from ..model import Entity, EntityType, Mention
from ..normalize import canonical, is_prefixed_form
from . import lexicon

_PERSON_TYPES = (EntityType.OFFICIAL, EntityType.PERSON)
# Bare kinds that refer back to a park, never name one: 园区, 开发区.
_BARE_BACK_REFERENCES = frozenset(lexicon.PARK_SUFFIXES) - lexicon.PARK_NAMING_KINDS


# Kinds that a company's name may hold without being one: 江苏建发建设项目|咨询有限公司.
_INSIDE_COMPANY_TYPES = (EntityType.ORGANIZATION, EntityType.PARK, EntityType.PROJECT)


def settle_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Drop mentions that another mention rules out.

    A person's name wins over a place inside it (曹中原 is no 中原); a listed
    project wins over a park or company of the same span (广州澳猫开封跨境电商产业园
    in a list of projects); of two mentions of one type that end together, the
    longer wins (复星医药生物制剂与高端医疗器械项目 over 高端医疗器械项目).
    """
    persons = [m for m in mentions if m.type in _PERSON_TYPES]
    projects = [m for m in mentions if m.type is EntityType.PROJECT and not m.weak]
    companies = [m for m in mentions if m.type is EntityType.COMPANY]
    kept = []
    for m in mentions:
        if m.type not in _PERSON_TYPES and any(_overlaps(p, m) and not contains(m, p) for p in persons):
            continue
        if m.type in (EntityType.PARK, EntityType.COMPANY) and any(
            p.start == m.start and p.end == m.end and (not p.origin or "rules" in p.origin) for p in projects
        ):
            continue  # a project the rules list wins; one LAC or the tagger guesses competes
        if m.type in _INSIDE_COMPANY_TYPES and any(contains(c, m) for c in companies):
            continue  # 泰州科聚新材料技术研究院|有限公司 is a company, not an institute
        if any(
            o.type is m.type and o.end == m.end and o.start < m.start and not o.weak for o in mentions if o is not m
        ):
            continue
        kept.append(m)
    # every field in the key: two mentions of one span (a weak and a strong one) keep one order
    return sorted(
        set(kept), key=lambda m: (m.start, -m.end, m.type, m.weak, -m.confidence, m.level or "", m.code or "")
    )


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

    @property
    def name(self) -> str:
        if self.type is EntityType.PLACE and self.code:
            return gazetteer().by_code[self.code].name
        return max(self.surfaces, key=lambda s: (len(s), s))


def group_mentions(mentions: list[Mention]) -> tuple[list[Entity], dict[Mention, str]]:
    """Entities of one article, and which entity (by key) each mention names."""
    groups: list[_Group] = []
    by_code: dict[str, _Group] = {}
    by_surface: dict[tuple[EntityType, str], _Group] = {}
    owner: dict[Mention, _Group] = {}

    # Places: one entity per division.
    for m in mentions:
        if m.type is EntityType.PLACE:
            key = m.code or m.text
            if key not in by_code:
                by_code[key] = _Group(EntityType.PLACE, code=m.code)
                groups.append(by_code[key])
            by_code[key].surfaces.append(m.text)
            by_code[key].mentions.append(m)
            owner[m] = by_code[key]

    # Named entities: the longest forms first, each shorter form joining one it abbreviates.
    strong = [m for m in mentions if m.type is not EntityType.PLACE and not m.weak]
    by_type: dict[EntityType, list[str]] = defaultdict(list)
    for m in sorted(strong, key=lambda m: -len(m.text)):
        if m.text in by_type[m.type]:
            continue
        by_type[m.type].append(m.text)
    for etype, surfaces in by_type.items():
        # a name before the short form may be any named thing: 信阳市产业集聚区|清华产业园项目
        known = {m.text for m in strong}
        for surface in surfaces:
            group = None
            if etype not in _PERSON_TYPES:
                for g in groups:
                    if g.type is etype and any(is_prefixed_form(s, surface, etype, known) for s in g.surfaces):
                        group = g
                        break
            if group is None:
                group = _Group(etype)
                groups.append(group)
            group.surfaces.append(surface)
            by_surface[etype, surface] = group
    for m in strong:
        owner[m] = by_surface[m.type, m.text]
        owner[m].mentions.append(m)

    # Weak mentions: aliases of the entity they abbreviate, nearest before them first.
    for m in sorted((m for m in mentions if m.weak), key=lambda m: m.start):
        if m.text in _BARE_BACK_REFERENCES:
            continue
        group = _parenthetical_owner(m, mentions, owner) or _abbreviated(m, groups, owner)
        if group is None and m.type is EntityType.PARK and m.text in lexicon.PARK_NAMING_KINDS:
            group = by_surface.get((m.type, m.text))
            if group is None:
                group = _Group(m.type)
                groups.append(group)
                by_surface[m.type, m.text] = group
        if group is None:
            continue
        if m.text not in group.surfaces:
            group.surfaces.append(m.text)
        group.mentions.append(m)
        owner[m] = group

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


def _parenthetical_owner(m: Mention, mentions: list[Mention], owner: dict[Mention, _Group]) -> _Group | None:
    """龙岩经开区(高新区): the bracketed kind is an alias of the park before it."""
    for o in mentions:
        if o.type is m.type and o.end == m.start - 1 and o in owner:
            return owner[o]
    return None


def _abbreviated(m: Mention, groups: list[_Group], owner: dict[Mention, _Group]) -> _Group | None:
    key = canonical(m.text, m.type)
    fits = [g for g in groups if g.type is m.type and any(canonical(s, m.type).endswith(key) for s in g.surfaces)]
    if len(fits) <= 1:
        return fits[0] if fits else None
    before = [(o.start, g) for o, g in owner.items() if g in fits and o.start < m.start]
    return max(before, key=lambda x: x[0])[1] if before else None
