"""End-to-end tests of the `kg` command."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from kg.cli import main

from .conftest import EXAMPLES


def test_cli_build_writes_every_output_and_a_summary(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(EXAMPLES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("graph.ttl", "extractions.jsonl", "graph.html", "report.json"):
        assert (out / name).is_file()
    assert len(list((out / "text").glob("*.txt"))) == 5
    assert "5 documents built, 0 duplicates, 0 rejected" in result.stderr
    assert "entities: " in result.stderr and "Park " in result.stderr
    assert f"wrote {out / 'graph.ttl'}" in result.stderr


def test_cli_bad_inputs_are_reported_and_the_rest_is_built(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (src / "good.txt").write_text((EXAMPLES / "000_4f982869e6a32069.txt").read_text(encoding="utf-8"), encoding="utf-8")
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(src), str(missing), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 documents built, 0 duplicates, 3 rejected" in result.stderr
    assert f"rejected {src / 'empty.txt'}: empty file" in result.stderr
    assert f"rejected {src / 'binary.txt'}: binary file, not text" in result.stderr
    assert f"rejected {missing}: no such file or folder" in result.stderr
    assert "Traceback" not in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {r["status"] for r in report["inputs"]} == {"built", "rejected"}
    assert len(report["inputs"]) == 4
    lines = (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == ["good"]


def test_cli_build_nothing_readable_exits_non_zero(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "0 documents built, 0 duplicates, 1 rejected" in result.stderr


def test_cli_query_prints_a_table_csv_and_json(examples_build):
    out, _ = examples_build
    sparql = 'SELECT ?name WHERE { ?p a kg:Park ; rdfs:label ?name FILTER(?name = "徐州经济技术开发区"@zh) }'
    table = CliRunner().invoke(main, ["query", str(out), sparql])
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[0].strip() == "name"
    assert "徐州经济技术开发区" in table.stdout and "(1 rows)" in table.stdout
    as_csv = CliRunner().invoke(main, ["query", str(out / "graph.ttl"), sparql, "--format", "csv"])
    assert as_csv.stdout == "name\n徐州经济技术开发区\n"
    as_json = CliRunner().invoke(main, ["query", str(out), sparql, "-f", "json"])
    assert json.loads(as_json.stdout) == {  # the SPARQL 1.1 results format
        "head": {"vars": ["name"]},
        "results": {"bindings": [{"name": {"type": "literal", "value": "徐州经济技术开发区", "xml:lang": "zh"}}]},
    }
    as_tsv = CliRunner().invoke(main, ["query", str(out), sparql, "-f", "tsv"])
    assert as_tsv.stdout == "name\n徐州经济技术开发区\n"


def test_cli_query_from_rq_file(examples_build, tmp_path):
    out, _ = examples_build
    rq = tmp_path / "parks.rq"
    rq.write_text("SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Park }", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(out), str(rq), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert int(result.stdout.splitlines()[1]) > 5


def test_cli_query_errors_are_one_line(tmp_path, examples_build):
    out, _ = examples_build
    bad = CliRunner().invoke(main, ["query", str(out), "SELECT ?x WHERE {\n  ?x a kg:Park"])
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: bad SPARQL query: error at line 2, column")
    assert bad.stderr.count("\n") == 1
    missing = CliRunner().invoke(main, ["query", str(tmp_path / "nothing"), "SELECT * WHERE {?s ?p ?o}"])
    assert missing.exit_code == 1
    assert missing.stderr == (
        f"Error: {tmp_path / 'nothing'}: no such graph; build one with kg build SOURCES -o OUT first\n"
    )


def test_cli_every_command_has_help_and_is_in_the_readme():
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help and "Example:" in command.help
        assert f"kg {name}" in readme
        assert CliRunner().invoke(main, [name, "--help"]).exit_code == 0


def test_cli_build_min_confidence_keeps_fewer_facts_the_higher_it_is(tmp_path):
    counts = []
    for threshold in ("0", "0.9"):
        out = tmp_path / threshold
        result = CliRunner().invoke(
            main, ["build", str(EXAMPLES), "-o", str(out), "--no-html", "--min-confidence", threshold]
        )
        assert result.exit_code == 0, result.output
        records = [json.loads(line) for line in (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()]
        facts = [f for r in records for f in r["entities"] + r["relations"]]
        assert all(f["confidence"] >= float(threshold) for f in facts)
        counts.append(len(facts))
    assert counts[0] > counts[1] > 0


def test_cli_build_min_confidence_out_of_range_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["build", str(EXAMPLES), "-o", str(tmp_path / "out"), "--min-confidence", "2"])
    assert result.exit_code == 2
    assert "--min-confidence" in result.output and "0<=x<=1" in result.output


def test_cli_help_and_query_import_no_extraction_stage():
    # kg --help and kg query start in a fraction of the time extraction's imports take (jieba, LAC, networkx)
    code = (
        "import sys, kg.cli, kg.query\n"
        "heavy = [m for m in ('jieba', 'networkx', 'kg.extract', 'kg.pipeline', 'onnxruntime') if m in sys.modules]\n"
        "print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_api_functions_named_like_submodules_stay_functions_once_those_are_imported():
    code = (
        "import kg, kg.extract.models, kg.query, kg.validate\n"
        "print(kg.extract.__module__, kg.query.__module__, kg.validate.__module__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["kg.extract", "kg.query", "kg.validate"]
