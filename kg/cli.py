"""The `kg` command: a thin layer over kg.pipeline, kg.query, kg.score and kg.train.

Every command takes -v/-q/-h. A KgError is a one-line message naming the file
or option and what to do; any other exception is a bug, reported in one line
that says where its full traceback was written. Each command imports the
stages it runs when it runs, so that kg --help and kg query start without
jieba, LAC or networkx.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .errors import KgError
from .model import DEFAULT_BASE_IRI, BuildOptions, EntityType


@contextmanager
def _progress_line() -> Iterator[Callable[[str], None] | None]:
    """A progress line on stderr when it is a terminal (None otherwise), cleared afterwards."""
    if not sys.stderr.isatty():
        yield None
        return
    try:
        yield lambda msg: click.echo(f"\r{msg:<60}", err=True, nl=False)
    finally:
        click.echo("\r" + " " * 61 + "\r", err=True, nl=False)


class _Group(click.Group):
    """The command group: bugs become one line and a traceback file, never a raw traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted: outputs are left as they were", err=True)
            sys.exit(130)
        except KgError as exc:
            raise click.ClickException(str(exc)) from exc
        except Exception as exc:
            fd, path = tempfile.mkstemp(prefix="kg-error-", suffix=".log")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(traceback.format_exc())
            click.echo(
                f"Error: internal error ({type(exc).__name__}: {str(exc)[:200]}); "
                f"the full traceback is in {path}; please report it",
                err=True,
            )
            sys.exit(3)


