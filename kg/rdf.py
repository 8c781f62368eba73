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
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote, urlsplit

import pyoxigraph
from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, SDO, SKOS, DefinedNamespace

from .errors import OptionError
from .gazetteer import gazetteer
from .model import EntityType, Extraction, PlaceLevel, Relation, RelationType

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


def iri_for(base_iri: str, kind: EntityType | str, key: str) -> str:
    """The IRI of a thing of `kind` (an EntityType, or "document", "statement", "post", "co-mention") keyed `key`.

    The same input always gives the same IRI; `key` is percent-encoded so the
    IRI is plain ASCII that every store accepts.

    >>> iri_for("https://parkkg.org/id/", EntityType.PLACE, "321100000000")
    'https://parkkg.org/id/place/321100000000'
    >>> iri_for("https://parkkg.org/id/", EntityType.PARK, "镇江高新区")
    'https://parkkg.org/id/park/%E9%95%87%E6%B1%9F%E9%AB%98%E6%96%B0%E5%8C%BA'
    """
    return f"{base_iri}{_SEGMENT[kind]}/{quote(key, safe='')}"


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


def _summaries(extractions: list[Extraction]) -> dict[str, _Summary]:
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


def _add_entity(g: Triples, iri: str, s: _Summary, name: str, aliases: set[str], base_iri: str) -> None:
    node = URIRef(iri)
    g.add((node, RDF.type, CLASS_OF[s.type]))
    g.add((node, RDF.type, STANDARD_CLASS_OF[s.type]))
    g.add((node, RDFS.label, Literal(name, lang="zh")))
    g.add((node, SKOS.prefLabel, Literal(name, lang="zh")))
    for alias in sorted(aliases - {name}):
        g.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
    if s.level:
        g.add((node, KG.level, Literal(str(s.level))))
    if s.code:
        g.add((node, KG.divisionCode, Literal(s.code)))
    for doc_id in sorted(s.documents):
        g.add((node, SDO.subjectOf, URIRef(iri_for(base_iri, "document", doc_id))))
    for other in sorted(s.same_as):
        g.add((node, OWL.sameAs, URIRef(other)))


def _add_document(g: Triples, ex: Extraction, base_iri: str) -> URIRef:
    article = ex.article
    doc = URIRef(iri_for(base_iri, "document", article.doc_id))
    g.add((doc, RDF.type, KG.Document))
    g.add((doc, RDF.type, SDO.NewsArticle))
    g.add((doc, RDF.type, PROV.Entity))
    g.add((doc, DCTERMS.identifier, Literal(article.doc_id)))
    g.add((doc, DCTERMS.source, Literal(article.source)))
    if article.title:
        g.add((doc, DCTERMS.title, Literal(article.title, lang="zh")))
    if article.date:
        g.add((doc, DCTERMS.date, Literal(article.date, datatype=XSD.date)))
    return doc


def _located_property(head_type: EntityType) -> URIRef:
    """Places, parks and projects are contained in places; companies and bodies have a location."""
    return SDO.containedInPlace if head_type in _PLACE_LIKE else SDO.location


def _add_relation(g: Triples, r: Relation, types: dict[str, EntityType], doc: URIRef, base_iri: str) -> None:
    head, tail = URIRef(r.head), URIRef(r.tail)
    statement = URIRef(iri_for(base_iri, "statement", _hash(doc, r.type, r.head, r.tail, r.title, *r.evidence_span)))
    if r.type is RelationType.HOLDS_POST:
        # W3C ORG: the person holds a post in the body; the post carries the title.
        post = URIRef(iri_for(base_iri, "post", _hash(r.head, r.tail, r.title)))
        g.add((post, RDF.type, ORG.Post))
        g.add((post, SKOS.prefLabel, Literal(r.title or "", lang="zh")))
        g.add((post, ORG.postIn, tail))
        g.add((post, ORG.heldBy, head))
        g.add((head, ORG.holds, post))
        g.add((head, ORG.memberOf, tail))
        prop, obj = ORG.holds, post
    elif r.type is RelationType.LOCATED_IN:
        prop, obj = _located_property(types.get(r.head, EntityType.COMPANY)), tail
        g.add((head, prop, tail))
    else:
        prop, obj = PROPERTY_OF[r.type], tail
        g.add((head, prop, tail))
    g.add((statement, RDF.type, RDF.Statement))
    g.add((statement, RDF.subject, head))
    g.add((statement, RDF.predicate, prop))
    g.add((statement, RDF.object, obj))
    if r.title:
        g.add((statement, KG.title, Literal(r.title, lang="zh")))
    if r.date:
        g.add((statement, DCTERMS.date, Literal(r.date, datatype=XSD.date)))
    g.add((statement, KG.evidence, Literal(r.evidence, lang="zh")))
    g.add((statement, KG.evidenceStart, Literal(r.evidence_span[0])))
    g.add((statement, KG.evidenceEnd, Literal(r.evidence_span[1])))
    g.add((statement, KG.confidence, Literal(Decimal(f"{r.confidence:.4f}"))))
    g.add((statement, PROV.wasDerivedFrom, doc))


