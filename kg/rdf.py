"""The parkkg namespace, IRIs, and the RDF graph of a build.

Every relation is written twice: as a direct triple (`?p kg:visited ?park`,
easy to query) and as an `rdf:Statement` carrying its title, evidence
sentence and source document, so that SPARQL can ask which sentence says so.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, DefinedNamespace

from .model import EntityType, Extraction, RelationType

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
    holdsPost: URIRef
    visited: URIRef
    locatedIn: URIRef
    investsIn: URIRef
    signedWith: URIRef
    coMentionedWith: URIRef
    mentionedIn: URIRef
    alias: URIRef
    level: URIRef
    divisionCode: URIRef
    title: URIRef
    evidence: URIRef
    evidenceStart: URIRef
    evidenceEnd: URIRef
    sourceDocument: URIRef
    CoMention: URIRef
    entity: URIRef
    weight: URIRef


CLASS_OF = {
    EntityType.PARK: KG.Park,
    EntityType.PLACE: KG.Place,
    EntityType.OFFICIAL: KG.Official,
    EntityType.PERSON: KG.Person,
    EntityType.COMPANY: KG.Company,
    EntityType.PROJECT: KG.Project,
    EntityType.ORGANIZATION: KG.Organization,
}
PROPERTY_OF = {
    RelationType.HOLDS_POST: KG.holdsPost,
    RelationType.VISITED: KG.visited,
    RelationType.LOCATED_IN: KG.locatedIn,
    RelationType.INVESTS_IN: KG.investsIn,
    RelationType.SIGNED_WITH: KG.signedWith,
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
    "co-mention": "co-mention",
}


def iri_for(base_iri: str, kind: EntityType | str, key: str) -> str:
    """The IRI of a thing of `kind` ("document", "statement" or an EntityType) named `key`.

    The same input always gives the same IRI; `key` is percent-encoded so the
    IRI is plain ASCII that every store accepts.

    >>> iri_for("https://parkkg.org/id/", EntityType.PLACE, "321100000000")
    'https://parkkg.org/id/place/321100000000'
    >>> iri_for("https://parkkg.org/id/", EntityType.PARK, "镇江高新区")
    'https://parkkg.org/id/park/%E9%95%87%E6%B1%9F%E9%AB%98%E6%96%B0%E5%8C%BA'
    """
    return f"{base_iri}{_SEGMENT[kind]}/{quote(key, safe='')}"


def _statement_key(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def build_graph(extractions: list[Extraction], base_iri: str) -> Graph:
    """The RDF graph of merged extractions (entity ids must be IRIs)."""
    g = Graph()
    g.bind("kg", KG._NS)
    g.bind("dcterms", DCTERMS)
    g.bind("prov", PROV)
    for ex in extractions:
        article = ex.article
        doc = URIRef(iri_for(base_iri, "document", article.doc_id))
        g.add((doc, RDF.type, KG.Document))
        g.add((doc, DCTERMS.identifier, Literal(article.doc_id)))
        g.add((doc, DCTERMS.source, Literal(article.source)))
        if article.title:
            g.add((doc, DCTERMS.title, Literal(article.title, lang="zh")))
        if article.date:
            g.add((doc, DCTERMS.date, Literal(article.date, datatype=XSD.date)))
        for e in ex.entities:
            node = URIRef(e.id)
            g.add((node, RDF.type, CLASS_OF[e.type]))
            g.add((node, KG.mentionedIn, doc))
            for alias in e.aliases:
                g.add((node, KG.alias, Literal(alias, lang="zh")))
            if e.level:
                g.add((node, KG.level, Literal(str(e.level))))
            if e.code:
                g.add((node, KG.divisionCode, Literal(e.code)))
        # One label per entity across the corpus: the longest name any document gives.
        for e in ex.entities:
            node = URIRef(e.id)
            old = g.value(node, RDFS.label)
            if old is None or (len(e.name), e.name) > (len(str(old)), str(old)):
                g.set((node, RDFS.label, Literal(e.name, lang="zh")))
        for r in ex.relations:
            head, tail, prop = URIRef(r.head), URIRef(r.tail), PROPERTY_OF[r.type]
            g.add((head, prop, tail))
            key = _statement_key(article.doc_id, r.type, r.head, r.tail, r.title, *r.evidence_span)
            st = URIRef(iri_for(base_iri, "statement", key))
            g.add((st, RDF.type, RDF.Statement))
            g.add((st, RDF.subject, head))
            g.add((st, RDF.predicate, prop))
            g.add((st, RDF.object, tail))
            if r.title:
                g.add((st, KG.title, Literal(r.title, lang="zh")))
            if r.date:
                g.add((st, DCTERMS.date, Literal(r.date, datatype=XSD.date)))
            g.add((st, KG.evidence, Literal(r.evidence, lang="zh")))
            g.add((st, KG.evidenceStart, Literal(r.evidence_span[0])))
            g.add((st, KG.evidenceEnd, Literal(r.evidence_span[1])))
            g.add((st, KG.sourceDocument, doc))
    _add_co_mentions(g, extractions, base_iri)
    return g


def _add_co_mentions(g: Graph, extractions: list[Extraction], base_iri: str) -> None:
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
        node = URIRef(iri_for(base_iri, "co-mention", _statement_key(a, b)))
        g.add((node, RDF.type, KG.CoMention))
        g.add((node, KG.entity, URIRef(a)))
        g.add((node, KG.entity, URIRef(b)))
        g.add((node, KG.weight, Literal(n)))
        for doc_id in sorted(documents[a, b]):
            g.add((node, KG.sourceDocument, URIRef(iri_for(base_iri, "document", doc_id))))


def turtle(graph: Graph) -> bytes:
    """The graph as UTF-8 Turtle."""
    return graph.serialize(format="turtle", encoding="utf-8")
