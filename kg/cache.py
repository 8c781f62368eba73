"""What a rebuild reuses of the build it replaces: each document's extraction and its part of the files.

An extraction entry is one document's extraction, every fact kept whatever
its confidence (the build's --min-confidence applies afterwards), as JSON,
named by the SHA-256 of everything the extraction depends on: the article
(id, source, title, date, cleaned text), the models' bytes and parkkg's own
code and data (any change to the package starts afresh). The cache lives in
OUT/cache/; each build writes the entries of the documents it built into
the new OUT/cache/ and drops the others.

A document's part of graph.trig, extractions.jsonl and text/ depends on its
extraction, the threshold and the IRIs the merge gave its entities
(`part_key`). The previous build's files hold those parts already:
OUT/cache/parts.tsv says where each lies, with its digest, and a rebuild
copies the parts whose key and digest still hold instead of making them again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from .model import Article, CoMention, Entity, EntityType, Extraction, PlaceLevel, Relation, RelationType

log = logging.getLogger(__name__)

CACHE = "cache"
PARTS = "parts.tsv"  # in the cache folder: file, part key, offset, length, digest of each part written
_FORMAT = 1
# The files of the package whose change may change an extraction.
_SOURCES = {".py", ".tsv", ".txt", ".json", ".crfsuite", ".ttl", ".rq"}


@cache
def code_fingerprint() -> str:
    """The SHA-256 of parkkg's modules and data files, read once per process."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in _SOURCES and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


def key(article: Article, models_digest: str) -> str:
    """The name of the entry of `article`'s extraction by models of that digest."""
    fields = [_FORMAT, code_fingerprint(), models_digest, article.doc_id, article.source, article.title]
    fields += [article.date, article.text]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()


@cache
def _writer() -> str:
    """The version of Oxigraph, whose serialisers write the parts: another may write other bytes."""
    return importlib.metadata.version("pyoxigraph")


def part_key(article: Article, models_digest: str, min_confidence: float, iris: Iterable[tuple[str, ...]]) -> str:
    """The name of a document's part of the files: its extraction's key, the threshold the build kept
    facts above, and the IRI (and other IRIs) the merge gave each of its entities, in order."""
    digest = hashlib.sha256(f"{key(article, models_digest)}\n{min_confidence!r}\n{_writer()}".encode())
    for names in iris:
        digest.update(("\n" + "\t".join(names)).encode("utf-8"))
    return digest.hexdigest()[:32]


def content_key(name: str, content: bytes) -> str:
    """The name of a part of a file that is what `content` (its triples, say) makes it: `name` and a digest."""
    return f"{name} {_digest(_writer().encode() + content)}"


def _digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()[:20]


class Parts:
    """The parts of the previous build's files (`previous`, its folder), found by file and part key,
    and the index of the parts of the files this build writes (`wrote`, then `write`)."""

    def __init__(self, previous: Path) -> None:
        self.previous = previous
        self._index: dict[tuple[str, str], tuple[int, int, str]] = {}
        try:
            for line in (previous / CACHE / PARTS).read_text(encoding="utf-8").splitlines():
                file, part, offset, length, digest = line.split("\t")
                self._index[file, part] = int(offset), int(length), digest
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as exc:  # a damaged index: everything is made again
            log.warning("%s: unusable (%s); writing every part afresh", previous / CACHE / PARTS, exc)
            self._index = {}
        self._open: dict[str, int] = {}
        self._written: list[str] = []

    def holds(self, file: str, part: str) -> bool:
        """Whether the previous build's index has the part (`get` may still find it changed)."""
        return (file, part) in self._index

    def parts_of(self, file: str) -> set[str]:
        """The names of the parts of the previous build's `file` the index has."""
        return {part for f, part in self._index if f == file}

    def get(self, file: str, part: str) -> bytes | None:
        """The part `part` of the previous build's `file` (a path in its folder), if it is there still as
        it was written. The files of the folder itself stay open; one in a subfolder (text/) is a part
        of its own, one of thousands, and is opened for the one read."""
        found = self._index.get((file, part))
        if found is None:
            return None
        offset, length, digest = found
        try:
            if "/" in file:
                with open(self.previous / file, "rb") as f:
                    data = f.read()
            else:
                if file not in self._open:
                    self._open[file] = os.open(self.previous / file, os.O_RDONLY)
                data = os.pread(self._open[file], length, offset)
        except OSError:
            return None
        if (len(data), _digest(data)) != (length, digest):  # the file was changed since
            return None
        return data

    def wrote(self, file: str, part: str, offset: int, data: bytes) -> None:
        """Note that this build wrote `data` as part `part` of `file`, at `offset`."""
        self._written.append(f"{file}\t{part}\t{offset}\t{len(data)}\t{_digest(data)}\n")

    def write_file(
        self,
        path: Path,
        header: bytes,
        parts: Sequence[str],
        make: Callable[[int], bytes],
        reused: Callable[[bytes], None] = lambda data: None,
        told: Callable[[int], None] = lambda i: None,
    ) -> None:
        """`path` (a file of the build's folder): `header`, then for each part key the previous build's
        part (handed to `reused`) or, without one, `make(i)`."""
        with open(path, "wb") as out:
            out.write(header)
            for i, part in enumerate(parts):
                told(i)
                data = self.get(path.name, part)
                if data is None:
                    data = make(i)
                else:
                    reused(data)
                self.wrote(path.name, part, out.tell(), data)
                out.write(data)

    def write(self, folder: Path) -> None:
        """The index of the parts written, into the build's cache folder `folder`."""
        (folder / PARTS).write_text("".join(self._written), encoding="utf-8")

    def close(self) -> None:
        for fd in self._open.values():
            os.close(fd)
        self._open = {}


