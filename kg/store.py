"""The persistent triple store beside a build: OUT/store, an Oxigraph database of graph.ttl and graph.trig.

`kg build` writes it, so that `kg query` opens it in milliseconds instead of
parsing Turtle, and `kg serve` runs the Oxigraph SPARQL server over it. Its
default graph is graph.ttl; each document's named graph is graph.trig's.
A graph.ttl without a store beside it (an older build, or a file given
alone) is loaded into memory instead.
"""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph

from .errors import InputError, KgError
from .read import display

log = logging.getLogger(__name__)

STORE = "store"


# Bytes of N-Triples handed to the bulk loader at a time (about 50,000 triples): given a whole
# file it holds up to 2 GB per thread (measured: 607 MB at 1,000 articles). Loading goes on while
# the build writes, so the two add up: 8 MB and one batch waiting kept the peak of a 1,000-article
# build at 384 MB, where 16 MB and two waiting took it to 420 MB (393 MB loading in the build's thread).
_BATCH_BYTES = 8_000_000
# Batches made and waiting for the loader: the build goes on serialising while Oxigraph loads.
_WAITING = 1


class StoreWriter:
    """The store of a build being written, fed each part of its files as it is written (see rdf.Sink):
    N-Triples and N-Quads as they are serialised, or the Turtle and TriG of parts a rebuild reuses
    (`prefixes` opens each batch of those), so that it is not parsed again from graph.ttl and graph.trig.

    Given the `previous` build's folder, the store starts as a copy of that build's store (a RocksDB
    checkpoint: hard links, made in milliseconds), so that the named graph of a document whose part
    of graph.trig is reused is there already (`holds_previous`). A part made afresh replaces its
    graph (`replace_graph`), and `keep_graphs` drops the graphs of documents gone. Its default graph
    is cleared and fed again, or, with `keep_default`, brought up to date part by part (`change`).

    Oxigraph loads and compacts on a thread of its own (it releases the GIL), so
    that the store costs the build little more than the files it is fed from:
    `finish` once everything is fed, `close` to wait for it, `abort` on failure.
    """

    def __init__(
        self, folder: Path, prefixes: bytes = b"", previous: Path | None = None, keep_default: bool = False
    ) -> None:
        self._store = self._started(folder / STORE, previous, keep_default)
        self.holds_previous = self._store is not None
        if self._store is None:
            self._store = pyoxigraph.Store(str(folder / STORE))
        self._prefixes = prefixes
        self._pending: dict[pyoxigraph.RdfFormat, list[bytes]] = {}
        self._sizes: dict[pyoxigraph.RdfFormat, int] = {}
        self._replaced: list[str] = []
        self._batches: queue.Queue[tuple | None] = queue.Queue(_WAITING)
        self._failure: BaseException | None = None
        self._aborted = self._finished = False
        self._thread = threading.Thread(target=self._load_all, name="store-loader", daemon=True)
        self._thread.start()

    @staticmethod
    def _started(path: Path, previous: Path | None, keep_default: bool) -> pyoxigraph.Store | None:
        """The previous build's store copied to `path`, its default graph cleared unless `keep_default`
        (then `change` brings it up to date part by part); None without one."""
        if previous is None or not (previous / STORE).is_dir():
            return None
        try:
            pyoxigraph.Store.read_only(str(previous / STORE)).backup(str(path))
            started = pyoxigraph.Store(str(path))
            if not keep_default:
                started.clear_graph(pyoxigraph.DefaultGraph())
            return started
        except Exception as exc:  # a damaged store, or another file system: this one is loaded in full
            log.warning("%s: cannot be copied (%s); loading the store afresh", previous / STORE, exc)
            shutil.rmtree(path, ignore_errors=True)
            return None

    def __call__(self, data: bytes, fmt: pyoxigraph.RdfFormat) -> None:
        self._pending.setdefault(fmt, []).append(data)
        self._sizes[fmt] = self._sizes.get(fmt, 0) + len(data)
        if self._sizes[fmt] >= _BATCH_BYTES:
            self._send(fmt)

    def replace_graph(self, name: str) -> None:
        """Drop the named graph `name` (an IRI) the previous build left, before what is fed next for it."""
        if self.holds_previous:
            self._replaced.append(name)

    def change(self, old: bytes, new: bytes) -> None:
        """Bring the default graph from a part of the previous graph.ttl, `old`, to that part now, `new`
        (Turtle without prefix lines; either may be empty): drop the triples gone, add those new."""
        was, now = self._triples(old), self._triples(new)
        gone, added = was - now, now - was
        if gone:
            self._put(("delete", b"\n".join(gone)))
        if added:
            self(b"\n".join(added) + b"\n", pyoxigraph.RdfFormat.N_TRIPLES)

    def _triples(self, turtle: bytes) -> set[bytes]:
        if not turtle:
            return set()
        triples = pyoxigraph.parse(input=self._prefixes + turtle, format=pyoxigraph.RdfFormat.TURTLE)
        return set(pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).splitlines())

    def load_default(self, path: Path) -> None:
        """Once the default graph's parts are fed: make it graph.ttl at `path` instead, loaded whole
        (for a previous graph.ttl changed since it was written, whose old triples are not known)."""
        self._send(pyoxigraph.RdfFormat.N_TRIPLES)
        self._put(("reload", str(path)))

    def keep_graphs(self, names: set[str]) -> None:
        """Once everything is fed: drop the named graphs the previous build left that are not `names`."""
        if self.holds_previous:
            self._put(("keep", names))

    def _put(self, item: tuple) -> None:
        if self._failure is not None:
            raise self._failure
        self._batches.put(item)

    def _send_replaced(self) -> None:
        if self._replaced:
            self._put(("remove", self._replaced))
            self._replaced = []

    def _send(self, fmt: pyoxigraph.RdfFormat) -> None:
        self._send_replaced()  # before the quads of the graphs replaced, which may be in this batch
        if self._pending.get(fmt):
            header = self._prefixes if fmt in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.TRIG) else b""
            self._put(("load", header + b"".join(self._pending[fmt]), fmt))
        self._pending[fmt], self._sizes[fmt] = [], 0

    def _load_all(self) -> None:
        store = self._store
        while (item := self._batches.get()) is not None:
            if self._failure is None and not self._aborted:
                try:
                    if item[0] == "load":
                        # lenient: the lines are the build's own, valid by construction (kg validate checks the files)
                        store.bulk_load(input=item[1], format=item[2], lenient=True)
                    elif item[0] == "remove":
                        for name in item[1]:
                            store.remove_graph(pyoxigraph.NamedNode(name))
                    elif item[0] == "delete":
                        for quad in pyoxigraph.parse(input=item[1], format=pyoxigraph.RdfFormat.N_TRIPLES):
                            store.remove(quad)
                    elif item[0] == "reload":
                        store.clear_graph(pyoxigraph.DefaultGraph())
                        store.bulk_load(path=item[1], format=pyoxigraph.RdfFormat.TURTLE)
                    else:
                        for graph in list(store.named_graphs()):
                            if graph.value not in item[1]:
                                store.remove_graph(graph)
                except BaseException as exc:  # raised in the build's thread, at its next batch or at close
                    self._failure = exc
        if self._failure is None and not self._aborted:
            try:
                store.flush()
                if not self.holds_previous:
                    # compacting a copied store rewrites all of it (1.7 s at 1,000 articles) and
                    # measured no faster to query; RocksDB compacts it in the background as it goes
                    store.optimize()
            except BaseException as exc:
                self._failure = exc

    def finish(self) -> None:
        """Hand over what is pending; the loader then compacts the store while the build goes on."""
        if not self._finished:
            for fmt in list(self._pending):
                self._send(fmt)
            self._send_replaced()
            self._batches.put(None)
            self._finished = True

    def close(self) -> None:
        """Finish, wait for the store to be loaded and compacted, and close it; raises what the loader met."""
        self.finish()
        self._thread.join()
        self._store = None  # closes the database
        if self._failure is not None:
            raise self._failure

    def abort(self) -> None:
        """Stop loading (the batch being loaded ends first) and close the store, for a build that failed."""
        self._aborted = True
        if not self._finished:
            self._batches.put(None)  # the loader skips what is queued before it
            self._finished = True
        self._thread.join()
        self._store = None


