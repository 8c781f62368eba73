"""kg validate: the examples conform, and a graph broken on purpose is reported."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.cli import main
from kg.rdf import KG
from kg.validate import validate


@pytest.fixture
def build_copy(examples_build, tmp_path):
    out, _ = examples_build
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    return copy


def _edit_graph(out, edit) -> Graph:
    g = Graph().parse(out / "graph.ttl", format="turtle")
    edit(g)
    (out / "graph.ttl").write_bytes(g.serialize(format="turtle", encoding="utf-8"))
    return g


def test_validate_examples_conform(examples_build):
    out, _ = examples_build
    result = CliRunner().invoke(main, ["validate", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("conforms")


def test_validate_reports_a_park_without_label(build_copy):
    park = None

    def drop_label(g):
        nonlocal park
        park = next(iter(g.subjects(RDF.type, KG.Park)))
        g.remove((park, RDFS.label, None))

    _edit_graph(build_copy, drop_label)
    result = CliRunner().invoke(main, ["validate", str(build_copy)])
    assert result.exit_code == 1
    assert f"shape: {park} rdfs:label: an entity has exactly one Chinese rdfs:label" in result.stdout


def test_validate_reports_a_place_level_outside_the_set(build_copy):
    def bad_level(g):
        place = next(iter(g.subjects(RDF.type, KG.Place)))
        g.set((place, KG.level, Literal("town")))

    _edit_graph(build_copy, bad_level)
    problems = validate(build_copy).problems
    assert any("kg:level: a place's kg:level is one of province, city, county, township" in p for p in problems)


def test_validate_reports_a_post_statement_without_title(build_copy):
    def drop_title(g):
        statement = next(iter(g.subjects(RDF.predicate, URIRef("http://www.w3.org/ns/org#holds"))))
        g.remove((statement, KG.title, None))

    _edit_graph(build_copy, drop_title)
    assert any("a holds_post statement has a title" in p for p in validate(build_copy).problems)


def test_validate_reports_a_mention_off_its_name(build_copy):
    path = build_copy / "extractions.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    start, end = record["entities"][0]["mentions"][0]
    record["entities"][0]["mentions"][0] = [start + 1, end + 1]
    lines[0] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = validate(build_copy).problems
    assert any(
        p.startswith(f"extractions.jsonl:1: {record['doc_id']}: mention [{start + 1}, {end + 1})") for p in problems
    )


def test_validate_without_a_build_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path}: not a folder kg build wrote; build one with kg build SOURCES -o {tmp_path}\n"
    )


def test_validate_given_a_file_of_the_build_names_the_folder(examples_build):
    out, _ = examples_build
    result = CliRunner().invoke(main, ["validate", str(out / "graph.ttl")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {out / 'graph.ttl'}: a file; give the build folder kg build wrote (kg validate {out})\n"
    )


@pytest.mark.parametrize(
    "damage, problem",
    [
        (lambda out: (out / "graph.trig").unlink(), "graph.trig: missing"),
        (lambda out: (out / "graph.ttl").write_bytes(b""), "graph.ttl: empty"),
        (
            lambda out: (out / "graph.ttl").write_bytes(b"garbage <<<\n"),
            "graph.ttl: not valid Turtle: Parser error at line 1",
        ),
        (
            lambda out: (out / "extractions.jsonl").write_bytes(
                (out / "extractions.jsonl").read_bytes().replace(b"\n", b"\n{broken\n", 1)
            ),
            "extractions.jsonl:2: not a JSON record",
        ),
        (lambda out: (out / "report.json").write_bytes(b"{"), "report.json: not valid JSON"),
        (lambda out: (out / "graph.html").unlink(), "graph.html: missing"),
        (lambda out: shutil.rmtree(out / "text"), "text/: missing"),
    ],
    ids=["no-trig", "empty-ttl", "bad-ttl", "bad-jsonl-line", "bad-report", "no-html", "no-text"],
)
def test_validate_reports_each_broken_file_as_a_problem(build_copy, damage, problem):
    damage(build_copy)
    result = CliRunner().invoke(main, ["validate", str(build_copy)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert any(line.strip().startswith(problem) for line in result.stdout.splitlines()), result.stdout
