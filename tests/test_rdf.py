"""The RDF: parses back, uses the standard vocabularies, links places into the hierarchy, loads into Oxigraph."""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote

import pyoxigraph
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Graph, URIRef

import kg
from kg.model import EntityType
from kg.query import PREFIXES
from kg.rdf import CLASS_OF, KG, iri_for

from .conftest import ROOT


@pytest.fixture(scope="module")
def graph(examples_build) -> Graph:
    out, _ = examples_build
    return Graph().parse(out / "graph.ttl", format="turtle")


def _rows(g: Graph, sparql: str) -> list[tuple[str, ...]]:
    return [tuple(str(v) for v in row) for row in g.query(sparql, initNs=PREFIXES)]


def test_rdf_turtle_round_trip_counts_entities_by_type(graph, examples_records):
    expected = Counter()
    seen = set()
    for record in examples_records:
        for e in record["entities"]:
            if e["id"] not in seen:
                seen.add(e["id"])
                expected[e["type"]] += 1
    # a person who is an official in one article is an official everywhere
    for etype in EntityType:
        typed = {s for s in graph.subjects(RDF.type, CLASS_OF[etype]) if str(s) in seen}
        if etype is not EntityType.PERSON:
            assert len(typed) == expected[etype], etype
    for iri in seen:
        label = graph.value(URIRef(iri), RDFS.label)
        assert label is not None and label.language == "zh"


def test_rdf_every_relation_says_which_sentence_says_so(graph, examples_records):
    rows = _rows(
        graph,
        """SELECT ?who ?title ?where ?sentence ?doc WHERE {
            ?s rdf:subject ?p ; rdf:predicate org:holds ; rdf:object ?post ;
               kg:title ?title ; kg:evidence ?sentence ; prov:wasDerivedFrom ?d .
            ?post org:postIn ?w . ?p rdfs:label ?who . ?w rdfs:label ?where . ?d dcterms:identifier ?doc .
        }""",
    )
    n_posts = sum(r["type"] == "holds_post" for rec in examples_records for r in rec["relations"])
    assert len(rows) == n_posts > 0
    assert ("徐曙海", "市长", "镇江市") in {row[:3] for row in rows}
    assert all(who in sentence for who, _, _, sentence, _ in rows)


def test_rdf_posts_follow_w3c_org(graph):
    rows = _rows(
        graph,
        """SELECT ?title ?where WHERE {
            ?p rdfs:label "王鹤"@zh ; org:holds ?post . ?post a org:Post ; skos:prefLabel ?title ; org:postIn ?w .
            ?w skos:prefLabel ?where }""",
    )
    assert ("党工委书记", "泰州海陵工业园区") in rows


def test_rdf_places_are_linked_up_to_their_province(graph):
    dantu = URIRef(iri_for("https://parkkg.org/id/", EntityType.PLACE, "321112000000"))
    chain = _rows(graph, f"SELECT ?name WHERE {{ <{dantu}> schema:containedInPlace+ ?p . ?p rdfs:label ?name }}")
    assert {name for (name,) in chain} == {"镇江市", "江苏省"}
    assert _rows(graph, f"SELECT ?l WHERE {{ <{dantu}> kg:level ?l }}") == [("county",)]


def test_rdf_parks_in_a_province_by_property_path(graph):
    parks = _rows(
        graph,
        """SELECT DISTINCT ?name WHERE {
            ?park a kg:Park ; schema:containedInPlace+ ?js ; rdfs:label ?name . ?js rdfs:label "江苏省"@zh }""",
    )
    names = {name for (name,) in parks}
    assert {"徐州经济技术开发区", "丹徒高新技术产业园", "泰州海陵工业园区"} <= names
    assert "雷州经开区" not in names  # 广东


def test_rdf_names_are_skos_labels(graph):
    aliases = _rows(graph, 'SELECT ?alt WHERE { ?p skos:prefLabel "镇江市"@zh ; skos:altLabel ?alt }')
    assert ("镇江",) in aliases


