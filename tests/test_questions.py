"""The named questions, the store beside a build, kg serve, and kg path / kg top, on the bundled examples."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg import network
from kg.cli import main
from kg.errors import InputError, QueryError
from kg.query import _WHEN, ask, named_queries, named_query, query

from .conftest import free_port, wait_for_sparql


def _column(rows, name):
    return {r[name] for r in rows}


def test_questions_every_named_query_documents_itself_and_runs(examples_build):
    out, _ = examples_build
    required = {"place": "江苏省", "park": "徐州经开区", "entity": "庄兆林"}
    assert len(named_queries()) >= 8
    for q in named_queries().values():
        assert q.description and q.example.startswith(f"kg query out {q.name}")
        values = {p.name: required[p.name] for p in q.parameters if p.required}
        rows = ask(out, q.name, **values)
        assert rows or q.name == "signings", q.name  # the examples state no signing


def test_questions_signings(tmp_path):
    graph = tmp_path / "graph.ttl"
    graph.write_text(
        """@prefix kg: <https://parkkg.org/ontology#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix prov: <http://www.w3.org/ns/prov#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <https://x.org/park> rdfs:label "泰州滨江工业园区"@zh ; kg:signedWith <https://x.org/co> .
        <https://x.org/co> rdfs:label "苏州鸿赞蜂窝材料有限公司"@zh .
        <https://x.org/doc> dcterms:identifier "d1" .
        <https://x.org/s> a rdf:Statement ; rdf:subject <https://x.org/park> ; rdf:predicate kg:signedWith ;
            rdf:object <https://x.org/co> ; prov:wasDerivedFrom <https://x.org/doc> ;
            dcterms:date "2023-05-06"^^xsd:date .
        """,
        encoding="utf-8",
    )
    (row,) = ask(graph, "signings", party="苏州鸿赞蜂窝材料有限公司")
    assert row == {"a": "泰州滨江工业园区", "b": "苏州鸿赞蜂窝材料有限公司", "date": "2023-05-06", "doc": "d1"}
    assert ask(graph, "signings", since="2024-01-01") == []


@pytest.mark.parametrize(
    "name, params, column, expected",
    [
        ("visits", {"city": "徐州市"}, "visited", {"徐州经济技术开发区", "徐州浩通新材料科技股份有限公司"}),
        ("visits", {"official": "庄兆林"}, "visitor", {"庄兆林"}),
        ("posts", {"in": "泰州市"}, "holder", {"王鹤"}),
        ("posts", {"person": "庄兆林"}, "title", {"市委书记"}),
        ("parks", {"place": "丹徒区"}, "park", {"上党生态汽车产业园", "丹徒高新技术产业园"}),
        ("parks", {"place": "江苏省"}, "park", {"上党生态汽车产业园", "丹徒高新技术产业园", "徐州经济技术开发区"}),
        ("park-members", {"park": "徐州经开区"}, "member", {"徐州浩通新材料科技股份有限公司"}),
        ("investments", {}, "investor", {"复星医药", "晶凯"}),
        ("neighbours", {"entity": "庄兆林", "type": "Park"}, "neighbour", {"徐州经济技术开发区"}),
        ("top-officials", {}, "official", {"庄兆林", "徐曙海"}),
        ("top-parks", {}, "park", {"徐州经济技术开发区"}),
        ("evidence", {"entity": "莊兆林"}, "sentence", {"8月7日上午,市委书记庄兆林到徐州经济技术开发区调研。"}),
    ],
)  # fmt: skip
def test_questions_named_query_answers(examples_build, name, params, column, expected):
    out, _ = examples_build
    assert expected <= _column(ask(out, name, **params), column)


def test_questions_filters_narrow_the_answer(examples_build):
    out, _ = examples_build
    everywhere = ask(out, "visits")
    in_xuzhou = ask(out, "visits", city="徐州市")
    assert 0 < len(in_xuzhou) < len(everywhere)
    assert _column(ask(out, "neighbours", entity="庄兆林", type="Park"), "kind") == {"Park"}
    assert ask(out, "visits", since="2030-01-01") == []
    assert ask(out, "parks", place="丹徒区") != ask(out, "parks", place="江苏省")


def test_questions_a_parameters_pattern_is_in_the_query_only_when_it_is_given():
    """A `# when NAME` line starts the match from the value given (fast on a large store), and is left out
    without it: the query is then the listing of everything, not one filtered on an unbound name."""
    for q in named_queries().values():
        names = {p.name for p in q.parameters}
        marked = {m.group(1) for line in q.sparql.splitlines() if (m := _WHEN.search(line))}
        # a marker with words after its name would be read as no marker, and the line always kept
        assert all(_WHEN.search(line) for line in q.sparql.splitlines() if "# when" in line), q.name
        assert marked <= names, q.name
    visits = named_query("visits")
    assert "# when" not in visits.bound({})
    narrowed = visits.bound({"official": "庄兆林"})
    assert "?p rdfs:label|skos:altLabel ?official ." in narrowed
    assert "?city" in narrowed and "?c rdfs:label|skos:altLabel ?city" not in narrowed


@pytest.mark.parametrize(
    "value",
    ['徐州市" } } DROP ALL #', "徐州市'}", "} UNION { ?s ?p ?o }", "SELECT * WHERE", "\\", '"""', "\n#"],
)
def test_questions_a_parameter_is_a_value_never_query_text(examples_build, value):
    out, _ = examples_build
    bound = named_query("visits").bound({"city": value})
    assert ask(out, "visits", city=value) == []  # no such place: nothing, and no error
    assert query(out, bound).columns == ("visitor", "visited", "type", "date", "doc")