def _set_verbosity(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    logging.getLogger("trafilatura").setLevel(logging.ERROR)


def _verbosity(command: Callable) -> Callable:
    """-v and -q on a command, as on `kg` itself: kg build -q … and kg -q build … mean the same."""

    def remember(ctx: click.Context, param: click.Parameter, value: int | bool) -> int | bool:
        state = ctx.find_root().ensure_object(dict)
        state[param.name] = state.get(param.name) or value
        _set_verbosity(state.get("verbose", 0), state.get("quiet", False))
        return value

    command = click.option(
        "-v", "--verbose", count=True, expose_value=False, callback=remember, help="More log output (-vv for debug)."
    )(command)
    return click.option(
        "-q", "--quiet", is_flag=True, expose_value=False, callback=remember, help="Only errors: no summary."
    )(command)


def _quiet() -> bool:
    return bool(click.get_current_context().find_root().ensure_object(dict).get("quiet"))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@_verbosity
@click.version_option(package_name="parkkg")
def main() -> None:
    """parkkg: a knowledge graph of industrial parks from Chinese news."""


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default="out",
    show_default=True,
    help="Folder to write graph.ttl, extractions.jsonl, graph.html, text/ and report.json into.",
)
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True, help="Namespace of entity IRIs.")
@click.option("--no-html", is_flag=True, help="Skip graph.html.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any input is rejected.")
@click.option("--keep-teasers", is_flag=True, help="Keep related-article teasers as documents of their own.")
@click.option(
    "--models",
    "models_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A model folder kg train wrote (default: the models shipped with parkkg, fit on 88 annotated articles).",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    help="Drop entities and relations less confident than this (default: the threshold the models were fit with).",
)
@click.option("--force", is_flag=True, help="Replace an output folder that holds files kg build did not write.")
@click.option(
    "-j", "--jobs", type=click.IntRange(1), help="Extraction processes [default: one per core]; the same output."
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Extract on the workers of this Dask scheduler (tcp://host:8786); merging and writing stay here.",
)
@_verbosity
def build(
    sources: tuple[Path, ...],
    out: Path,
    base_iri: str,
    no_html: bool,
    strict: bool,
    keep_teasers: bool,
    models_dir: Path | None,
    min_confidence: float | None,
    force: bool,
    jobs: int | None,
    scheduler: str | None,
) -> None:
    """Build the knowledge graph of the articles in SOURCES.

    SOURCES are .txt, .html and .htm files, folders of them, and JSON Lines
    crawl exports (.jsonl, one record per line with url and html or text).

    Example: kg build examples/articles -o out
    """
    options = BuildOptions(
        base_iri=base_iri,
        html=not no_html,
        strict=strict,
        keep_teasers=keep_teasers,
        models=models_dir,
        min_confidence=min_confidence,
        force=force,
        jobs=jobs,
        scheduler=scheduler,
    )
    from . import pipeline

    with _progress_line() as progress:
        result = pipeline.build(sources, out, options, progress=progress)
    if not _quiet() or result.report.exit_code:
        click.echo(result.report.summary(), err=True)
    sys.exit(result.report.exit_code)


def _param(ctx: click.Context, option: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{value!r}: give NAME=VALUE, such as city=徐州市", ctx, option)
        out[name.strip()] = text
    return out


@main.command()
@click.argument("args", nargs=-1, metavar="[GRAPH] QUERY")
@click.option("--list", "list_named", is_flag=True, help="List the named queries and their parameters.")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    callback=_param,
    metavar="NAME=VALUE",
    help="A named query's parameter (repeatable), bound as an RDF term: --param city=徐州市.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
    help="Output format: json is the SPARQL 1.1 results format; CONSTRUCT and DESCRIBE always print Turtle.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60,
    show_default=True,
    help="Seconds a query may run.",
)
@_verbosity
def query(args: tuple[str, ...], list_named: bool, params: dict[str, str], fmt: str, timeout: float) -> None:
    """Answer a named question, or run SPARQL (a query string or a .rq file), over GRAPH
    (a build folder or its graph.ttl; default: out).

    kg query --list shows the named queries. The prefixes kg:, schema:, org:, skos:, prov:, dcterms:,
    owl:, xsd:, rdf: and rdfs: need no declaration. Queries only read: SPARQL Update and SERVICE are refused.

    Example: kg query out visits --param city=徐州市

    Example: kg query out "SELECT ?name WHERE { ?p a kg:Park ; rdfs:label ?name }"
    """
    if list_named:
        click.echo(_named_list())
        return
    if not args or len(args) > 2:
        raise click.UsageError("give a query (a named query, SPARQL or a .rq file), after the graph if it is not out")
    graph, text = (Path("out"), args[0]) if len(args) == 1 else (Path(args[0]), args[1])
    from .query import named_queries
    from .query import query as run_query

    named = named_queries().get(text.strip())
    if named is not None:
        text = named.bound(params)
    elif params:
        raise click.UsageError(f"--param is for named queries; {text[:40]!r} is none (kg query --list)")
    result = run_query(graph, text, timeout=timeout)
    out = {"table": result.table, "csv": result.csv, "tsv": result.tsv, "json": result.json}[fmt]()
    click.echo(out, nl=not out.endswith("\n"))


def _named_list() -> str:
    from .query import named_queries

    lines = []
    for q in named_queries().values():
        lines.append(f"{q.name}: {q.description}")
        for p in q.parameters:
            lines.append(f"    --param {p.name}=<{p.kind}>  {p.description}")
        if q.example:
            lines.append(f"    e.g. {q.example}")
    return "\n".join(lines)


@main.command("path")
@click.argument("out", type=click.Path(path_type=Path))
@click.argument("a")
@click.argument("b")
@click.option("--facts-only", is_flag=True, help="Follow stated facts only, not two names sharing a sentence.")
@_verbosity
def path_command(out: Path, a: str, b: str, facts_only: bool) -> None:
    """How the entity named A connects to the one named B: each hop, its facts and the sentences stating them.

    Stated facts are preferred to co-mentions (two names in one sentence).

    Example: kg path out 庄兆林 复星医药
    """
    from . import network

    hops = network.path(out, a, b, co_mentions=not facts_only)
    if not hops:
        click.echo(f"{a} and {b} do not connect in {out}")
        sys.exit(1)
    for x, y, links in hops:
        click.echo(f"{x} — {y}")
        for link in links[:3]:
            if not link.sentence:
                click.echo(f"    {link.kind}: {link.head} → {link.tail} ({link.doc_id})")
                continue
            when = f", {link.date}" if link.date else ""
            click.echo(f"    {link.kind}: {link.head} → {link.tail} ({link.doc_id}{when}) 「{link.sentence}」")
        if len(links) > 3:
            click.echo(f"    … {len(links) - 3} more")


@main.command("top")
@click.argument("out", type=click.Path(path_type=Path), default="out")
@click.option("--by", type=click.Choice(["degree", "betweenness"]), default="degree", show_default=True)
@click.option("--type", "etype", type=click.Choice([str(t) for t in EntityType]), help="Only entities of this type.")
@click.option("-n", "--limit", default=10, show_default=True, type=click.IntRange(1), help="How many to show.")
@click.option("--co-mentions", is_flag=True, help="Count two names sharing a sentence as a link too.")
@_verbosity
def top_command(out: Path, by: str, etype: str | None, limit: int, co_mentions: bool) -> None:
    """The most central entities of the build in OUT, by degree or betweenness over its stated facts.

    Example: kg top out --by betweenness --type Park
    """
    from . import network

    for name, kind, value in network.top(out, by, etype, limit, co_mentions):
        click.echo(f"{value:g}\t{kind}\t{name}" if by == "degree" else f"{value:.4f}\t{kind}\t{name}")


@main.command("html")
@click.argument("out", type=click.Path(path_type=Path), default="out")
@click.option("--focus", metavar="NAME", help="Only this entity and what lies within --hops facts of it.")
@click.option("--hops", default=2, show_default=True, type=click.IntRange(0), help="How far from --focus.")
@click.option("--city", metavar="CITY", help="Only the entities of this city (镇江 or 镇江市).")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Page to write [default: OUT/graph.html, or OUT/graph-<focus or city>.html].",
)
@_verbosity
def html_command(out: Path, focus: str | None, hops: int, city: str | None, output: Path | None) -> None:
    """Write the explorer page of the build in OUT, whole or a part of it.

    Example: kg html out --focus 徐州经济技术开发区 --hops 2  (or --city 镇江市)
    """
    from . import view
    from .pipeline import write_atomic

    page = view.build_page(out, focus, hops, city)
    if output is None:
        part = "-".join(x for x in (focus, city) if x)
        output = out / (f"graph-{part}.html" if part else "graph.html")
    write_atomic(output, page.encode("utf-8"))
    click.echo(f"wrote {output}")


