"""SPARQL over a built graph, answered by Oxigraph; results as tables, CSV, TSV, SPARQL JSON or Turtle.

A build folder's graph.ttl is the default graph; its graph.trig (one named
graph per document) is loaded too when a query asks for named graphs (GRAPH,
FROM NAMED). Queries only read: SPARQL Update and SERVICE (which would send
the query to another server) are refused, and a query gets a time limit: it
runs in a child process that is stopped when the limit passes.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from . import rdf
from .errors import InputError, QueryError
from .read import display

# Prefixes every query may use without declaring them.
PREFIXES = {**rdf.PREFIXES, "rdf": RDF._NS, "rdfs": RDFS._NS}
DEFAULT_TIMEOUT = 60.0
_PROLOGUE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in sorted(PREFIXES.items()))
# What a query must not do, looked for outside its strings, IRIs and comments.
_REFUSED = re.compile(r"(?<![?$:\w])(SERVICE|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b(?!:)", re.I)
_NAMED_GRAPHS = re.compile(r"(?<![?$:\w])(GRAPH|NAMED)\b(?!:)", re.I)
_STRINGS_IRIS_COMMENTS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*'
)


@dataclass(frozen=True, slots=True)
class QueryResult:
    """A query's answer: SELECT rows (values as plain strings), an ASK's boolean, or a graph as Turtle.

    `terms` keeps each SELECT value's SPARQL JSON form ({"type": "literal", "value": …, "xml:lang": …}).
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    kind: str = "select"  # "select", "ask" or "graph"
    terms: tuple[tuple[dict[str, str] | None, ...], ...] = ()
    boolean: bool | None = None
    turtle: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def table(self) -> str:
        """An aligned text table; CJK characters count as two columns."""
        if self.kind == "graph":
            return self.turtle.rstrip("\n")
        cells = [list(self.columns)] + [[v if v is not None else "" for v in row] for row in self.rows]
        widths = [max(_width(r[i]) for r in cells) for i in range(len(self.columns))]
        lines = ["  ".join(_pad(v, w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append(f"({len(self.rows)} rows)")
        return "\n".join(lines)

    def csv(self, delimiter: str = ",") -> str:
        if self.kind == "graph":
            return self.turtle
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n", delimiter=delimiter)
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return buf.getvalue()

    def tsv(self) -> str:
        return self.csv(delimiter="\t")

    def json(self) -> str:
        """SPARQL 1.1 Query Results JSON (for a graph: its Turtle)."""
        if self.kind == "graph":
            return self.turtle
        if self.kind == "ask":
            return json.dumps({"head": {}, "boolean": self.boolean})
        bindings = [{c: t for c, t in zip(self.columns, row, strict=True) if t is not None} for row in self.terms]
        return json.dumps(
            {"head": {"vars": list(self.columns)}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1
        )


def _width(s: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def _graph_file(path: Path) -> Path:
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.is_file():
        raise InputError(f"{display(path)}: no such graph; build one with kg build SOURCES -o OUT first")
    return path


def load_graph(path: Path | str) -> Graph:
    """The graph in `path` (a Turtle file, or a build folder holding graph.ttl) as an rdflib Graph.

    Raises InputError when there is no such graph or it does not parse.
    """
    path = _graph_file(Path(path))
    _load_store(path)  # Oxigraph's message says where the Turtle goes wrong
    return Graph().parse(path, format="turtle")


def _load_store(ttl: Path, trig: Path | None = None):
    import pyoxigraph

    store = pyoxigraph.Store()
    for path, fmt, graph in (
        (ttl, pyoxigraph.RdfFormat.TURTLE, pyoxigraph.DefaultGraph()),
        (trig, pyoxigraph.RdfFormat.TRIG, None),
    ):
        if path is None:
            continue
        try:
            store.bulk_load(path=str(path), format=fmt, **({"to_graph": graph} if graph is not None else {}))
        except SyntaxError as exc:
            raise InputError(
                f"{display(path)}: not valid {fmt.name}: {str(exc.msg)[:300]}; rebuild it with kg build"
            ) from exc
        except (OSError, ValueError) as exc:
            raise InputError(f"{display(path)}: cannot be read: {str(exc)[:300]}") from exc
    return store


def read_query(sparql: str) -> str:
    """The query text: `sparql` itself, or the contents of the .rq file it names."""
    name = sparql.strip()
    if name.endswith(".rq") and "\n" not in name:
        try:
            return Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{name}: cannot read the query file: {getattr(exc, 'strerror', None) or exc}") from exc
    return sparql


def check_query(sparql: str) -> str:
    """`sparql` if kg query may run it; raises QueryError for SPARQL Update and SERVICE."""
    bare = _STRINGS_IRIS_COMMENTS.sub(" ", sparql)
    if m := _REFUSED.search(bare):
        word = m.group(1).upper()
        if word == "SERVICE":
            raise QueryError("SERVICE is refused: kg query answers from the built graph alone, it never calls out")
        raise QueryError(f"SPARQL Update ({word}) is refused: kg query only reads the graph")
    return sparql


def query(graph: Path | str, sparql: str, timeout: float | None = DEFAULT_TIMEOUT) -> QueryResult:
    """Run a SPARQL query over `graph` (a build folder, or a graph.ttl); the prefixes of
    kg.query.PREFIXES (kg, schema, org, skos, …) are predeclared.

    `sparql` is the query text, or the path of a `.rq` file. SELECT gives rows,
    ASK a boolean, CONSTRUCT and DESCRIBE a graph (as Turtle). Raises QueryError
    when the query does not parse, updates, calls SERVICE or runs over
    `timeout` seconds; InputError when there is no graph.

    >>> r = query("out", "SELECT ?park WHERE { ?park a kg:Park }")   # doctest: +SKIP
    """
    text = check_query(read_query(sparql))
    path = Path(graph)
    ttl = _graph_file(path)
    trig = ttl.parent / "graph.trig" if _NAMED_GRAPHS.search(_STRINGS_IRIS_COMMENTS.sub(" ", text)) else None
    if trig is not None and not trig.is_file():
        raise QueryError(f"{display(trig)}: the query asks for named graphs, and the build has no graph.trig")
    store = _load_store(ttl, trig)
    if timeout is None:
        return _answer(store, text)
    return _with_time_limit(store, text, timeout)


def _answer(store, text: str) -> QueryResult:
    import pyoxigraph

    try:
        result = store.query(_PROLOGUE + text)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return QueryResult(("ask",), ((str(bool(result)).lower(),),), kind="ask", boolean=bool(result))
        if isinstance(result, pyoxigraph.QueryTriples):
            turtle = pyoxigraph.serialize(list(result), format=pyoxigraph.RdfFormat.TURTLE, prefixes=dict(PREFIXES))
            return QueryResult((), (), kind="graph", turtle=turtle.decode("utf-8"))
        columns = tuple(v.value for v in result.variables)
        rows, terms = [], []
        for solution in result:
            values = [solution[c] for c in columns]
            rows.append(tuple(None if v is None else str(v.value) for v in values))
            terms.append(tuple(None if v is None else _term_json(v) for v in values))
    except SyntaxError as exc:
        raise QueryError(f"bad SPARQL query: {_plain_syntax_error(str(exc))}") from exc
    except OSError as exc:
        raise QueryError(f"the query failed: {exc}") from exc
    return QueryResult(columns, tuple(rows), terms=tuple(terms))


def _plain_syntax_error(message: str) -> str:
    """Oxigraph's position counts the predeclared prefixes too; give it in the user's own lines."""
    prologue_lines = _PROLOGUE.count("\n")

    def shift(m: re.Match) -> str:
        line = int(m.group(1)) - prologue_lines
        return f"line {line}, column {m.group(2)}"

    message = " ".join(re.sub(r"(\d+):(\d+)", shift, message, count=1).split())
    return message if len(message) <= 160 else message[:160].rstrip() + " …"


def _term_json(term) -> dict[str, str]:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _run_child(store, text: str, conn) -> None:
    try:
        conn.send(("ok", _answer(store, text)))
    except QueryError as exc:
        conn.send(("error", str(exc)))
    finally:
        conn.close()


def _with_time_limit(store, text: str, timeout: float) -> QueryResult:
    """The answer, from a forked child that is stopped after `timeout` seconds."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_run_child, args=(store, text, child), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise QueryError(f"the query ran over its time limit of {timeout:g} s; narrow it or raise --timeout")
        status, value = parent.recv()
    except EOFError as exc:
        raise QueryError("the query process ended without an answer") from exc
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        parent.close()
    if status == "error":
        raise QueryError(value)
    return value
