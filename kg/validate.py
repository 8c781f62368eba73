"""Check a build: every file it writes, the SHACL shapes of ontology/shapes.ttl (pyshacl), and its own checks.

First every file a build writes must be there, non-empty and parse:
graph.ttl, graph.trig (in Oxigraph, a strict parser), each line of
extractions.jsonl, report.json, a text file per document, graph.html when the
build wrote one, and the store must hold what graph.ttl and graph.trig hold.
Then the shapes, and what SHACL cannot see: that each mention's offsets
point at the entity's name in the document's cleaned text, that each
relation's evidence is the sentence at its offsets, that relation ends are
entities of the same document, and that the files agree on the documents
built. Every failure is a problem in the list, never an exception.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import SH

from .errors import InputError
from .read import BUILD_MARKER, display
from .store import STORE

log = logging.getLogger(__name__)

# How many problems to list before summarising the rest.
_MAX_LISTED = 50
_FILES = ("graph.ttl", "graph.trig", "extractions.jsonl", "report.json")


@dataclass(frozen=True, slots=True)
class Validation:
    """The outcome of `validate`: whether the build conforms, and each problem found."""

    problems: tuple[str, ...]

    @property
    def conforms(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.conforms:
            return "conforms: SHACL shapes and the build's own checks pass"
        shown = list(self.problems[:_MAX_LISTED])
        if len(self.problems) > _MAX_LISTED:
            shown.append(f"… and {len(self.problems) - _MAX_LISTED} more")
        return "\n".join([f"{len(self.problems)} problems:", *(f"  {p}" for p in shown)])


def _package_graph(name: str) -> Graph:
    """shapes.ttl or parkkg.ttl, shipped in kg/data (links to ontology/)."""
    with resources.files("kg.data").joinpath(name).open("rb") as f:
        return Graph().parse(f, format="turtle")


def shacl_problems(graph: Graph) -> list[str]:
    """Each SHACL violation as one line: the node, the property, the message."""
    import pyshacl  # imported here: it is slow to import and only validation needs it

    conforms, results, _ = pyshacl.validate(
        graph, shacl_graph=_package_graph("shapes.ttl"), ont_graph=_package_graph("parkkg.ttl"), inference="none"
    )
    if conforms:
        return []
    problems = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        node = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        where = f"{node}" + (f" {graph.namespace_manager.normalizeUri(path)}" if path is not None else "")
        problems.append(f"shape: {where}: {message}")
    return sorted(problems)


def _rdf_problem(path: Path, fmt: str) -> tuple[str | None, int]:
    """Why `path` is not valid Turtle or TriG to Oxigraph, in one line with its position (None if it is),
    and how many quads it holds (kg build writes none twice)."""
    import pyoxigraph

    quads = 0
    try:
        with path.open("rb") as f:
            quads = sum(1 for _ in pyoxigraph.parse(f, format=getattr(pyoxigraph.RdfFormat, fmt.upper())))
    except SyntaxError as exc:
        return f"{path.name}: not valid {fmt}: {str(exc.msg)[:300]}", quads
    except (OSError, ValueError) as exc:
        return f"{path.name}: cannot be read: {exc}", quads
    return None, quads


def _store_problem(out: Path, quads: int) -> str | None:
    """Why the build's store is not graph.ttl and graph.trig; None if it is."""
    import pyoxigraph

    try:
        held = len(pyoxigraph.Store.read_only(str(out / STORE)))
    except OSError as exc:
        return f"{STORE}/: cannot be opened: {str(exc)[:200]}; rebuild with kg build"
    if held != quads:
        return f"{STORE}/: holds {held} quads where graph.ttl and graph.trig hold {quads}; rebuild with kg build"
    return None


def _records(path: Path, problems: list[str]) -> list[tuple[int, dict[str, Any]]]:
    records = []
    with path.open("rb") as f:
        for lineno, line in enumerate(f, 1):
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or not isinstance(record.get("doc_id"), str):
                    raise ValueError("not an object with a doc_id")
            except (ValueError, UnicodeDecodeError) as exc:
                problems.append(f"extractions.jsonl:{lineno}: not a JSON record: {str(exc)[:200]}")
                continue
            records.append((lineno, record))
    return records


