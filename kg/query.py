"""SPARQL over a built graph, through rdflib."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from . import rdf
from .errors import InputError, QueryError

# Prefixes every query may use without declaring them.
PREFIXES = {**rdf.PREFIXES, "rdf": RDF._NS, "rdfs": RDFS._NS}


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The rows of a SELECT (or the answer of an ASK) as plain strings."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]

    def table(self) -> str:
        """An aligned text table; CJK characters count as two columns."""
        cells = [list(self.columns)] + [[v if v is not None else "" for v in row] for row in self.rows]
        widths = [max(_width(r[i]) for r in cells) for i in range(len(self.columns))]
        lines = ["  ".join(_pad(v, w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append(f"({len(self.rows)} rows)")
        return "\n".join(lines)

    def csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return buf.getvalue()

    def json(self) -> str:
        return json.dumps(
            [dict(zip(self.columns, row, strict=True)) for row in self.rows], ensure_ascii=False, indent=2
        )


def _width(s: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def load_graph(path: Path | str) -> Graph:
    """The graph in `path`: a Turtle file, or a build folder holding graph.ttl.

    Raises InputError when there is no such graph or it does not parse.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.is_file():
        raise InputError(f"{path}: no such graph; run `kg build SOURCES -o OUT` first")
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many parser exception types
        raise InputError(f"{path}: not valid Turtle: {exc}") from exc
    return g


def query(graph: Graph | Path | str, sparql: str) -> QueryResult:
    """Run a SPARQL SELECT or ASK; the prefixes of kg.query.PREFIXES (kg, schema, org, skos, …) are predeclared.

    `sparql` is the query text, or the path of a `.rq` file. Raises QueryError
    when the query does not parse or is not a SELECT or ASK.

    >>> r = query("out", "SELECT ?park WHERE { ?park a kg:Park }")   # doctest: +SKIP
    """
    if not isinstance(graph, Graph):
        graph = load_graph(graph)
    if sparql.strip().endswith(".rq") and "\n" not in sparql.strip():
        try:
            sparql = Path(sparql.strip()).read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"{sparql.strip()}: cannot read query file: {exc.strerror}") from exc
    try:
        result = graph.query(sparql, initNs=PREFIXES)
    except Exception as exc:  # pyparsing and rdflib raise several types for bad queries
        raise QueryError(f"bad SPARQL query: {exc}") from exc
    if result.type == "ASK":
        return QueryResult(("ask",), ((str(bool(result.askAnswer)).lower(),),))
    if result.type != "SELECT":
        raise QueryError(f"only SELECT and ASK queries print as tables, not {result.type}")
    columns = tuple(str(v) for v in result.vars)
    rows = tuple(tuple(None if row[v] is None else str(row[v]) for v in result.vars) for row in result)
    return QueryResult(columns, rows)
