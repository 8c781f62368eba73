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
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, XSD

from . import rdf, store
from .clean import to_simplified
from .errors import KgError, QueryError
from .model import EntityType

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

    def records(self) -> list[dict[str, str | None]]:
        """The SELECT rows as dicts of column -> value."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

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


def load_graph(path: Path | str) -> Graph:
    """The graph in `path` (a Turtle file, or a build folder holding graph.ttl) as an rdflib Graph.

    Raises InputError when there is no such graph or it does not parse.
    """
    path = store.graph_file(Path(path))
    store.load_files(path)  # Oxigraph's message says where the Turtle goes wrong
    return Graph().parse(path, format="turtle")


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
    ASK a boolean, CONSTRUCT and DESCRIBE a graph (as Turtle). A build's store
    is opened read-only; a graph.ttl alone is loaded into memory. Raises
    QueryError when the query does not parse, updates, calls SERVICE or runs
    over `timeout` seconds; InputError when there is no graph.

    >>> r = query("out", "SELECT ?park WHERE { ?park a kg:Park }")   # doctest: +SKIP
    """
    text = check_query(read_query(sparql))
    named = bool(_NAMED_GRAPHS.search(_STRINGS_IRIS_COMMENTS.sub(" ", text)))
    store.graph_file(Path(graph))  # a missing graph is the user's error, said before any process starts
    if timeout is None:
        return _answer(store.open_store(graph, named), text)
    return _with_time_limit(graph, named, text, timeout)


def _answer(db: pyoxigraph.Store, text: str) -> QueryResult:
    try:
        result = db.query(_PROLOGUE + text)
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


def _run_child(graph: Path | str, named: bool, text: str, conn) -> None:
    try:
        conn.send(("ok", _answer(store.open_store(graph, named), text)))
    except KgError as exc:
        conn.send(("error", exc))
    finally:
        conn.close()


def _with_time_limit(graph: Path | str, named: bool, text: str, timeout: float) -> QueryResult:
    """The answer, from a forked child (which opens the store) stopped after `timeout` seconds."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_run_child, args=(graph, named, text, child), daemon=True)
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
        raise value
    return value


# Named queries: the questions analysts ask, as .rq files in kg/queries.
_HEADER = re.compile(r"^#\s*(\S+?):\s*(.+)$")
_PARAM = re.compile(r"^#\s*param\s+(\w+)\s+(name|date|type|text)\s+(.+)$")
_EXAMPLE = re.compile(r"^#\s*example:\s*(.+)$")
_VALUES = re.compile(r"VALUES\s*\(([?\w\s]+)\)\s*\{\s*\(\s*(?:UNDEF\s*)+\)\s*\}")
# A line of a query's pattern that only a given parameter needs: "?p rdfs:label ?official .  # when official"
_WHEN = re.compile(r"^(?!\s*#).*#\s*when\s+(\w+)\s*$")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_TYPE_NAMES = {str(t): t for t in EntityType}


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    kind: str  # name (a label or alias, Simplified or Traditional), date (YYYY-MM-DD), type (an entity type), text
    description: str

    @property
    def required(self) -> bool:
        return self.description.startswith("required")


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """One of the questions kg answers by name: its SPARQL, what it answers and its parameters."""

    name: str
    description: str
    parameters: tuple[Parameter, ...]
    sparql: str
    example: str = ""

    def bound(self, values: Mapping[str, str]) -> str:
        """The SPARQL with `values` bound: the VALUES row of the parameters holds them as RDF terms
        (serialised by Oxigraph, so a value is never read as query text); unbound ones stay UNDEF.

        A line ending in "# when NAME" is kept only when NAME is given. Such a line is a pattern
        starting from the value (?p rdfs:label ?official), so that the store looks up the few rows
        it names instead of filtering every row: on 10,000 articles, one official's visits take
        1 ms where FILTER(!BOUND(?official) || EXISTS {…}) took 1.2 s."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryError(f"{self.name}: no parameter {', '.join(unknown)}; it takes {', '.join(known) or 'none'}")
        missing = [p.name for p in self.parameters if p.required and not values.get(p.name)]
        if missing:
            raise QueryError(f"{self.name}: needs --param {missing[0]}=VALUE ({known[missing[0]].description})")
        sparql = "".join(
            line
            for line in self.sparql.splitlines(keepends=True)
            if not (when := _WHEN.search(line)) or values.get(when.group(1))
        )
        match = _VALUES.search(sparql)
        if match is None:
            return sparql
        columns = [v.lstrip("?") for v in match.group(1).split()]
        row = " ".join(str(_term(known[c], values[c])) if values.get(c) else "UNDEF" for c in columns)
        return sparql[: match.start()] + f"VALUES ({match.group(1).strip()}) {{ ({row}) }}" + sparql[match.end() :]

    def standalone(self, values: Mapping[str, str]) -> str:
        """The bound SPARQL with its prefixes declared, for any SPARQL endpoint (kg serve)."""
        return _PROLOGUE + self.bound(values)


def _term(parameter: Parameter, value: str) -> pyoxigraph.Literal | pyoxigraph.NamedNode:
    if parameter.kind == "date":
        if not _ISO_DATE.fullmatch(value):
            raise QueryError(f"--param {parameter.name}={value}: not a date; give one as YYYY-MM-DD")
        return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(str(XSD.date)))
    if parameter.kind == "type":
        if value not in _TYPE_NAMES:
            raise QueryError(f"--param {parameter.name}={value}: not an entity type; one of {', '.join(_TYPE_NAMES)}")
        return pyoxigraph.NamedNode(str(rdf.CLASS_OF[_TYPE_NAMES[value]]))
    if parameter.kind == "name":
        return pyoxigraph.Literal(to_simplified(value.strip()), language="zh")
    return pyoxigraph.Literal(value)


def _parse_named(name: str, text: str) -> NamedQuery:
    description, parameters, example = "", [], ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if m := _PARAM.match(line):
            parameters.append(Parameter(m.group(1), m.group(2), " ".join(m.group(3).split())))
        elif m := _EXAMPLE.match(line):
            example = m.group(1).strip()
        elif (m := _HEADER.match(line)) and m.group(1) == name:
            description = m.group(2).strip()
    return NamedQuery(name, description, tuple(parameters), text, example)


@cache
def named_queries() -> dict[str, NamedQuery]:
    """The named queries shipped in kg/queries, by name."""
    folder = resources.files("kg").joinpath("queries")
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name.removesuffix(".rq")
            out[name] = _parse_named(name, entry.read_text(encoding="utf-8"))
    return out


def named_query(name: str) -> NamedQuery:
    """The named query `name`; QueryError naming the others when there is none."""
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; kg query --list shows them: {', '.join(queries)}")
    return queries[name]


def ask(
    graph: Path | str, name: str, timeout: float | None = DEFAULT_TIMEOUT, **params: str
) -> list[dict[str, str | None]]:
    """The rows a named query gives over `graph`, each a dict of column -> value.

    >>> ask("out", "visits", city="徐州市")[0]["visitor"]   # doctest: +SKIP
    '庄兆林'
    """
    return query(graph, named_query(name).bound(params), timeout).records()