def build_problems(out: Path, report: dict[str, Any]) -> list[str]:
    """The build's own checks over extractions.jsonl, text/ and report.json."""
    problems: list[str] = []
    records = _records(out / "extractions.jsonl", problems)
    built = {r["doc_id"] for r in report.get("inputs", []) if isinstance(r, dict) and r.get("status") == "built"}
    written = {record["doc_id"] for _, record in records}
    for doc in sorted(built - written):
        problems.append(f"report.json: {doc} is built, but not in extractions.jsonl")
    for doc in sorted(written - built):
        problems.append(f"extractions.jsonl: {doc} is not a document report.json says was built")
    for lineno, record in records:
        doc = record["doc_id"]
        text_path = out / "text" / f"{doc}.txt"
        if not text_path.is_file():
            problems.append(f"extractions.jsonl:{lineno}: {doc}: no {display(text_path)}")
            continue
        try:
            problems += _record_problems(record, text_path.read_text(encoding="utf-8"), f"extractions.jsonl:{lineno}")
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(
                f"extractions.jsonl:{lineno}: {doc}: not an extraction record ({type(exc).__name__}: {exc})"
            )
    return problems


def _record_problems(record: dict[str, Any], text: str, where: str) -> list[str]:
    doc = record["doc_id"]
    problems = []
    ids = {e["id"] for e in record["entities"]}
    for e in record["entities"]:
        names = {e["name"], *e["aliases"]}
        for start, end in e["mentions"]:
            if text[start:end] not in names:
                problems.append(
                    f"{where}: {doc}: mention [{start}, {end}) is {text[start:end]!r}, not a name of {e['name']}"
                )
    for r in record["relations"]:
        if r["head"] not in ids or r["tail"] not in ids:
            problems.append(f"{where}: {doc}: {r['type']} joins an entity not in the document")
        start, end = r["evidence_span"]
        if text[start:end] != r["evidence"]:
            problems.append(f"{where}: {doc}: {r['type']} evidence is not the text at its offsets")
    return problems


def validate(out: Path | str) -> Validation:
    """Validate the build in folder `out`. Raises InputError when `out` is not a build folder."""
    out = Path(out)
    if out.is_file():
        raise InputError(
            f"{display(out)}: a file; give the build folder kg build wrote (kg validate {display(out.parent)})"
        )
    if not out.is_dir():
        raise InputError(f"{display(out)}: no such folder; build one with kg build SOURCES -o {display(out)}")
    if not (out / BUILD_MARKER).is_file() and not (out / "extractions.jsonl").is_file():
        raise InputError(
            f"{display(out)}: not a folder kg build wrote; build one with kg build SOURCES -o {display(out)}"
        )
    problems = []
    for name in _FILES:
        path = out / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif path.stat().st_size == 0:
            problems.append(f"{name}: empty")
    if not (out / "text").is_dir():
        problems.append("text/: missing")
    if problems:
        return Validation(tuple(problems))  # nothing further can be checked against missing files
    try:
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        if not isinstance(report, dict):
            raise ValueError("not a JSON object")
    except (ValueError, UnicodeDecodeError) as exc:
        return Validation((f"report.json: not valid JSON: {str(exc)[:200]}",))
    if report.get("html", True) and not (out / "graph.html").is_file():
        problems.append("graph.html: missing")
    quads = 0
    for name, fmt in (("graph.ttl", "Turtle"), ("graph.trig", "TriG")):
        problem, count = _rdf_problem(out / name, fmt)
        quads += count
        if problem:
            problems.append(problem)
    if not (out / STORE).is_dir():
        problems.append(f"{STORE}/: missing")
    elif not problems and (problem := _store_problem(out, quads)):
        problems.append(problem)
    problems += build_problems(out, report)
    if not any(p.startswith("graph.ttl") for p in problems):
        problems += shacl_problems(Graph().parse(out / "graph.ttl", format="turtle"))
    return Validation(tuple(problems))
