"""Extractions -> the same extractions with every entity under its corpus-wide IRI.

Each entity has a key that any article naming it produces:

- a place: its division code (镇江 = 镇江市);
- a company or organisation: its canonical name;
- a park or project: its canonical name (徐州经开区 = 徐州经济技术开发区;
  徐州市经济技术开发区 too, a city's 市 dropped), qualified by the article's
  city when it names no place itself: 经开区 in a 徐州 article is
  徐州经济技术开发区, and 电子产业园 in a 信阳 article is not one in 成都;
- a person: name and the article's city, so two 王勇 in two cities are two
  people, and 王勇 in two 信阳 articles is one.

Two keys are one entity when an article ties them (an alias of four or more
characters, such as a company's short name beside its full one). The IRI
comes from the type and the fullest key of the entity, never from a counter;
the IRI each other key would have had is kept as `same_as`, so an IRI once
published still names its entity after later articles tie it to a fuller name.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import replace

from .gazetteer import gazetteer
from .model import CoMention, Entity, EntityType, Extraction, Relation
from .normalize import canonical, place_prefix_length, without_city_suffix
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


def _city_short(city: str | None) -> str | None:
    if not city:
        return None
    divisions = gazetteer().by_full_name(city)
    return divisions[0].short if divisions and divisions[0].short else None


def _key(name: str, etype: EntityType, city: str | None) -> tuple[str, str]:
    """(kind of IRI, key) for a name of an entity of `etype` in an article about `city`."""
    if etype in _PERSON_TYPES:
        return "person", f"{city}|{name}" if city else name
    key = canonical(name, etype)
    if etype in (EntityType.PARK, EntityType.PROJECT):
        key = without_city_suffix(key)
        if place_prefix_length(key) == 0 and (short := _city_short(city)):
            key = short + key  # 经开区 or 电子产业园 in a 徐州 article is 徐州's
    return str(etype), key


def _node(entity: Entity, city: str | None) -> str:
    if entity.type is EntityType.PLACE and entity.code:
        return f"Place\t{entity.code}"
    return "\t".join(_key(entity.name, entity.type, city))


def _iri(node: str, base_iri: str) -> str:
    kind, key = node.split("\t", 1)
    if kind == "person":
        return iri_for(base_iri, EntityType.PERSON, key)
    return iri_for(base_iri, EntityType(kind), key)


class Merging:
    """The merge of a corpus fed one extraction at a time (`add`), then applied to each (`apply`).

    Only the keys and their unions are held, never the extractions, so a
    build can keep its extractions on disk and merge them as it reads them back.
    """

    def __init__(self, base_iri: str) -> None:
        self.base_iri = base_iri
        self._uf = _UnionFind()
        self._chosen: tuple[dict[str, str], dict[str, tuple[str, ...]]] | None = None

    def add(self, ex: Extraction) -> None:
        self._chosen = None
        uf = self._uf
        for e in ex.entities:
            node = uf.find(_node(e, ex.city))
            if e.type is EntityType.PLACE or e.type in _PERSON_TYPES:
                continue
            for alias in e.aliases:
                if len(alias) >= _MIN_DISTINCTIVE_ALIAS:
                    uf.union(node, _node(replace(e, name=alias), ex.city))

    def _iris(self) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
        """Each root's IRI, and the IRIs of its other keys (`same_as`), chosen once all are added."""
        if self._chosen is None:
            uf, base_iri = self._uf, self.base_iri
            members: dict[str, set[str]] = defaultdict(set)
            for node in list(uf.parent):
                members[uf.find(node)].add(node)
            iri_of_root: dict[str, str] = {}
            same_as: dict[str, tuple[str, ...]] = {}
            for root, nodes in members.items():
                fullest = max(nodes, key=lambda n: (len(n), n))
                iri_of_root[root] = _iri(fullest, base_iri)
                same_as[root] = tuple(sorted({_iri(n, base_iri) for n in nodes} - {iri_of_root[root]}))
            log.debug("merged %d keys into %d entities", len(uf.parent), len(members))
            self._chosen = iri_of_root, same_as
        return self._chosen

    def iris(self, ex: Extraction) -> list[tuple[str, ...]]:
        """The IRI and the other IRIs (`same_as`) of each entity of `ex` (one of those added), in order:
        with `ex`, all that `apply` makes of it depends on."""
        iri_of_root, same_as = self._iris()
        roots = [self._uf.find(_node(e, ex.city)) for e in ex.entities]
        return [(iri_of_root[root], *same_as[root]) for root in roots]

    def apply(self, ex: Extraction, iris: list[tuple[str, ...]] | None = None) -> Extraction:
        """`ex` (one of those added) with `Entity.id` (and `same_as`), relation ends and co-mentions set
        (from `iris`, when given: `iris(ex)`)."""
        iri: dict[str, str] = {}
        entities = []
        for e, (id_, *others) in zip(ex.entities, iris or self.iris(ex), strict=True):
            iri[e.key] = id_
            entities.append(replace(e, id=id_, same_as=tuple(others)))
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
        return replace(ex, entities=tuple(_dedupe(entities)), relations=_unique(relations), co_mentions=co)


def merge(extractions: list[Extraction], base_iri: str) -> list[Extraction]:
    """The extractions with `Entity.id` (and `same_as`), relation ends and co-mentions set to merged IRIs.

    >>> from kg.model import Article, Entity, EntityType, Extraction
    >>> def one(name):
    ...     e = Entity(EntityType.PARK, name)
    ...     return Extraction(Article(name, name, name), None, (e,), ())
    >>> a, b = merge([one("徐州经开区"), one("徐州经济技术开发区")], "https://x.org/")
    >>> a.entities[0].id == b.entities[0].id
    True
    """
    merging = Merging(base_iri)
    for ex in extractions:
        merging.add(ex)
    return [merging.apply(ex) for ex in extractions]


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
            type=EntityType.OFFICIAL if EntityType.OFFICIAL in (kept.type, e.type) else kept.type,
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