def test_rdf_turtle_loads_into_oxigraph(examples_build):
    out, _ = examples_build
    store = pyoxigraph.Store()
    store.load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    parks = list(store.query(f"SELECT ?p WHERE {{ ?p a <{KG.Park}> }}"))
    assert len(parks) > 5


def test_rdf_trig_has_one_named_graph_per_document(examples_build):
    out, _ = examples_build
    store = pyoxigraph.Store()
    store.load(path=str(out / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG)
    names = {g.value for g in store.named_graphs()}
    docs = {iri_for("https://parkkg.org/id/", "document", p.stem) for p in (ROOT / "examples" / "articles").glob("*")}
    assert docs == names
    (xuzhou,) = [d for d in docs if "003_" in d]
    labels = {
        row["l"].value for row in store.query(f"SELECT ?l WHERE {{ GRAPH <{xuzhou}> {{ ?s <{RDFS.label}> ?l }} }}")
    }
    assert "庄兆林" in labels and "徐曙海" not in labels  # each graph holds only its document's facts


def test_rdf_every_term_is_declared_in_the_ontology():
    ontology = Graph().parse(ROOT / "ontology" / "parkkg.ttl", format="turtle")
    declared = set(ontology.subjects())
    for name in KG.__annotations__:
        assert URIRef(str(KG._NS) + name) in declared, name


def test_rdf_iri_for_is_deterministic_and_ascii():
    base = "https://x.org/id/"
    a = iri_for(base, EntityType.PARK, "徐州经济技术开发区")
    assert a == iri_for(base, EntityType.PARK, "徐州经济技术开发区")
    assert a.isascii() and a.startswith("https://x.org/id/park/")
    assert iri_for(base, EntityType.OFFICIAL, "王勇") == iri_for(base, EntityType.PERSON, "王勇")


@given(st.text(max_size=12) | st.text("abc09_.~-/% 徐", max_size=12))
def test_rdf_iri_for_encodes_every_key_as_percent_encoding_does(key):
    # keys left as they are (document ids, codes, hashes) take a short cut past urllib's quote
    assert iri_for("https://x.org/id/", "document", key) == "https://x.org/id/doc/" + quote(key, safe="")


def test_rdf_co_mentions_are_weighted_across_documents(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(
        "市委书记庄兆林到徐州经济技术开发区调研。庄兆林在徐州经济技术开发区召开座谈会。", encoding="utf-8"
    )
    (src / "b.txt").write_text("8月7日上午,市委书记庄兆林到徐州经济技术开发区检查安全生产工作。", encoding="utf-8")
    kg.build([src], tmp_path / "out", kg.BuildOptions(html=False))
    g = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    rows = _rows(
        g,
        """SELECT ?w (COUNT(?doc) AS ?docs) WHERE {
            ?c a kg:CoMention ; kg:entity ?p, ?z ; kg:weight ?w ; prov:wasDerivedFrom ?doc .
            ?p rdfs:label "庄兆林"@zh . ?z rdfs:label "徐州经济技术开发区"@zh .
        } GROUP BY ?w""",
    )
    assert rows == [("3", "2")]


def test_rdf_visit_statements_carry_the_event_date(graph):
    rows = _rows(
        graph,
        """SELECT ?date WHERE {
            ?s rdf:predicate kg:visited ; rdf:subject ?who ; dcterms:date ?date . ?who rdfs:label "曾进泽"@zh }""",
    )
    assert set(rows) == {("2022-10-10",)}


def test_rdf_every_statement_has_the_confidence_of_its_relation(graph, examples_records):
    confidences = {float(o) for o in graph.objects(None, KG.confidence)}
    assert len(list(graph.subjects(RDF.type, RDF.Statement))) == len(list(graph.subject_objects(KG.confidence)))
    assert confidences == {r["confidence"] for record in examples_records for r in record["relations"]}