class ExtractionCache:
    """The entries of the previous build (read from `previous`), and those this build keeps.

    New entries go to the file system as they are made (into `pending`), so
    that a build of many documents does not hold them all in memory.
    """

    def __init__(self, previous: Path, models_digest: str, pending: Path) -> None:
        self.previous, self.pending = previous, pending
        self.models_digest = models_digest
        self.kept: set[str] = set()  # entries of the previous build this one uses
        self.new: set[str] = set()  # entries this build made, in `pending`
        self.hits = 0

    def holds(self, article: Article) -> bool:
        """Whether the previous build left an entry for `article` (`get` may still find it unusable)."""
        return (self.previous / f"{key(article, self.models_digest)}.json").is_file()

    def get(self, article: Article) -> Extraction | None:
        name = key(article, self.models_digest)
        path = self.previous / f"{name}.json"
        try:
            data = path.read_bytes()
            extraction = from_json(json.loads(data), article)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:  # a damaged entry is extracted again
            log.warning("%s: cache entry unusable (%s); extracting again", article.doc_id, exc)
            return None
        self.kept.add(name)
        self.hits += 1
        return extraction

    def put(self, article: Article, extraction: Extraction) -> None:
        data = json.dumps(to_json(extraction), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        name = key(article, self.models_digest)
        self.pending.mkdir(exist_ok=True)
        (self.pending / f"{name}.json").write_bytes(data)
        self.new.add(name)

    def write(self, folder: Path) -> None:
        """The entries this build used or made, as `folder` (the previous build's are linked, not copied)."""
        folder.mkdir()
        for name in sorted(self.kept - self.new):
            source, target = self.previous / f"{name}.json", folder / f"{name}.json"
            try:
                os.link(source, target)
            except OSError:  # another file system, or one without hard links
                shutil.copyfile(source, target)
        for name in sorted(self.new):
            os.replace(self.pending / f"{name}.json", folder / f"{name}.json")
        self.discard()

    def discard(self) -> None:
        """Remove the entries made and not written."""
        shutil.rmtree(self.pending, ignore_errors=True)


def to_json(ex: Extraction) -> dict[str, Any]:
    """An extraction as JSON (its article, which the key already holds, left out)."""
    return {
        "city": ex.city,
        "entities": [
            [
                str(e.type),
                e.name,
                list(e.aliases),
                [list(s) for s in e.mentions],
                e.level and str(e.level),
                e.code,
                e.confidence,
            ]
            for e in ex.entities
        ],
        "relations": [
            [str(r.type), r.head, r.tail, r.evidence, list(r.evidence_span), r.title, r.date, r.confidence]
            for r in ex.relations
        ],
        "co_mentions": [[c.a, c.b, list(c.sentence_span)] for c in ex.co_mentions],
    }


def from_json(data: dict[str, Any], article: Article) -> Extraction:
    entities = tuple(
        Entity(
            EntityType(t),
            name,
            tuple(aliases),
            tuple(tuple(s) for s in spans),
            PlaceLevel(level) if level else None,
            code,
            confidence=confidence,
        )
        for t, name, aliases, spans, level, code, confidence in data["entities"]
    )
    relations = tuple(
        Relation(RelationType(t), h, tl, ev, tuple(span), title, date, confidence)
        for t, h, tl, ev, span, title, date, confidence in data["relations"]
    )
    co = tuple(CoMention(a, b, tuple(span)) for a, b, span in data["co_mentions"])
    return Extraction(article, data["city"], entities, relations, co)
