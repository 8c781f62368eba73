"""The only module that knows the order of the stages: read, extract, merge, write."""

from __future__ import annotations

import logging
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from . import jsonl, rdf, view
from .errors import KgError
from .extract import extract
from .extract.models import load_models, shipped_models
from .merge import merge
from .model import BuildOptions, BuildResult, EntityType, Extraction, Report
from .read import read_inputs

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place,
    so an interrupted build never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; outputs are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(
    sources: Iterable[Path | str],
    out: Path | str,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Read every article under `sources` and write the graph into the folder `out`.

    Writes graph.ttl, graph.trig, extractions.jsonl, graph.html (unless options.html is
    False), text/<doc_id>.txt and report.json. Unreadable inputs are recorded
    in the report and skipped. Raises KgError when `out` cannot be written.

    >>> result = build(["examples/articles"], "out")   # doctest: +SKIP
    >>> result.report.summary()                         # doctest: +SKIP
    """
    options = options or BuildOptions()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise KgError(f"{out}: exists and is not a folder; choose another output folder with -o")
    models = load_models(options.models) if options.models else shipped_models()
    articles, records = read_inputs((Path(s) for s in sources), keep_teasers=options.keep_teasers)
    extractions: list[Extraction] = []
    for i, article in enumerate(articles, 1):
        if progress:
            progress(f"[{i}/{len(articles)}] {article.doc_id}")
        extractions.append(extract(article, models, options.min_confidence))
    merged = merge(extractions, options.base_iri)

    files = []

    def emit(name: str, data: bytes) -> None:
        path = out / name
        write_atomic(path, data)
        files.append(path)

    graph = rdf.build_graph(merged, options.base_iri)
    emit("graph.ttl", rdf.turtle(graph))
    emit("graph.trig", rdf.trig(rdf.build_document_graphs(merged, options.base_iri)))
    emit("extractions.jsonl", jsonl.extractions_jsonl(merged))
    if options.html:
        emit("graph.html", view.graph_html(merged).encode("utf-8"))
    for ex in merged:
        write_atomic(out / "text" / f"{ex.article.doc_id}.txt", ex.article.text.encode("utf-8"))
    files.append(out / "text")

    entity_counts = Counter(str(t) for t in _entity_types(merged).values())
    relation_counts = Counter(str(r.type) for ex in merged for r in ex.relations)
    report = Report(
        inputs=tuple(records),
        entity_counts=dict(sorted(entity_counts.items())),
        relation_counts=dict(sorted(relation_counts.items())),
        files=(*files, out / "report.json"),
        strict=options.strict,
        unlinked_places=tuple(
            (ex.article.doc_id, e.name)
            for ex in merged
            for e in ex.entities
            if e.type is EntityType.PLACE and not e.code
        ),
    )
    write_atomic(out / "report.json", jsonl.report_json(report).encode("utf-8"))
    return BuildResult(report, tuple(merged))


def _entity_types(extractions: list[Extraction]) -> dict[str, EntityType]:
    """Each entity's type across the corpus, as the graph types it: one post anywhere makes an official."""
    types: dict[str, EntityType] = {}
    for ex in extractions:
        for e in ex.entities:
            if types.get(e.id) is not EntityType.OFFICIAL:
                types[e.id] = e.type
    return types
