"""Extractions -> the same extractions with every entity under its corpus-wide IRI.

Two entities of one type are one when they share a canonical name
(徐州经开区 = 徐州经济技术开发区), or when a distinctive alias of one is the
name of the other; places are one when they are one division (镇江 = 镇江市).
An entity's IRI comes from its type and the canonical form of its fullest name
(or a place's division code), never from a counter, so rebuilding gives the
same IRIs.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import replace

from .model import CoMention, Entity, EntityType, Extraction, Relation
from .normalize import canonical
from .rdf import iri_for

log = logging.getLogger(__name__)

# An alias this short (高新区, 园区, 王) names too many things to merge on.
_MIN_DISTINCTIVE_ALIAS = 4
_PERSON_TYPES = (EntityType.OFFICIAL, EntityType.PERSON)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _node(entity: Entity) -> str:
    """The merge key of an entity: its division code, else its canonical name."""
    if entity.type is EntityType.PLACE and entity.code:
        return f"Place:code:{entity.code}"
    # Officials and persons are one kind of node: a person named once with a
    # title and once without is still one person.
    kind = "Person" if entity.type in _PERSON_TYPES else entity.type
    return f"{kind}:{canonical(entity.name, entity.type)}"


def _entity_type(types: Counter) -> EntityType:
    """Official wins over Person: one mention with a post makes a person an official."""
    if EntityType.OFFICIAL in types:
        return EntityType.OFFICIAL
    return types.most_common(1)[0][0]


def merge(extractions: list[Extraction], base_iri: str) -> list[Extraction]:
    """The extractions with `Entity.id`, relation ends and co-mentions set to merged IRIs.

    >>> from kg.model import Article, Entity, EntityType, Extraction
    >>> def one(name):
    ...     e = Entity(EntityType.PARK, name)
    ...     return Extraction(Article(name, name, name), None, (e,), ())
    >>> a, b = merge([one("徐州经开区"), one("徐州经济技术开发区")], "https://x.org/")
    >>> a.entities[0].id == b.entities[0].id
    True
    """
    uf = _UnionFind()
    names: dict[str, str] = {}  # node -> an entity name it came from
    for ex in extractions:
        for e in ex.entities:
            node = uf.find(_node(e))
            names.setdefault(_node(e), e.name)
            if e.type is EntityType.PLACE:
                continue
            for alias in e.aliases:
                if len(alias) >= _MIN_DISTINCTIVE_ALIAS and e.type not in _PERSON_TYPES:
                    other = _node(replace(e, name=alias))
                    names.setdefault(other, alias)
                    uf.union(node, other)

    members: dict[str, list[Entity]] = defaultdict(list)
    for ex in extractions:
        for e in ex.entities:
            members[uf.find(_node(e))].append(e)

    iri_of_root: dict[str, str] = {}
    type_of_root: dict[str, EntityType] = {}
    for root, entities in members.items():
        etype = _entity_type(Counter(e.type for e in entities))
        first = entities[0]
        if etype is EntityType.PLACE and first.code:
            iri_of_root[root] = iri_for(base_iri, etype, first.code)
        else:
            fullest = max((e.name for e in entities), key=lambda n: (len(canonical(n, etype)), canonical(n, etype)))
            iri_of_root[root] = iri_for(base_iri, etype, canonical(fullest, etype))
        type_of_root[root] = etype

    merged = []
    for ex in extractions:
        iri: dict[str, str] = {}
        entities = []
        for e in ex.entities:
            root = uf.find(_node(e))
            iri[e.key] = iri_of_root[root]
            entities.append(replace(e, id=iri_of_root[root]))
        relations = tuple(
            replace(r, head=iri[r.head], tail=iri[r.tail])
            for r in ex.relations
            if r.head in iri and r.tail in iri and iri[r.head] != iri[r.tail]
        )
        co = tuple(
            CoMention(*sorted((iri[c.a], iri[c.b])), c.sentence_span)
            for c in ex.co_mentions
            if c.a in iri and c.b in iri and iri[c.a] != iri[c.b]
        )
        merged.append(replace(ex, entities=tuple(_dedupe(entities)), relations=_unique(relations), co_mentions=co))
    log.debug("merged %d entity records into %d entities", sum(len(m) for m in members.values()), len(members))
    return merged


def _dedupe(entities: list[Entity]) -> list[Entity]:
    """Entities of one document that merged into one IRI, as one entity."""
    by_id: dict[str, Entity] = {}
    for e in entities:
        if e.id not in by_id:
            by_id[e.id] = e
            continue
        kept = by_id[e.id]
        names = {kept.name, *kept.aliases, e.name, *e.aliases}
        name = max((kept.name, e.name), key=len)
        by_id[e.id] = replace(
            kept,
            name=name,
            aliases=tuple(sorted(names - {name})),
            mentions=tuple(sorted(set(kept.mentions) | set(e.mentions))),
        )
    return list(by_id.values())


def _unique(relations: tuple[Relation, ...]) -> tuple[Relation, ...]:
    seen = set()
    out = []
    for r in relations:
        key = (r.type, r.head, r.tail, r.title, r.evidence_span)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return tuple(out)