def graph_file(path: Path) -> Path:
    """The graph.ttl that `path` (a build folder or a Turtle file) names; InputError when there is none."""
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.is_file():
        raise InputError(f"{display(path)}: no such graph; build one with kg build SOURCES -o OUT first")
    return path


def open_store(path: Path | str, named_graphs: bool = False) -> pyoxigraph.Store:
    """The graph `path` names, ready to query: a build folder's store read-only; a Turtle file (or a
    folder without a store) loaded into memory, with the graph.trig beside it when `named_graphs`."""
    path = Path(path)
    ttl = graph_file(path)
    folder = ttl.parent / STORE
    if path.is_dir() and folder.is_dir():
        try:
            return pyoxigraph.Store.read_only(str(folder))
        except OSError as exc:
            raise InputError(f"{display(folder)}: the build's store cannot be opened ({exc}); rebuild it") from exc
    trig = ttl.parent / "graph.trig" if named_graphs else None
    if trig is not None and not trig.is_file():
        raise InputError(f"{display(trig)}: the query asks for named graphs, and the build has no graph.trig")
    return load_files(ttl, trig)


def load_files(ttl: Path, trig: Path | None = None) -> pyoxigraph.Store:
    """An in-memory store of a Turtle file (the default graph) and a TriG file (named graphs)."""
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


def server_command(out: Path, host: str, port: int) -> list[str]:
    """The command that serves the store of the build `out` read-only over SPARQL 1.1 (Oxigraph's server)."""
    folder = graph_file(out).parent / STORE
    if not folder.is_dir():
        raise InputError(f"{display(out)}: the build has no store; rebuild it with kg build")
    binary = Path(sys.executable).parent / "oxigraph"
    found = str(binary) if binary.is_file() else shutil.which("oxigraph")
    if not found:
        raise KgError("the Oxigraph server is not installed; pip install oxigraph")
    return [found, "serve-read-only", "--location", str(folder), "--bind", f"{host}:{port}"]


def serve(out: Path, host: str = "127.0.0.1", port: int = 7878) -> subprocess.Popen:
    """Start the SPARQL endpoint over the build `out`; its queries go to http://HOST:PORT/query."""
    return subprocess.Popen(server_command(out, host, port), stdin=subprocess.DEVNULL)