def test_questions_parameters_are_checked(examples_build):
    out, _ = examples_build
    with pytest.raises(QueryError, match="no parameter town; it takes city, official, since, until"):
        ask(out, "visits", town="徐州市")
    with pytest.raises(QueryError, match="needs --param place=VALUE"):
        ask(out, "parks")
    with pytest.raises(QueryError, match="not a date"):
        ask(out, "visits", since="last year")
    with pytest.raises(QueryError, match="not an entity type"):
        ask(out, "neighbours", entity="庄兆林", type="Factory")
    with pytest.raises(QueryError, match="no named query 'vists'"):
        ask(out, "vists")


def test_questions_cli_list_run_and_formats(examples_build):
    out, _ = examples_build
    listed = CliRunner().invoke(main, ["query", "--list"])
    assert listed.exit_code == 0 and "visits: which officials" in listed.stdout
    assert "--param city=<name>" in listed.stdout
    run = CliRunner().invoke(main, ["query", str(out), "visits", "--param", "city=徐州市", "-f", "json"])
    assert run.exit_code == 0, run.output
    bindings = json.loads(run.stdout)["results"]["bindings"]
    assert {"type": "literal", "value": "庄兆林", "xml:lang": "zh"} in [b["visitor"] for b in bindings]
    tsv = CliRunner().invoke(main, ["query", str(out), "parks", "-p", "place=丹徒区", "-f", "tsv"])
    assert tsv.stdout.splitlines()[0] == "park\tin"
    bad = CliRunner().invoke(main, ["query", str(out), "SELECT * WHERE {?s ?p ?o}", "-p", "city=x"])
    assert bad.exit_code == 2 and "--param is for named queries" in bad.output


def test_questions_query_reads_the_store_not_the_turtle(examples_build, tmp_path):
    out, _ = examples_build
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    (copy / "graph.ttl").write_text("garbage <<<", encoding="utf-8")  # the store answers all the same
    assert ask(copy, "parks", place="丹徒区") == ask(out, "parks", place="丹徒区")
    with pytest.raises(InputError, match="graph.ttl: not valid Turtle"):  # a file named is that file
        ask(copy / "graph.ttl", "parks", place="丹徒区")
    shutil.rmtree(copy / "store")  # without a store, the Turtle is parsed, and its error shown
    with pytest.raises(InputError, match="graph.ttl: not valid Turtle"):
        ask(copy, "parks", place="丹徒区")


def test_questions_validate_sees_a_store_that_is_not_the_graph(examples_build, tmp_path):
    import pyoxigraph

    out, _ = examples_build
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    db = pyoxigraph.Store(str(copy / "store"))
    db.add(pyoxigraph.Quad(pyoxigraph.NamedNode("https://x.org/a"), pyoxigraph.NamedNode("https://x.org/b"),
                           pyoxigraph.Literal("c")))  # fmt: skip
    del db
    result = CliRunner().invoke(main, ["validate", str(copy)])
    assert result.exit_code == 1 and "store/: holds" in result.output


def test_questions_kg_serve_answers_sparqlwrapper_and_refuses_updates(examples_build):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    out, _ = examples_build
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(out), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}/query"
        assert wait_for_sparql(endpoint), "kg serve did not start"
        client = SPARQLWrapper(endpoint)
        client.setReturnFormat(JSON)
        client.setQuery(named_query("visits").standalone({"city": "徐州市"}))
        rows = client.queryAndConvert()["results"]["bindings"]
        assert "徐州经济技术开发区" in {r["visited"]["value"] for r in rows}
        updater = SPARQLWrapper(f"http://127.0.0.1:{port}/update")
        updater.setMethod(POST)
        updater.setQuery("DROP ALL")
        with pytest.raises(Exception, match="read-only|403|400|Forbidden|Bad"):
            updater.query()
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
    assert b"SPARQL endpoint: http://127.0.0.1:" in err
    assert server.returncode in (0, -15)


def test_questions_path_through_facts_and_the_hierarchy(examples_build):
    out, _ = examples_build
    hops = network.path(out, "庄兆林", "徐曙海", co_mentions=False)
    names = [hops[0][0]] + [y for _, y, _ in hops]
    assert names[0] == "庄兆林" and names[-1] == "徐曙海" and "江苏省" in names
    first = hops[0][2][0]
    assert first.kind == "holds_post" and first.sentence == "8月7日上午,市委书记庄兆林到徐州经济技术开发区调研。"
    result = CliRunner().invoke(main, ["path", str(out), "庄兆林", "复星医药"])
    assert result.exit_code == 0 and "visited: 庄兆林 → 复星医药 (003_d3dddf51ce822d1d)" in result.stdout
    with pytest.raises(InputError, match="no entity of that name"):
        network.path(out, "庄兆林", "无此人")


def test_questions_top_by_degree_and_betweenness(examples_build):
    out, _ = examples_build
    parks = network.top(out, "degree", "Park", limit=3)
    assert [t for _, t, _ in parks] == ["Park"] * 3
    assert parks[0][2] >= parks[1][2] >= parks[2][2]
    assert network.top(out, "betweenness", limit=1)[0][0] == "江苏省"  # where the cities meet
    result = CliRunner().invoke(main, ["top", str(out), "--type", "Official", "-n", "2"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 2
