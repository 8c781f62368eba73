"""kg.build from Python: the same result as the CLI, and byte-identical on a rebuild."""

from __future__ import annotations

import logging
import os

import pytest

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


def _outputs(folder) -> dict[str, bytes]:
    """Every file's bytes, but the store's (a database: its content is graph.ttl's and graph.trig's)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.relative_to(folder).parts[0] != "store")
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


def _quads(folder) -> set[str]:
    """The quads of a build's store, as N-Quads lines."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(folder / "store"))
    return set(pyoxigraph.serialize(store, format=pyoxigraph.RdfFormat.N_QUADS).decode().splitlines())


_PIDS = None  # where _extract_noting_the_process notes the process of each extraction
_EXTRACT_ONE = None  # the extraction it wraps


def _extract_noting_the_process(article):
    (_PIDS / f"{os.getpid()}-{article.doc_id}").touch()
    return _EXTRACT_ONE(article)


def test_pipeline_several_processes_give_the_same_bytes(tmp_path, monkeypatch):
    global _EXTRACT_ONE, _PIDS
    from kg import pipeline

    from .conftest import SHARED

    articles = sorted((SHARED / "data" / "train" / "articles").glob("*.txt"))[:14]
    one = kg.build(articles, tmp_path / "one", kg.BuildOptions(jobs=1, html=False))
    _EXTRACT_ONE, _PIDS = pipeline._extract_one, tmp_path / "pids"
    _PIDS.mkdir()
    monkeypatch.setattr(pipeline, "_extract_one", _extract_noting_the_process)  # forked processes inherit it
    two = kg.build(articles, tmp_path / "two", kg.BuildOptions(jobs=2, html=False))
    assert len({p.name.split("-")[0] for p in _PIDS.iterdir()} - {str(os.getpid())}) == 2  # two other processes
    assert len(one.extractions) == 14 and one.report.cached == two.report.cached == 0
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "two")


