"""kg.build from Python: the same result as the CLI, and byte-identical on a rebuild."""

from __future__ import annotations

import kg

from .conftest import EXAMPLES


def test_pipeline_rebuild_gives_identical_files(tmp_path, examples_build):
    out, _ = examples_build
    kg.build([EXAMPLES], tmp_path)
    for name in ("graph.ttl", "graph.trig", "extractions.jsonl", "graph.html", "report.json"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_pipeline_python_query(examples_build):
    out, result = examples_build
    assert result.report.exit_code == 0 and len(result.extractions) == 5
    rows = kg.query(out, "SELECT ?name WHERE { ?p a kg:Official ; rdfs:label ?name }").rows
    assert ("徐曙海",) in rows


def test_pipeline_leaves_no_temporary_files(examples_build):
    out, _ = examples_build
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_pipeline_outputs_are_readable_by_others(examples_build):
    out, _ = examples_build
    from kg.pipeline import _umask

    for name in ("graph.ttl", "graph.trig", "extractions.jsonl", "graph.html", "report.json"):
        assert (out / name).stat().st_mode & 0o777 == 0o666 & ~_umask(), name  # not mkstemp's 0600