def _add_hierarchy(g: Triples, codes: set[str], base_iri: str) -> None:
    """Every division a place is in, up to its province, from the gazetteer: 丹徒区 -> 镇江市 -> 江苏省."""
    gz = gazetteer()
    for code in sorted(codes):
        division = gz.by_code.get(code)
        if division is None:
            continue
        chain = [division, *gz.ancestors(division)]
        for child, parent in zip(chain, chain[1:], strict=False):
            g.add(
                (
                    URIRef(iri_for(base_iri, EntityType.PLACE, child.code)),
                    SDO.containedInPlace,
                    URIRef(iri_for(base_iri, EntityType.PLACE, parent.code)),
                )
            )
        for d in chain[1:]:
            node = URIRef(iri_for(base_iri, EntityType.PLACE, d.code))
            if g.has(node, RDFS.label):
                continue
            g.add((node, RDF.type, KG.Place))
            g.add((node, RDF.type, SDO.AdministrativeArea))
            g.add((node, RDFS.label, Literal(d.name, lang="zh")))
            g.add((node, SKOS.prefLabel, Literal(d.name, lang="zh")))
            g.add((node, KG.level, Literal(str(d.level))))
            g.add((node, KG.divisionCode, Literal(d.code)))


def _add_co_mentions(g: Triples, extractions: list[Extraction], base_iri: str) -> None:
    """kg:coMentionedWith both ways, and a kg:CoMention node weighted by the
    number of sentences, across the corpus, that name both entities."""
    weight: Counter = Counter()
    documents: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ex in extractions:
        for c in ex.co_mentions:
            pair = (c.a, c.b) if c.a < c.b else (c.b, c.a)
            weight[pair] += 1
            documents[pair].add(ex.article.doc_id)
    for (a, b), n in weight.items():
        g.add((URIRef(a), KG.coMentionedWith, URIRef(b)))
        g.add((URIRef(b), KG.coMentionedWith, URIRef(a)))
        node = URIRef(iri_for(base_iri, "co-mention", _hash(a, b)))
        g.add((node, RDF.type, KG.CoMention))
        g.add((node, KG.entity, URIRef(a)))
        g.add((node, KG.entity, URIRef(b)))
        g.add((node, KG.weight, Literal(n)))
        for doc_id in sorted(documents[a, b]):
            g.add((node, PROV.wasDerivedFrom, URIRef(iri_for(base_iri, "document", doc_id))))


class Triples:
    """The triples of a graph being built, each once, in the order added.

    What rdflib's Graph would hold, without its indexes: filling one cost
    most of a build's RDF stage, and all a graph is asked here is `has`.
    """

    def __init__(self) -> None:
        self._triples: dict[tuple, None] = {}
        self._described: set[tuple] = set()  # (subject, predicate) of every triple

    def add(self, triple: tuple) -> None:
        self._triples[triple] = None
        self._described.add(triple[:2])

    def has(self, subject: URIRef, predicate: URIRef) -> bool:
        """Whether some triple gives `subject` a `predicate`."""
        return (subject, predicate) in self._described

    def __iter__(self):
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)


def _fill(g: Triples, extractions: list[Extraction], base_iri: str) -> None:
    summaries = _summaries(extractions)
    for iri, s in summaries.items():
        _add_entity(g, iri, s, s.name, set(s.names), base_iri)
    types = {iri: s.type for iri, s in summaries.items()}
    for ex in extractions:
        doc = _add_document(g, ex, base_iri)
        for r in ex.relations:
            _add_relation(g, r, types, doc, base_iri)
    _add_co_mentions(g, extractions, base_iri)
    _add_hierarchy(g, {s.code for s in summaries.values() if s.code}, base_iri)


def build_graph(extractions: list[Extraction], base_iri: str) -> Triples:
    """The merged graph of a build (entity ids must be IRIs): graph.ttl."""
    g = Triples()
    _fill(g, extractions, base_iri)
    return g


def build_document_graphs(extractions: list[Extraction], base_iri: str) -> list[tuple[str, Triples]]:
    """One graph per document, named by the document's IRI, holding what it says: graph.trig."""
    graphs = []
    for ex in sorted(extractions, key=lambda ex: ex.article.doc_id):
        g = Triples()
        _fill(g, [ex], base_iri)
        graphs.append((iri_for(base_iri, "document", ex.article.doc_id), g))
    return graphs


def turtle(graph: Triples) -> bytes:
    """The graph as UTF-8 Turtle, its triples in sorted order.

    Serialised by Oxigraph, ten times faster than rdflib's serializer, whose
    qname computation for long percent-encoded IRIs dominated a build.
    """
    return _serialize([_triple(t) for t in sorted(graph, key=_order)], pyoxigraph.RdfFormat.TURTLE)


def trig(graphs: list[tuple[str, Triples]]) -> bytes:
    """Named graphs as UTF-8 TriG, in the order given, each one's triples in sorted order."""
    quads = []
    for name, g in graphs:
        graph_name = pyoxigraph.NamedNode(name)
        quads += [pyoxigraph.Quad(*_triple(t), graph_name) for t in sorted(g, key=_order)]
    return _serialize(quads, pyoxigraph.RdfFormat.TRIG)


def _serialize(statements: list, fmt: pyoxigraph.RdfFormat) -> bytes:
    prefixes = {"rdf": str(RDF), "rdfs": str(RDFS), **{k: str(v) for k, v in PREFIXES.items()}}
    text = pyoxigraph.serialize(statements, format=fmt, prefixes=prefixes)
    # Oxigraph writes the prefixes in an order of its own: sorted, they are the same every time
    lines = text.split(b"\n")
    declared = sorted(line for line in lines if line.startswith(b"@prefix "))
    return b"\n".join(declared + [line for line in lines if not line.startswith(b"@prefix ")])


def _order(triple: tuple) -> tuple[str, ...]:
    return tuple(t.n3() for t in triple)


def _triple(triple: tuple) -> pyoxigraph.Triple:
    return pyoxigraph.Triple(*(_term(t) for t in triple))


def _term(term):
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"no blank nodes in parkkg's graphs: {term!r}")