@main.command()
@click.argument("out", type=click.Path(path_type=Path), default="out")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@_verbosity
def serve(out: Path, host: str, port: int) -> None:
    """Serve the build in OUT as a read-only SPARQL 1.1 endpoint (the Oxigraph server), until Ctrl-C.

    Any SPARQL client (YASGUI, SPARQLWrapper, Protégé) can then query
    http://HOST:PORT/query. The store holds graph.ttl as the default graph and
    each document's graph from graph.trig.

    Example: kg serve out --port 7878
    """
    from . import store

    server = store.serve(out, host, port)
    click.echo(f"SPARQL endpoint: http://{host}:{port}/query (Ctrl-C stops it)", err=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stopped by a service manager: the server too
    try:
        code = server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        click.echo("stopped", err=True)
        return
    if code:
        raise KgError(f"the SPARQL server stopped with status {code}; is port {port} free? try --port")


@main.command()
@click.argument("out", type=click.Path(path_type=Path), default="out")
@_verbosity
def validate(out: Path) -> None:
    """Check the build in OUT against the SHACL shapes and the build's own checks.

    Exits with status 1 and lists each problem when the build does not conform.

    Example: kg validate out
    """
    from .validate import validate as run_validate

    result = run_validate(out)
    click.echo(result.summary())
    sys.exit(0 if result.conforms else 1)


@main.command("score")
@click.argument("out", type=click.Path(path_type=Path), default="out")
@click.option(
    "--gold",
    "gold_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder of gold <doc_id>.json files (see the README's gold format).",
)
@click.option("--errors", is_flag=True, help="List each false positive (FP, RFP) and false negative (FN, RFN).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_verbosity
def score_command(out: Path, gold_dir: Path, errors: bool, as_json: bool) -> None:
    """Score the build in OUT (or an extractions.jsonl) against gold annotations.

    Prints precision, recall and F1 per entity and relation type, the same
    figures as ../shared/tools/score.py, ending in "entity F1 X relation F1 Y".

    Example: kg score out --gold my-gold --errors
    """
    from .score import load_gold, load_predictions, score

    scores = score(load_gold(gold_dir), load_predictions(out))
    if as_json:
        click.echo(json.dumps(scores.as_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(scores.table(errors=errors))


@main.command("train")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--gold",
    "gold_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder of gold <doc_id>.json files, one per article in SOURCES.",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default="models",
    show_default=True,
    help="Folder to write the models into (use it with kg build --models).",
)
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds (1: fit without measuring).")
@click.option(
    "--seed", default=0, show_default=True, help="Seed of the article order the folds and halves are cut from."
)
@click.option("--jobs", default=2, show_default=True, help="Folds fit at once, each in a process of its own.")
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write what each article got from the models that did not see it (as extractions.jsonl).",
)
@_verbosity
def train_command(
    sources: tuple[Path, ...], gold_dir: Path, out: Path, folds: int, seed: int, jobs: int, predictions: Path | None
) -> None:
    """Fit the entity and relation models on annotated articles, and measure them by cross-validation.

    Each fold's articles are scored by models fit on the other folds only;
    the figures print on stdout and go into OUT/decisions.json.

    Example: kg train ../shared/data/train/articles --gold ../shared/data/train/gold -o models

    With --predictions FILE, `kg score FILE --gold DIR --errors` lists what
    the held-out articles got wrong.
    """
    from .train import train as run_train

    with _progress_line() as progress:
        models, validation = run_train(
            sources, gold_dir, out, folds=folds, seed=seed, jobs=jobs, progress=progress, predictions=predictions
        )
    if validation is not None:
        click.echo(f"{folds}-fold cross-validation over {validation.total.documents} articles:")
        click.echo(validation.total.table())
    if not _quiet():
        click.echo(f"min confidence: {models.min_confidence}", err=True)
        caps = ", ".join(f"{rtype} {k}" for rtype, k in sorted(models.most_per_head.items())) or "none"
        click.echo(f"most relations kept per head: {caps}", err=True)
        click.echo(f"wrote {out}", err=True)
