"""The Turtle graph: parses back, counts match the extractions, loads into Oxigraph."""

from __future__ import annotations

from collections import Counter

import pyoxigraph
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.model import EntityType
from kg.rdf import CLASS_OF, KG, iri_for

from .conftest import ROOT


def test_rdf_turtle_round_trip_counts_entities_by_type(examples_build, examples_records):
    out, _ = examples_build
    g = Graph().parse(out / "graph.ttl", format="turtle")
    expected = Counter()
    seen = set()
    for record in examples_records:
        for e in record["entities"]:
            if (e["id"], e["type"]) not in seen:
                seen.add((e["id"], e["type"]))
                expected[e["type"]] += 1
    for etype in EntityType:
        assert len(set(g.subjects(RDF.type, CLASS_OF[etype]))) == expected[etype], etype
    # every entity has a Chinese label
    for iri, _ in seen:
        label = g.value(URIRef(iri), RDFS.label)
        assert label is not None and label.language == "zh"


def test_rdf_relations_carry_their_evidence(examples_build, examples_records):
    out, _ = examples_build
    g = Graph().parse(out / "graph.ttl", format="turtle")
    rows = list(
        g.query(
            """
        SELECT ?title ?evidence WHERE {
            ?s rdf:predicate kg:holdsPost ; kg:title ?title ; kg:evidence ?evidence ; kg:sourceDocument ?doc .
        }""",
            initNs={"kg": KG._NS, "rdf": RDF},
        )
    )
    n_posts = sum(r["type"] == "holds_post" for rec in examples_records for r in rec["relations"])
    assert len(rows) == n_posts > 0
    assert all(str(title) in str(evidence) or len(str(title)) > 0 for title, evidence in rows)


def test_rdf_turtle_loads_into_oxigraph(examples_build):
    out, _ = examples_build
    store = pyoxigraph.Store()
    store.load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    parks = list(store.query(f"SELECT ?p WHERE {{ ?p a <{KG.Park}> }}"))
    assert len(parks) > 5


def test_rdf_every_term_is_declared_in_the_ontology():
    ontology = Graph().parse(ROOT / "ontology" / "parkkg.ttl", format="turtle")
    declared = set(ontology.subjects())
    for name in KG.__annotations__:
        assert URIRef(str(KG._NS) + name) in declared, name


def test_rdf_iri_for_is_deterministic_and_ascii():
    a = iri_for("https://x.org/id/", EntityType.PARK, "徐州经济技术开发区")
    assert a == iri_for("https://x.org/id/", EntityType.PARK, "徐州经济技术开发区")
    assert a.isascii() and a.startswith("https://x.org/id/park/")
    assert iri_for("https://x.org/id/", EntityType.OFFICIAL, "王勇") == iri_for(
        "https://x.org/id/", EntityType.PERSON, "王勇"
    )


def test_rdf_co_mentions_are_weighted_across_documents(tmp_path):
    import kg as parkkg

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(
        "市委书记庄兆林到徐州经济技术开发区调研。庄兆林在徐州经济技术开发区召开座谈会。", encoding="utf-8"
    )
    (src / "b.txt").write_text("8月7日上午,市委书记庄兆林到徐州经济技术开发区检查安全生产工作。", encoding="utf-8")
    parkkg.build([src], tmp_path / "out", parkkg.BuildOptions(html=False))
    g = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    rows = list(
        g.query(
            """
        SELECT ?w (COUNT(?doc) AS ?docs) WHERE {
            ?c a kg:CoMention ; kg:entity ?p, ?z ; kg:weight ?w ; kg:sourceDocument ?doc .
            ?p rdfs:label "庄兆林"@zh . ?z rdfs:label "徐州经济技术开发区"@zh .
        } GROUP BY ?w""",
            initNs={"kg": KG._NS, "rdfs": RDFS},
        )
    )
    assert [(int(w), int(d)) for w, d in rows] == [(3, 2)]


def test_rdf_visit_statements_carry_the_event_date(examples_build):
    out, _ = examples_build
    g = Graph().parse(out / "graph.ttl", format="turtle")
    rows = g.query(
        """
        SELECT ?date WHERE {
            ?s rdf:predicate kg:visited ; rdf:subject ?who ; dcterms:date ?date . ?who rdfs:label "曾进泽"@zh .
        }""",
        initNs={"kg": KG._NS, "rdf": RDF, "rdfs": RDFS, "dcterms": DCTERMS},
    )
    assert {str(d) for (d,) in rows} == {"2022-10-10"}
