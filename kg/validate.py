"""Check a build: the SHACL shapes of ontology/shapes.ttl (pyshacl), and the build's own checks.

The build's own checks are what SHACL cannot see: that each mention's
offsets point at the entity's name in the document's cleaned text, that each
relation's evidence is the sentence at its offsets, that relation ends are
entities of the same document, and that graph.ttl and graph.trig parse.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH

from .errors import InputError

log = logging.getLogger(__name__)

# How many problems of one kind to list before summarising the rest.
_MAX_LISTED = 50


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


def build_problems(out: Path) -> list[str]:
    """The build's own checks over extractions.jsonl, text/ and graph.trig."""
    problems = []
    lines = (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    for lineno, line in enumerate(lines, 1):
        record = json.loads(line)
        doc = record["doc_id"]
        text_path = out / "text" / f"{doc}.txt"
        if not text_path.is_file():
            problems.append(f"extractions.jsonl:{lineno}: {doc}: no {text_path}")
            continue
        text = text_path.read_text(encoding="utf-8")
        ids = {e["id"] for e in record["entities"]}
        for e in record["entities"]:
            names = {e["name"], *e["aliases"]}
            for start, end in e["mentions"]:
                if text[start:end] not in names:
                    problems.append(
                        f"extractions.jsonl:{lineno}: {doc}: mention [{start}, {end}) is {text[start:end]!r}, "
                        f"not a name of {e['name']}"
                    )
        for r in record["relations"]:
            if r["head"] not in ids or r["tail"] not in ids:
                problems.append(f"extractions.jsonl:{lineno}: {doc}: {r['type']} joins an entity not in the document")
            start, end = r["evidence_span"]
            if text[start:end] != r["evidence"]:
                problems.append(
                    f"extractions.jsonl:{lineno}: {doc}: {r['type']} evidence is not the text at its offsets"
                )
    trig = out / "graph.trig"
    if trig.is_file():
        import pyoxigraph

        try:
            pyoxigraph.Store().load(path=str(trig), format=pyoxigraph.RdfFormat.TRIG)
        except (SyntaxError, ValueError, OSError) as exc:
            problems.append(f"graph.trig: does not parse: {exc}")
    return problems


def validate(out: Path | str) -> Validation:
    """Validate the build in folder `out`. Raises InputError when it holds no build."""
    out = Path(out)
    if not (out / "graph.ttl").is_file() or not (out / "extractions.jsonl").is_file():
        raise InputError(f"{out}: no build here (graph.ttl and extractions.jsonl); run `kg build SOURCES -o {out}`")
    try:
        graph = Graph().parse(out / "graph.ttl", format="turtle")
    except Exception as exc:  # rdflib raises many parser exception types
        return Validation((f"graph.ttl: does not parse: {exc}",))
    return Validation(tuple(shacl_problems(graph) + build_problems(out)))
