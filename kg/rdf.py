"""The parkkg namespace, IRIs, and the RDF of a build: graph.ttl and graph.trig.

Standard vocabularies carry what they can (ontology/README.md has the map):
schema.org classes and places (schema:containedInPlace), W3C ORG posts
(org:holds / org:Post / org:postIn), SKOS names, PROV-O and DCTERMS for
sources. Every relation is written twice: as a direct triple, easy to query,
and as an rdf:Statement carrying its evidence sentence, offsets, date and
source document, so that SPARQL can ask which sentence says so.
"""

from __future__ import annotations

import hashlib
import re
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph
from rdflib import RDF, RDFS, XSD, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, SDO, SKOS, DefinedNamespace

from .errors import OptionError
from .gazetteer import gazetteer
from .model import Division, EntityType, Extraction, PlaceLevel, Relation, RelationType

ONTOLOGY_IRI = "https://parkkg.org/ontology#"


class KG(DefinedNamespace):
    """Terms of ontology/parkkg.ttl; a misspelt term raises instead of minting an IRI."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI)

    Entity: URIRef
    Park: URIRef
    Place: URIRef
    Person: URIRef
    Official: URIRef
    Company: URIRef
    Project: URIRef
    Organization: URIRef
    Document: URIRef
    CoMention: URIRef
    visited: URIRef
    investsIn: URIRef
    signedWith: URIRef
    coMentionedWith: URIRef
    level: URIRef
    divisionCode: URIRef
    title: URIRef
    evidence: URIRef
    evidenceStart: URIRef
    evidenceEnd: URIRef
    confidence: URIRef
    entity: URIRef
    weight: URIRef


# Each entity type: its parkkg class and the standard class it is also typed with.
CLASS_OF = {
    EntityType.PARK: KG.Park,
    EntityType.PLACE: KG.Place,
    EntityType.OFFICIAL: KG.Official,
    EntityType.PERSON: KG.Person,
    EntityType.COMPANY: KG.Company,
    EntityType.PROJECT: KG.Project,
    EntityType.ORGANIZATION: KG.Organization,
}
STANDARD_CLASS_OF = {
    EntityType.PARK: SDO.Place,
    EntityType.PLACE: SDO.AdministrativeArea,
    EntityType.OFFICIAL: SDO.Person,
    EntityType.PERSON: SDO.Person,
    EntityType.COMPANY: SDO.Corporation,
    EntityType.PROJECT: SDO.Project,
    EntityType.ORGANIZATION: SDO.Organization,
}
# The direct triple of each relation (located_in depends on what is located: see _located_property).
PROPERTY_OF = {
    RelationType.HOLDS_POST: ORG.holds,
    RelationType.VISITED: KG.visited,
    RelationType.INVESTS_IN: KG.investsIn,
    RelationType.SIGNED_WITH: KG.signedWith,
}
_PLACE_LIKE = (EntityType.PARK, EntityType.PLACE, EntityType.PROJECT)
PREFIXES = {
    "kg": KG._NS,
    "schema": SDO._NS,
    "org": ORG._NS,
    "skos": SKOS._NS,
    "prov": PROV._NS,
    "dcterms": DCTERMS._NS,
    "owl": OWL._NS,
    "xsd": XSD._NS,
}
# The path segment of each kind of IRI. Officials and persons share one, so a
# person keeps their IRI whether or not an article gives their post.
_SEGMENT = {
    EntityType.PARK: "park",
    EntityType.PLACE: "place",
    EntityType.OFFICIAL: "person",
    EntityType.PERSON: "person",
    EntityType.COMPANY: "company",
    EntityType.PROJECT: "project",
    EntityType.ORGANIZATION: "org",
    "document": "doc",
    "statement": "statement",
    "post": "post",
    "co-mention": "co-mention",
}


# Characters no IRI may hold (RFC 3987): white space, controls, and <>"{}|\\^`.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')


def check_base_iri(base_iri: str) -> str:
    """`base_iri` if it is an absolute http(s) IRI ending in / or #; raises OptionError otherwise.

    >>> check_base_iri("not an iri/")
    Traceback (most recent call last):
    kg.errors.OptionError: --base-iri 'not an iri/': not an absolute http(s) IRI; give one such as https://example.org/id/
    """
    parts = urlsplit(base_iri)
    if parts.scheme not in ("http", "https") or not parts.netloc or _NOT_IN_IRI.search(base_iri):
        raise OptionError(
            f"--base-iri {base_iri!r}: not an absolute http(s) IRI; give one such as https://example.org/id/"
        )
    if not base_iri.endswith(("/", "#")):
        raise OptionError(f"--base-iri {base_iri!r}: must end with / or #, so that names can follow it")
    return base_iri


# Keys that percent-encoding leaves as they are (document ids, codes, hashes): most of a build's IRIs.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_.~-]*")


def iri_for(base_iri: str, kind: EntityType | str, key: str) -> str:
    """The IRI of a thing of `kind` (an EntityType, or "document", "statement", "post", "co-mention") keyed `key`.

    The same input always gives the same IRI; `key` is percent-encoded so the
    IRI is plain ASCII that every store accepts.

    >>> iri_for("https://parkkg.org/id/", EntityType.PLACE, "321100000000")
    'https://parkkg.org/id/place/321100000000'
    >>> iri_for("https://parkkg.org/id/", EntityType.PARK, "镇江高新区")
    'https://parkkg.org/id/park/%E9%95%87%E6%B1%9F%E9%AB%98%E6%96%B0%E5%8C%BA'
    """
    return f"{base_iri}{_SEGMENT[kind]}/{key if _PLAIN_KEY.fullmatch(key) else quote(key, safe='')}"


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


@dataclass
class _Summary:
    """What all documents together say of one entity."""

    type: EntityType
    names: Counter = field(default_factory=Counter)
    documents: set[str] = field(default_factory=set)
    level: PlaceLevel | None = None
    code: str | None = None
    same_as: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        """The fullest name any document gives."""
        return max(self.names, key=lambda n: (len(n), self.names[n], n))


def _summaries(extractions: Iterable[Extraction]) -> dict[str, _Summary]:
    out: dict[str, _Summary] = {}
    for ex in extractions:
        for e in ex.entities:
            s = out.setdefault(e.id, _Summary(e.type, level=e.level, code=e.code))
            if e.type is EntityType.OFFICIAL:
                s.type = EntityType.OFFICIAL  # one article with a post makes a person an official
            s.names.update((e.name, *e.aliases))
            s.documents.add(ex.article.doc_id)
            s.same_as.update(e.same_as)
    return out


# Terms are written as N-Triples strings: <iri>, "text"@zh, "5"^^<xsd:integer>. Plain
# strings cost a fraction of rdflib's or Oxigraph's term objects to make, hash and sort.
Triples = set[tuple[str, str, str]]  # a graph being built, each triple once
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _node(iri: str) -> str:
    return f"<{iri}>"


def _literal(value: object, lang: str | None = None, datatype: URIRef | None = None) -> str:
    text = f'"{str(value).translate(_ESCAPES)}"'
    if lang:
        return f"{text}@{lang}"
    return f"{text}^^<{datatype}>" if datatype else text


def _zh(value: str) -> str:
    return _literal(value, "zh")


def _integer(n: int) -> str:
    return _literal(n, datatype=XSD.integer)


# The vocabulary as terms, made once.
_A, _LABEL, _PREF, _ALT = _node(RDF.type), _node(RDFS.label), _node(SKOS.prefLabel), _node(SKOS.altLabel)
_CLASS = {t: _node(c) for t, c in CLASS_OF.items()}
_STANDARD_CLASS = {t: _node(c) for t, c in STANDARD_CLASS_OF.items()}
_PROPERTY = {t: _node(p) for t, p in PROPERTY_OF.items()}
_V = {
    name: _node(term)
    for name, term in {
        "level": KG.level,
        "divisionCode": KG.divisionCode,
        "subjectOf": SDO.subjectOf,
        "sameAs": OWL.sameAs,
        "Document": KG.Document,
        "NewsArticle": SDO.NewsArticle,
        "ProvEntity": PROV.Entity,
        "identifier": DCTERMS.identifier,
        "source": DCTERMS.source,
        "title": DCTERMS.title,
        "date": DCTERMS.date,
        "containedInPlace": SDO.containedInPlace,
        "location": SDO.location,
        "Post": ORG.Post,
        "postIn": ORG.postIn,
        "heldBy": ORG.heldBy,
        "holds": ORG.holds,
        "memberOf": ORG.memberOf,
        "Statement": RDF.Statement,
        "subject": RDF.subject,
        "predicate": RDF.predicate,
        "object": RDF.object,
        "kgTitle": KG.title,
        "evidence": KG.evidence,
        "evidenceStart": KG.evidenceStart,
        "evidenceEnd": KG.evidenceEnd,
        "confidence": KG.confidence,
        "derivedFrom": PROV.wasDerivedFrom,
        "Place": KG.Place,
        "AdministrativeArea": SDO.AdministrativeArea,
        "coMentionedWith": KG.coMentionedWith,
        "CoMention": KG.CoMention,
        "entity": KG.entity,
        "weight": KG.weight,
    }.items()
}


def _add_entity(g: Triples, iri: str, s: _Summary, base_iri: str) -> None:
    node, name = _node(iri), s.name
    g.add((node, _A, _CLASS[s.type]))
    g.add((node, _A, _STANDARD_CLASS[s.type]))
    g.add((node, _LABEL, _zh(name)))
    g.add((node, _PREF, _zh(name)))
    for alias in sorted(set(s.names) - {name}):
        g.add((node, _ALT, _zh(alias)))
    if s.level:
        g.add((node, _V["level"], _literal(s.level)))
    if s.code:
        g.add((node, _V["divisionCode"], _literal(s.code)))
    for doc_id in sorted(s.documents):
        g.add((node, _V["subjectOf"], _node(iri_for(base_iri, "document", doc_id))))
    for other in sorted(s.same_as):
        g.add((node, _V["sameAs"], _node(other)))


def _add_document(g: Triples, ex: Extraction, base_iri: str) -> str:
    article = ex.article
    doc = _node(iri_for(base_iri, "document", article.doc_id))
    g.add((doc, _A, _V["Document"]))
    g.add((doc, _A, _V["NewsArticle"]))
    g.add((doc, _A, _V["ProvEntity"]))
    g.add((doc, _V["identifier"], _literal(article.doc_id)))
    g.add((doc, _V["source"], _literal(article.source)))
    if article.title:
        g.add((doc, _V["title"], _zh(article.title)))
    if article.date:
        g.add((doc, _V["date"], _literal(article.date, datatype=XSD.date)))
    return doc


def _located_property(head_type: EntityType) -> str:
    """Places, parks and projects are contained in places; companies and bodies have a location."""
    return _V["containedInPlace"] if head_type in _PLACE_LIKE else _V["location"]


def _add_relation(
    g: Triples, shared: Triples, r: Relation, types: dict[str, EntityType], doc: str, base_iri: str
) -> None:
    """The statement into `g`; its direct triples and post, which other documents state too, into `shared`."""
    head, tail = _node(r.head), _node(r.tail)
    doc_iri = doc[1:-1]
    statement = _node(iri_for(base_iri, "statement", _hash(doc_iri, r.type, r.head, r.tail, r.title, *r.evidence_span)))
    if r.type is RelationType.HOLDS_POST:
        # W3C ORG: the person holds a post in the body; the post carries the title.
        post = _node(iri_for(base_iri, "post", _hash(r.head, r.tail, r.title)))
        shared.add((post, _A, _V["Post"]))
        shared.add((post, _PREF, _zh(r.title or "")))
        shared.add((post, _V["postIn"], tail))
        shared.add((post, _V["heldBy"], head))
        shared.add((head, _V["holds"], post))
        shared.add((head, _V["memberOf"], tail))
        prop, obj = _V["holds"], post
    elif r.type is RelationType.LOCATED_IN:
        prop, obj = _located_property(types.get(r.head, EntityType.COMPANY)), tail
        shared.add((head, prop, tail))
    else:
        prop, obj = _PROPERTY[r.type], tail
        shared.add((head, prop, tail))
    g.add((statement, _A, _V["Statement"]))
    g.add((statement, _V["subject"], head))
    g.add((statement, _V["predicate"], prop))
    g.add((statement, _V["object"], obj))
    if r.title:
        g.add((statement, _V["kgTitle"], _zh(r.title)))
    if r.date:
        g.add((statement, _V["date"], _literal(r.date, datatype=XSD.date)))
    g.add((statement, _V["evidence"], _zh(r.evidence)))
    g.add((statement, _V["evidenceStart"], _integer(r.evidence_span[0])))
    g.add((statement, _V["evidenceEnd"], _integer(r.evidence_span[1])))
    g.add((statement, _V["confidence"], _literal(f"{r.confidence:.4f}", datatype=XSD.decimal)))
    g.add((statement, _V["derivedFrom"], doc))


def _ancestors(codes: Iterable[str]) -> tuple[set[tuple[str, str]], dict[str, Division]]:
    """The administrative hierarchy above the divisions of `codes`, from the gazetteer (丹徒区 ->
    镇江市 -> 江苏省): each (child code, parent code), and each division above one, by code."""
    gz = gazetteer()
    links: set[tuple[str, str]] = set()
    above: dict[str, Division] = {}
    for code in codes:
        division = gz.by_code.get(code)
        if division is None:
            continue
        chain = [division, *gz.ancestors(division)]
        links.update((child.code, parent.code) for child, parent in zip(chain, chain[1:], strict=False))
        above.update((d.code, d) for d in chain[1:])
    return links, above


def _add_division(g: Triples, node: str, d: Division) -> None:
    """A division the graph names only as lying above one of its places."""
    g.add((node, _A, _V["Place"]))
    g.add((node, _A, _V["AdministrativeArea"]))
    g.add((node, _LABEL, _zh(d.name)))
    g.add((node, _PREF, _zh(d.name)))
    g.add((node, _V["level"], _literal(d.level)))
    g.add((node, _V["divisionCode"], _literal(d.code)))


def _co_mention_parts(extractions: Iterable[Extraction], base_iri: str) -> Iterator[tuple[str, Triples]]:
    """kg:coMentionedWith both ways, and a kg:CoMention node weighted by the number of sentences,
    across the corpus, that name both entities, in parts. Pairs are held as interned IRIs with a
    count and the documents naming them, the least a corpus-wide count needs."""
    pairs: dict[tuple[str, str], tuple[list[int], list[str]]] = {}
    for ex in extractions:
        doc_id = ex.article.doc_id
        for c in ex.co_mentions:
            pair = (sys.intern(c.a), sys.intern(c.b)) if c.a < c.b else (sys.intern(c.b), sys.intern(c.a))
            count, documents = pairs.setdefault(pair, ([0], []))
            count[0] += 1
            if not documents or documents[-1] != doc_id:  # a document's co-mentions come together
                documents.append(doc_id)
    # the direct triples by their subject (each entity's neighbours together, as Turtle lists them),
    # the weighted nodes by their pair
    by_end: dict[int, list[tuple[str, str]]] = {}
    by_pair: dict[int, list[tuple[str, str]]] = {}
    for a, b in pairs:
        by_end.setdefault(_part_of(a), []).append((a, b))
        by_end.setdefault(_part_of(b), []).append((b, a))
        by_pair.setdefault(_part_of(a, b), []).append((a, b))
    for number in sorted(by_end):
        yield f"co-mentioned {number}", {(_node(x), _V["coMentionedWith"], _node(y)) for x, y in by_end.pop(number)}
    for number in sorted(by_pair):
        part: Triples = set()
        for a, b in by_pair.pop(number):
            _add_co_mention(part, a, b, pairs[a, b], base_iri)
        yield f"co-mentions {number}", part


def _add_co_mention(part: Triples, a: str, b: str, found: tuple[list[int], list[str]], base_iri: str) -> None:
    (n,), documents = found
    node = _node(iri_for(base_iri, "co-mention", _hash(a, b)))
    part.add((node, _A, _V["CoMention"]))
    part.add((node, _V["entity"], _node(a)))
    part.add((node, _V["entity"], _node(b)))
    part.add((node, _V["weight"], _integer(n)))
    for doc_id in set(documents):
        part.add((node, _V["derivedFrom"], _node(iri_for(base_iri, "document", doc_id))))


def graph_parts(extractions: Sequence[Extraction], base_iri: str) -> Iterator[tuple[str, Triples]]:
    """A graph in named parts, each of a few triples and sorted when written, in an order fixed by
    the input. A triple's part depends on the triple alone, the same from one build to the next, so
    that a rebuild can tell which parts changed (store.StoreWriter.change), and no triple is in two:
    the entities and the divisions above them by a hash of the IRI, each document with its
    statements, what documents share (direct triples, posts) and the administrative hierarchy by a
    hash of the subject, co-mentions by a hash of the pair. A build never holds the whole graph at once."""
    summaries = _summaries(extractions)
    links, above = _ancestors(s.code for s in summaries.values() if s.code)
    divisions = {iri_for(base_iri, EntityType.PLACE, code): d for code, d in above.items()}
    by_part: dict[int, list[str]] = {}
    for iri in {*summaries, *divisions}:
        by_part.setdefault(_part_of(iri), []).append(iri)
    for number in sorted(by_part):
        part: Triples = set()
        for iri in by_part.pop(number):
            if iri in summaries:
                _add_entity(part, iri, summaries[iri], base_iri)
            else:
                _add_division(part, _node(iri), divisions[iri])
        yield f"entities {number}", part
    types = {iri: s.type for iri, s in summaries.items()}
    shared_parts: dict[int, Triples] = {}
    for ex in extractions:
        part, shared = set(), set()
        doc = _add_document(part, ex, base_iri)
        for r in ex.relations:
            _add_relation(part, shared, r, types, doc, base_iri)
        for triple in shared:
            shared_parts.setdefault(_part_of(triple[0][1:-1]), set()).add(triple)
        yield f"document {_hash(ex.article.doc_id)}", part
    # the hierarchy with them: a located_in between two divisions is one of its links too
    for child, parent in links:
        iri = iri_for(base_iri, EntityType.PLACE, child)
        link = (_node(iri), _V["containedInPlace"], _node(iri_for(base_iri, EntityType.PLACE, parent)))
        shared_parts.setdefault(_part_of(iri), set()).add(link)
    for number in sorted(shared_parts):
        yield f"shared {number}", shared_parts.pop(number)
    yield from _co_mention_parts(extractions, base_iri)


# The parts each of the corpus-wide sections is cut into: some hundreds of triples each at
# 10,000 articles, so that the triples a rebuild changes touch few of them.
_PARTS = 4096


def _part_of(*iris: str) -> int:
    return zlib.crc32("\x1f".join(iris).encode("utf-8")) % _PARTS


# Where each part written also goes, with its format (N-Triples or N-Quads), to the build's store.
Sink = Callable[[bytes, pyoxigraph.RdfFormat], None]


def write_turtle(
    path: Path,
    extractions: Sequence[Extraction],
    base_iri: str,
    sink: Sink | None = None,
    part: Callable[[str, bytes, int, Callable[[], bytes]], bytes] | None = None,
) -> None:
    """The merged graph of a build (entity ids must be IRIs) as UTF-8 Turtle: graph.ttl.

    Serialised by Oxigraph (ten times faster than rdflib's serializer) part by
    part (graph_parts), each part's triples sorted, so the same build gives the
    same bytes. Each part's N-Triples lines also go to `sink`, when given; and
    `part(name, lines, offset, serialise)`, when given, gives the bytes written
    for each part (serialise() makes them; a rebuild may have them already).
    """
    with open(path, "wb") as out:
        out.write(PREFIX_LINES)
        for name, triples in graph_parts(extractions, base_iri):
            lines = _lines(triples, None)
            if sink is not None and lines:
                sink(lines, pyoxigraph.RdfFormat.N_TRIPLES)
            serialise = partial(_turtle, lines, None)
            out.write(part(name, lines, out.tell(), serialise) if part is not None else serialise())


def trig_part(ex: Extraction, base_iri: str, sink: Sink | None = None) -> bytes:
    """One document's part of graph.trig: the graph named by the document's IRI, holding what it
    says, as UTF-8 TriG without prefix lines (graph.trig is PREFIX_LINES, then each document's, by doc_id)."""
    name = _node(iri_for(base_iri, "document", ex.article.doc_id))
    lines = _lines(set().union(*(part for _, part in graph_parts([ex], base_iri))), name)
    if sink is not None and lines:
        sink(lines, pyoxigraph.RdfFormat.N_QUADS)
    return _turtle(lines, name)


_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), **{k: str(v) for k, v in PREFIXES.items()}}
# Oxigraph writes the prefixes in an order of its own: ours are sorted, the same every time
PREFIX_LINES = "".join(f"@prefix {k}: <{v}> .\n" for k, v in sorted(_PREFIXES.items())).encode("utf-8")


def _lines(g: Triples, graph: str | None) -> bytes:
    """The triples of `g` (in the named graph `graph`, if given), sorted, as N-Triples or N-Quads."""
    tail = f" {graph} .\n" if graph else " .\n"
    return "".join(f"{s} {p} {o}{tail}" for s, p, o in sorted(g)).encode("utf-8")


def _turtle(lines: bytes, graph: str | None) -> bytes:
    """N-Triples (N-Quads of the named graph `graph`) as Turtle (TriG) without prefix lines."""
    if not lines:
        return b""
    fmt = pyoxigraph.RdfFormat.TRIG if graph else pyoxigraph.RdfFormat.TURTLE
    source = pyoxigraph.RdfFormat.N_QUADS if graph else pyoxigraph.RdfFormat.N_TRIPLES
    text = pyoxigraph.serialize(pyoxigraph.parse(input=lines, format=source), format=fmt, prefixes=_PREFIXES)
    return b"\n".join(line for line in text.split(b"\n") if not line.startswith(b"@prefix ")).lstrip(b"\n")
