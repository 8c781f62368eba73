"""The only module that knows the order of the stages: read, extract, merge, write.

A build never damages the build it replaces. It writes everything into a
staging folder beside OUT and swaps it in only when at least one document was
built (and, with `strict`, nothing was rejected); the build it replaces is
kept as OUT.previous until the next one succeeds. Otherwise OUT is left as it
was. A lock beside OUT keeps two builds from writing it at once, and a build
refuses an OUT holding files it did not write (unless `force`).
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import cache
from pathlib import Path

import pyoxigraph

from . import jsonl, rdf, store, view
from .cache import CACHE, ExtractionCache, Parts, code_fingerprint, content_key, part_key
from .errors import OptionError, OutputError
from .extract import analyse, extract_analysed, keep_confident
from .extract.models import Models, load_models, shipped_models
from .merge import Merging
from .model import Article, BuildOptions, BuildResult, EntityType, Extraction, InputRecord, InputStatus, Report
from .read import BUILD_MARKER, display, is_short, read_inputs
from .spill import Ordered, Spill

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
PREVIOUS_SUFFIX = ".previous"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place,
    so an interrupted write never leaves a half-written file."""
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

    Writes graph.ttl, graph.trig, store/ (the Oxigraph database of both),
    extractions.jsonl, graph.html (unless
    options.html is False), text/<doc_id>.txt and report.json (and errors.log
    when a bug rejected an input). Unreadable inputs are recorded in the report
    and skipped. When nothing is built, `out` is left as it was and the
    report says why. Raises KgError for an unusable option or an output folder
    that is busy, not a folder, holds files kg build did not write (without
    options.force) or cannot be written.

    >>> result = build(["examples/articles"], "out")   # doctest: +SKIP
    >>> result.report.summary()                         # doctest: +SKIP
    """
    options = options or BuildOptions()
    rdf.check_base_iri(options.base_iri)
    out = Path(os.path.abspath(out))
    _check_out(out, options.force)
    models = load_models(options.models) if options.models else shipped_models()
    with _locked(out):
        _remove_stale_staging(out)
        articles, records = read_inputs((Path(s) for s in sources), options.keep_teasers, progress)
        cached = ExtractionCache(out / CACHE, models.version, out.parent / f".{out.name}.staging-cache")
        try:
            threshold = models.min_confidence if options.min_confidence is None else options.min_confidence
            # kept on disk as they come and merged as they are read back: memory stays bounded
            spill, merging = Spill(out.parent), Merging(options.base_iri)
            for article, extraction, failure in _extract_all(articles, models, cached, options, progress):
                if failure is not None:
                    log.warning("%s: extraction failed: %s", article.doc_id, failure[0])
                    records = _reject(records, article.doc_id, f"extraction failed ({failure[0]})", failure[1])
                    continue
                extraction = keep_confident(extraction, threshold)
                if is_short(article) and not extraction.entities:
                    records = _reject(records, article.doc_id, "no article text (a short note, nothing found in it)")
                else:
                    spill.append(extraction)
                    merging.add(extraction)
            # merged once, and counted as they are: the writers read them five times more
            if progress:
                progress(f"merging {len(spill)} documents")
            merged_spill, parts = Spill(out.parent), []  # each document's part key (see cache.part_key)
            each = _merged(spill, merging, parts, models.version, threshold)
            entity_counts, relation_counts, unlinked = _counts(merged_spill.through(each))
            merged, doc_ids = Ordered(merged_spill), spill.doc_ids
            del spill
            report = Report(
                inputs=tuple(records),
                entity_counts=entity_counts,
                relation_counts=relation_counts,
                strict=options.strict,
                unlinked_places=unlinked,
                out=str(out),
                html=options.html,
                cached=cached.hits,
            )
            if report.exit_code:
                return BuildResult(replace(report, kept=_kept(out)), merged)
            staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.staging-"))
            try:
                names = _write(staging, merged, doc_ids, parts, Parts(out), report, options, cached, progress)
                _swap(staging, out)
            except OSError as exc:
                shutil.rmtree(staging, ignore_errors=True)
                raise OutputError(
                    f"{display(out)}: cannot write the build: {exc.strerror or exc}; {_kept(out)}"
                ) from exc
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        finally:
            cached.discard()  # entries made for a build that was not written
    files = tuple(out / name for name in names if (out / name).exists())
    return BuildResult(replace(report, files=files), merged)


# Documents each extraction process is handed at a time, and the fewest each process must have to extract.
_CHUNK = 4
_DOCUMENTS_PER_PROCESS = 6
_WORKER_MODELS: Models | None = None  # the models of a build's extraction processes (inherited by fork)


def _extract_all(
    articles: list[Article],
    models: Models,
    cached: ExtractionCache,
    options: BuildOptions,
    progress: Progress | None,
) -> Iterator[tuple[Article, Extraction | None, tuple[str, str] | None]]:
    """Each article with its extraction (every fact kept) or its failure (message, traceback), in order.

    Cached extractions are reused; the others run on the Dask cluster of
    options.scheduler, or in options.jobs processes (default: one per core)
    when there are enough of them, each process handed a few articles at a time.
    """
    jobs, scheduler, models_dir = options.jobs, options.scheduler, options.models
    global _WORKER_MODELS
    hit = [cached.holds(a) for a in articles]  # entries are read one at a time below, not all at once
    todo = [a for a, h in zip(articles, hit, strict=True) if not h]
    jobs = min(jobs or os.cpu_count() or 1, max(1, len(todo) // _DOCUMENTS_PER_PROCESS))
    _WORKER_MODELS = models
    if scheduler:
        pool = None
        results = _on_cluster(scheduler, todo, models, models_dir)
    elif jobs > 1:
        import multiprocessing

        # fork: the processes start with the models loaded (LAC runs on one thread, so forking is safe)
        pool = multiprocessing.get_context("fork").Pool(jobs)
        results = pool.imap(_extract_one, todo, chunksize=_CHUNK)
    else:
        pool = None
        results = map(_extract_one, todo)
    meter = _Meter(len(articles), progress)
    try:
        for article, h in zip(articles, hit, strict=True):
            found = cached.get(article) if h else None
            if found is not None:
                meter.step(article, cached=True)
                yield article, found, None
                continue
            # an entry that was there and is unusable now is extracted here
            extraction, failure = next(results) if not h else _extract_one(article)
            meter.step(article)
            if extraction is not None:
                cached.put(article, extraction)
            yield article, extraction, failure
    finally:
        _WORKER_MODELS = None
        if pool is not None:
            pool.terminate()


def _extract_one(article: Article) -> tuple[Extraction | None, tuple[str, str] | None]:
    try:
        return extract_analysed(article, analyse(article), _WORKER_MODELS), None
    except Exception as exc:  # a bug in one document must not lose the others
        return None, (f"{type(exc).__name__}: {exc}", traceback.format_exc())


def _on_cluster(
    scheduler: str, todo: list[Article], models: Models, models_dir: Path | None
) -> Iterator[tuple[Extraction | None, tuple[str, str] | None]]:
    """The extractions of `todo` by the workers of the Dask scheduler at `scheduler`, in order."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise OptionError("--scheduler needs Dask: pip install 'parkkg[cluster]'") from exc
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise OptionError(f"--scheduler {scheduler}: cannot reach the Dask scheduler: {exc}") from exc
    with client:
        folder = str(models_dir) if models_dir else None
        futures = client.map(_extract_on_worker, todo, models_dir=folder, pure=False)
        for future in futures:
            extraction, failure, versions = future.result()
            if versions != (models.version, code_fingerprint()):
                raise OptionError(
                    f"--scheduler {scheduler}: a worker runs other models or another parkkg"
                    f" ({versions[0]}, code {versions[1][:12]}; here {models.version}, code"
                    f" {code_fingerprint()[:12]}); install the same parkkg on every worker"
                )
            yield extraction, failure