def test_pipeline_a_rebuild_extracts_only_new_articles_and_gives_a_full_builds_bytes(tmp_path):
    from .conftest import SHARED

    src = tmp_path / "src"
    src.mkdir()
    for path in sorted(EXAMPLES.glob("*.txt")):
        (src / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    kg.build([src], out, kg.BuildOptions(html=False))
    (new,) = sorted((SHARED / "data" / "dev" / "articles").glob("*.txt"))[:1]
    (src / new.name).write_bytes(new.read_bytes())
    again = kg.build([src], out, kg.BuildOptions(html=False))
    assert again.report.cached == 5 and "(5 extractions from the previous build's cache)" in again.report.summary()
    # the previous build's entries are linked into the new cache, not copied; none are left pending
    assert sorted(p.stat().st_nlink for p in (out / "cache").glob("*.json")) == [1, 2, 2, 2, 2, 2]
    assert not list(tmp_path.glob(".out.staging-*"))
    full = kg.build([src], tmp_path / "full", kg.BuildOptions(html=False))
    assert full.report.cached == 0
    assert _outputs(out) == _outputs(tmp_path / "full")
    # a damaged entry is extracted again, not trusted
    entry = sorted((out / "cache").iterdir())[0]
    entry.write_text("{not json", encoding="utf-8")
    third = kg.build([src], out, kg.BuildOptions(html=False))
    assert third.report.cached == 5
    assert _outputs(out) == _outputs(tmp_path / "full")


def test_pipeline_a_rebuild_copies_the_unchanged_documents_parts_of_the_files(tmp_path, monkeypatch, caplog):
    from kg import jsonl, rdf

    from .conftest import SHARED

    src = tmp_path / "src"
    src.mkdir()
    for path in sorted(EXAMPLES.glob("*.txt")):
        (src / path.name).write_bytes(path.read_bytes())
    out, first = tmp_path / "out", tmp_path / "first"
    kg.build([src], out, kg.BuildOptions(html=False))
    kg.build([src], first, kg.BuildOptions(html=False))
    (new,) = sorted((SHARED / "data" / "dev" / "articles").glob("*.txt"))[:1]
    (src / new.name).write_bytes(new.read_bytes())
    kg.build([src], tmp_path / "full", kg.BuildOptions(html=False))
    made = []
    trig_part, extraction_record = rdf.trig_part, jsonl.extraction_record
    monkeypatch.setattr(rdf, "trig_part", lambda ex, *a: made.append(("trig", ex.article.doc_id)) or trig_part(ex, *a))
    monkeypatch.setattr(
        jsonl, "extraction_record", lambda ex: made.append(("jsonl", ex.article.doc_id)) or extraction_record(ex)
    )
    kg.build([src], out, kg.BuildOptions(html=False))
    assert made == [("trig", new.stem), ("jsonl", new.stem)]  # the five others are copied
    assert _outputs(out) == _outputs(tmp_path / "full")
    # the store began as the previous one, its graphs kept, and holds what a full build's holds
    assert _quads(out) == _quads(tmp_path / "full")
    # a part changed since it was written is made again, not copied
    trig = (out / "graph.trig").read_bytes()
    (out / "graph.trig").write_bytes(trig.replace("徐州".encode(), "苏州".encode(), 1))
    made.clear()
    kg.build([src], out, kg.BuildOptions(html=False))
    assert len(made) == 1 and made[0][0] == "trig"
    assert _outputs(out) == _outputs(tmp_path / "full")
    assert _quads(out) == _quads(tmp_path / "full")
    # a document gone takes its graph with it, and its triples of the default graph: here from a
    # graph.ttl edited since, so that the store loads it whole, not its changes
    ttl = (out / "graph.ttl").read_bytes()
    (out / "graph.ttl").write_bytes(ttl.replace(b" .\n", b" .\n\n"))
    (src / new.name).unlink()
    kg.build([src], out, kg.BuildOptions(html=False))
    assert _quads(out) == _quads(first)
    # a document changed has its graph replaced
    changed = sorted(src.iterdir())[0]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text[: len(text) // 2], encoding="utf-8")
    kg.build([src], out, kg.BuildOptions(html=False))
    kg.build([src], tmp_path / "changed", kg.BuildOptions(html=False))
    assert _quads(out) == _quads(tmp_path / "changed")
    # a previous store that cannot be copied is loaded afresh
    (out / "store" / "CURRENT").unlink()
    caplog.set_level(logging.WARNING)  # an earlier test's CLI may have quietened the root logger
    kg.build([src], out, kg.BuildOptions(html=False))
    assert "cannot be copied" in caplog.text
    assert _quads(out) == _quads(tmp_path / "changed")
    # with another threshold every part is made again, into a store loaded afresh
    made.clear()
    kg.build([src], out, kg.BuildOptions(html=False, min_confidence=0.9))
    assert len(made) == 10
    kg.build([src], tmp_path / "strict", kg.BuildOptions(html=False, min_confidence=0.9))
    assert _quads(out) == _quads(tmp_path / "strict")


def test_pipeline_extracts_on_a_dask_cluster_with_a_local_builds_bytes(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        remote = kg.build(
            [EXAMPLES], tmp_path / "remote", kg.BuildOptions(html=False, scheduler=cluster.scheduler_address)
        )
        # the workers did the extracting
        assert "extract_on_worker" in cluster.scheduler.task_prefixes
    kg.build([EXAMPLES], tmp_path / "local", kg.BuildOptions(html=False))
    assert len(remote.extractions) == 5
    assert _outputs(tmp_path / "remote") == _outputs(tmp_path / "local")


def test_pipeline_an_unreachable_scheduler_is_one_clear_error(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    from .conftest import free_port

    address = f"tcp://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(main, ["build", str(EXAMPLES), "-o", str(tmp_path / "out"), "--scheduler", address])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: --scheduler {address}: cannot reach the Dask scheduler:")
    assert not (tmp_path / "out").exists()


def test_pipeline_spilled_extractions_read_back_equal_in_any_order(tmp_path, examples_build):
    from kg.merge import Merging, merge
    from kg.spill import Ordered, Spill

    _, result = examples_build
    extractions = list(result.extractions)
    spill, merging = Spill(tmp_path), Merging("https://x.org/")
    for ex in reversed(extractions):
        spill.append(ex)
        merging.add(ex)
    assert list(spill) == extractions[::-1] and spill[1:3] == extractions[::-1][1:3]
    merged_spill = Spill(tmp_path)
    assert list(merged_spill.through(map(merging.apply, spill))) == merge(extractions[::-1], "https://x.org/")
    merged = Ordered(merged_spill)
    assert list(merged) == merge(extractions[::-1], "https://x.org/")
    by_doc = merged.sorted(key=spill.doc_ids.__getitem__)
    assert [ex.article.doc_id for ex in by_doc] == sorted(spill.doc_ids)
    assert not list(tmp_path.iterdir())  # the spill file has no name to leave behind


def test_pipeline_a_rebuild_reads_cached_entries_one_at_a_time(tmp_path, monkeypatch):
    from kg import pipeline
    from kg.cache import CACHE, ExtractionCache
    from kg.extract.models import shipped_models
    from kg.read import read_inputs

    kg.build([EXAMPLES], tmp_path / "out", kg.BuildOptions(html=False))
    models = shipped_models()
    cached = ExtractionCache(tmp_path / "out" / CACHE, models.version, tmp_path / "pending")
    read = []
    get = cached.get
    monkeypatch.setattr(cached, "get", lambda article: read.append(article.doc_id) or get(article))
    articles, _ = read_inputs([EXAMPLES])
    extracted = pipeline._extract_all(articles, models, cached, kg.BuildOptions(jobs=1), None)
    first, extraction, _ = next(extracted)
    assert read == [first.doc_id] and extraction is not None  # not every entry loaded before the first
    assert len(list(extracted)) == 4 and cached.hits == 5


def test_pipeline_progress_tells_every_stage_in_order(tmp_path):
    """Long work shows where it is: reading, extracting, merging and each file written, not only extraction."""
    told: list[str] = []
    kg.build([EXAMPLES], tmp_path, progress=told.append)
    stages = [
        "reading file 1: ",
        "[1/5] ",
        "[5/5] ",
        "merging 5 documents",
        "writing graph.ttl",
        "writing graph.trig [1/5]",
        "writing graph.trig [5/5]",
        "writing extractions.jsonl [5/5]",
        "writing graph.html",
        "writing the store",
    ]
    at = [next((i for i, line in enumerate(told) if line.startswith(stage)), -1) for stage in stages]
    assert -1 not in at and at == sorted(at), list(zip(stages, at, strict=True))
    assert sum(line.startswith("reading file ") for line in told) == len(list(EXAMPLES.iterdir()))
