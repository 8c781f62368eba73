"""The persistent triple store beside a build: OUT/store, an Oxigraph database of graph.ttl and graph.trig.

`kg build` writes it, so that `kg query` opens it in milliseconds instead of
parsing Turtle, and `kg serve` runs the Oxigraph SPARQL server over it. Its
default graph is graph.ttl; each document's named graph is graph.trig's.
A graph.ttl without a store beside it (an older build, or a file given
alone) is loaded into memory instead.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph

from .errors import InputError, KgError
from .read import display

STORE = "store"


# Bytes of N-Triples handed to the bulk loader at a time (about 50,000 triples): given a whole
# file it holds up to 2 GB per thread (measured: 607 MB at 1,000 articles). Loading goes on while
# the build writes, so the two add up: 8 MB and one batch waiting kept the peak of a 1,000-article
# build at 384 MB, where 16 MB and two waiting took it to 420 MB (393 MB loading in the build's thread).
_BATCH_BYTES = 8_000_000
# Batches made and waiting for the loader: the build goes on serialising while Oxigraph loads.
_WAITING = 1


class StoreWriter:
    """The store of a build being written, fed the N-Triples and N-Quads of each part of its files
    (see rdf.Sink), so that it is not parsed again from graph.ttl and graph.trig.

    Oxigraph loads and compacts on a thread of its own (it releases the GIL), so
    that the store costs the build little more than the files it is fed from:
    `finish` once everything is fed, `close` to wait for it, `abort` on failure.
    """

    def __init__(self, folder: Path) -> None:
        self._store: pyoxigraph.Store | None = pyoxigraph.Store(str(folder / STORE))
        self._pending: dict[bool, list[bytes]] = {False: [], True: []}
        self._sizes = {False: 0, True: 0}
        self._batches: queue.Queue[tuple[bytes, pyoxigraph.RdfFormat] | None] = queue.Queue(_WAITING)
        self._failure: BaseException | None = None
        self._aborted = self._finished = False
        self._thread = threading.Thread(target=self._load_all, name="store-loader", daemon=True)
        self._thread.start()

    def __call__(self, lines: bytes, graph: str | None) -> None:
        quads = graph is not None
        self._pending[quads].append(lines)
        self._sizes[quads] += len(lines)
        if self._sizes[quads] >= _BATCH_BYTES:
            self._send(quads)

    def _send(self, quads: bool) -> None:
        if self._failure is not None:
            raise self._failure
        if self._pending[quads]:
            fmt = pyoxigraph.RdfFormat.N_QUADS if quads else pyoxigraph.RdfFormat.N_TRIPLES
            self._batches.put((b"".join(self._pending[quads]), fmt))
        self._pending[quads], self._sizes[quads] = [], 0

    def _load_all(self) -> None:
        while (batch := self._batches.get()) is not None:
            if self._failure is None and not self._aborted:
                try:
                    # lenient: the lines are the build's own, valid by construction (kg validate checks the files)
                    self._store.bulk_load(input=batch[0], format=batch[1], lenient=True)
                except BaseException as exc:  # raised in the build's thread, at its next batch or at close
                    self._failure = exc
        if self._failure is None and not self._aborted:
            try:
                self._store.flush()
                self._store.optimize()
            except BaseException as exc:
                self._failure = exc

    def finish(self) -> None:
        """Hand over what is pending; the loader then compacts the store while the build goes on."""
        if not self._finished:
            self._send(False)
            self._send(True)
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