@cache
def _models_of(models_dir: str | None) -> Models:
    return load_models(models_dir) if models_dir else shipped_models()


def _extract_on_worker(
    article: Article, models_dir: str | None
) -> tuple[Extraction | None, tuple[str, str] | None, tuple[str, str]]:
    """What a Dask worker runs: one article's extraction, and the versions it was made with."""
    global _WORKER_MODELS
    models = _WORKER_MODELS = _models_of(models_dir)
    extraction, failure = _extract_one(article)
    return extraction, failure, (models.version, code_fingerprint())


class _Meter:
    """Progress as "[i/n] rate, ETA doc_id", the rate counting only documents extracted, not cached."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.progress = total, progress
        self.done = self.extracted = 0
        self.started = time.monotonic()

    def step(self, article: Article, cached: bool = False) -> None:
        self.done += 1
        self.extracted += not cached
        if not self.progress:
            return
        elapsed = time.monotonic() - self.started
        if self.extracted and elapsed > 0:
            rate = self.extracted / elapsed
            left = (self.total - self.done) / rate
            self.progress(f"[{self.done}/{self.total}] {rate:.1f} docs/s, ETA {left:.0f} s  {article.doc_id}")
        else:
            self.progress(f"[{self.done}/{self.total}] {article.doc_id}")


def _reject(records: list[InputRecord], doc_id: str, reason: str, detail: str = "") -> list[InputRecord]:
    detail = detail or (traceback.format_exc() if sys.exc_info()[0] else "")
    return [
        InputRecord(r.path, InputStatus.REJECTED, reason, doc_id, detail)
        if r.status is InputStatus.BUILT and r.doc_id == doc_id
        else r
        for r in records
    ]


def _kept(out: Path) -> str:
    return f"{display(out)} is left as it was" if out.exists() else f"nothing was written to {display(out)}"


def _check_out(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(f"{display(out)}: exists and is not a folder; choose another output folder with -o")
    if not out.parent.is_dir():
        raise OutputError(
            f"{display(out)}: its parent folder {display(out.parent)} does not exist or is not a folder; create it"
        )
    if out.is_dir() and not force and not (out / BUILD_MARKER).is_file() and any(out.iterdir()):
        raise OutputError(
            f"{display(out)}: holds files kg build did not write; choose an empty or new folder with -o, "
            f"or pass --force to replace it (its files are then kept in {display(out)}{PREVIOUS_SUFFIX})"
        )


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold the lock beside `out` for the build; another build of `out` fails at once."""
    lock_path = out.parent / f".{out.name}.lock"
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
    except OSError as exc:
        raise OutputError(f"{display(out)}: cannot create its lock {display(lock_path)}: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EACCES):
                raise OutputError(
                    f"{display(out)}: busy, another kg build is writing it; wait for it to finish"
                ) from exc
            raise
        yield  # the kernel drops the lock when the process dies, however it dies
    finally:
        os.close(fd)


def _remove_stale_staging(out: Path) -> None:
    """Staging folders a killed build left (the lock is ours, so no build is using them)."""
    for stale in out.parent.glob(f".{out.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _write(
    folder: Path,
    merged: Ordered,
    doc_ids: list[str],
    parts: list[str],
    previous: Parts,
    report: Report,
    options: BuildOptions,
    cached: ExtractionCache,
    progress: Progress | None = None,
) -> list[str]:
    """Every output file into `folder`; returns the names written, in the order the summary lists them.
    A document's part of graph.trig, extractions.jsonl and text/ is copied from the `previous` build's
    files when its part key (`parts`, in the order of `merged`) finds it there."""
    names = []
    tell = progress or (lambda message: None)

    def emit(name: str, data: bytes | None) -> None:
        """Record `name` as written, writing `data` into it when given."""
        if data is not None:
            write_atomic(folder / name, data)
        names.append(name)

    # the staging folder: no partial file is seen; the store is fed what the files hold as they are
    # written (or starts as the previous store, fed what changed), on a thread of its own
    order = sorted(range(len(merged)), key=doc_ids.__getitem__)
    trig_parts = [parts[i] for i in order]
    graphs = [rdf.iri_for(options.base_iri, "document", doc_ids[i]) for i in order]
    # the previous store is worth copying when most of its documents' graphs stay as they are:
    # replacing a graph costs about what loading one afresh does (5 and 6 ms at 1,000 articles)
    reusing = sum(previous.holds("graph.trig", part) for part in trig_parts) > len(trig_parts) / 2
    # and its default graph, when the previous graph.ttl's parts say what it holds
    old_parts = previous.parts_of("graph.ttl") if reusing else set()
    loader = store.StoreWriter(folder, rdf.PREFIX_LINES, previous.previous if reusing else None, bool(old_parts))
    try:
        tell("writing graph.ttl")
        _write_turtle(folder / "graph.ttl", merged, options.base_iri, previous, old_parts, loader)
        by_doc_id = Ordered(merged, order)

        def trig_part(i: int) -> bytes:
            loader.replace_graph(graphs[i])
            return rdf.trig_part(by_doc_id[i], options.base_iri, loader)

        def reused(data: bytes) -> None:
            if not loader.holds_previous:
                loader(data, pyoxigraph.RdfFormat.TRIG)

        previous.write_file(
            folder / "graph.trig",
            rdf.PREFIX_LINES,
            trig_parts,
            make=trig_part,
            reused=reused,
            told=lambda i: tell(f"writing graph.trig [{i + 1}/{len(order)}]"),
        )
        loader.keep_graphs(set(graphs))
        loader.finish()
        names += ["graph.ttl", "graph.trig", store.STORE]
        _write_documents(folder, merged, doc_ids, parts, previous, report, options, emit, tell)
        tell("writing the store")
        loader.close()
    except BaseException:
        loader.abort()
        raise
    finally:
        previous.close()
    cached.write(folder / CACHE)
    previous.write(folder / CACHE)
    (folder / BUILD_MARKER).write_text("written by kg build; kg build replaces this folder\n", encoding="utf-8")
    os.chmod(folder, 0o777 & ~_umask())  # mkdtemp makes the folder private; outputs are for sharing
    return names


def _write_turtle(
    path: Path,
    merged: Sequence[Extraction],
    base_iri: str,
    previous: Parts,
    old_parts: set[str],
    loader: store.StoreWriter,
) -> None:
    """graph.ttl, each part named in `previous`'s index by its name and triples (content_key) and
    copied from the previous graph.ttl when the previous build wrote the same. The store is fed
    every part, or, when it starts as the previous store (whose graph.ttl had `old_parts`), the
    triples of the parts changed."""
    changes = loader.holds_previous and bool(old_parts)
    old = {key.rpartition(" ")[0]: key for key in old_parts}
    reloading = False

    def part(name: str, lines: bytes, at: int, serialise: Callable[[], bytes]) -> bytes:
        nonlocal reloading
        key = content_key(name, lines)
        data = previous.get(path.name, key)
        if data is None:
            data = serialise()
        if changes and not reloading and old.get(name) != key:
            before = previous.get(path.name, old[name]) if name in old else b""
            if before is None:  # changed since: what the store holds of it is not known
                reloading = True
            else:
                loader.change(before, data)
        old.pop(name, None)
        previous.wrote(path.name, key, at, data)
        return data

    rdf.write_turtle(path, merged, base_iri, None if changes else loader, part)
    if not changes:
        return
    for name in sorted(old):  # parts gone: a co-mention or an entity no document names now
        before = previous.get(path.name, old[name])
        if before is None:
            reloading = True
        elif not reloading:
            loader.change(before, b"")
    if reloading:
        loader.load_default(path)


def _write_documents(
    folder: Path,
    merged: Sequence[Extraction],
    doc_ids: list[str],
    parts: list[str],
    previous: Parts,
    report: Report,
    options: BuildOptions,
    emit: Callable[[str, bytes | None], None],
    tell: Progress,
) -> None:
    """extractions.jsonl, text/, graph.html, errors.log and report.json into `folder`."""
    # one pass writes each document's record and text; graph.html reads them all, else each is let go
    (folder / "text").mkdir()
    records: list[dict] = []
    texts: dict[str, str] = {}
    with open(folder / "extractions.jsonl", "wb") as out:
        for i, (doc_id, part) in enumerate(zip(doc_ids, parts, strict=True)):
            tell(f"writing extractions.jsonl [{i + 1}/{len(parts)}]")
            text_file = f"text/{doc_id}.txt"
            line, text = previous.get("extractions.jsonl", part), previous.get(text_file, part)
            if line is None or text is None:
                ex = merged[i]
                line, text = jsonl.records_jsonl([jsonl.extraction_record(ex)]), ex.article.text.encode("utf-8")
            previous.wrote("extractions.jsonl", part, out.tell(), line)
            out.write(line)
            previous.wrote(text_file, part, 0, text)
            (folder / text_file).write_bytes(text)
            if options.html:
                records.append(json.loads(line))
                texts[doc_id] = text.decode("utf-8")
    emit("extractions.jsonl", None)
    if options.html:
        tell("writing graph.html")
        emit("graph.html", view.graph_html(records, texts.get).encode("utf-8"))
    emit("text", None)
    details = [r for r in report.inputs if r.detail]
    if details:
        emit("errors.log", "".join(f"{r.path}: {r.reason}\n{r.detail}\n" for r in details).encode("utf-8"))
    emit("report.json", jsonl.report_json(report).encode("utf-8"))


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` in the place of `out`, keeping the build it replaces as OUT.previous."""
    previous = out.with_name(out.name + PREVIOUS_SUFFIX)
    if out.exists():
        if previous.exists():
            shutil.rmtree(previous)
        os.rename(out, previous)
    os.rename(staging, out)


def _merged(
    extractions: Iterable[Extraction], merging: Merging, parts: list[str], models_version: str, threshold: float
) -> Iterator[Extraction]:
    """Each extraction as the merge makes it, its part key (see cache.part_key) appended to `parts`."""
    for ex in extractions:
        iris = merging.iris(ex)
        parts.append(part_key(ex.article, models_version, threshold, iris))
        yield merging.apply(ex, iris)


def _counts(merged: Iterable[Extraction]) -> tuple[dict[str, int], dict[str, int], tuple[tuple[str, str], ...]]:
    """Entities by type (as the graph types them: one post anywhere makes an official), relations by
    type, and the places linked to no division, in one pass over the extractions."""
    types: dict[str, EntityType] = {}
    relations: Counter = Counter()
    unlinked = []
    for ex in merged:
        for e in ex.entities:
            if types.get(e.id) is not EntityType.OFFICIAL:
                types[e.id] = e.type
            if e.type is EntityType.PLACE and not e.code:
                unlinked.append((ex.article.doc_id, e.name))
        relations.update(str(r.type) for r in ex.relations)
    entities = Counter(str(t) for t in types.values())
    return dict(sorted(entities.items())), dict(sorted(relations.items())), tuple(unlinked)
