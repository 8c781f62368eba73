"""A build's extractions kept on disk, not in memory, and read back one at a time.

A build holds every document's extraction until it writes the graph, and at
10,000 articles they are gigabytes as Python objects. `Spill` writes each one
(pickled) to an unnamed temporary file as it comes and reads it back on each
use; what stays in memory is an offset per document.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import overload

from .model import Extraction


class _Read(Sequence[Extraction]):
    """A sequence whose items are made when read (`_read`), a list of them for a slice."""

    def _read(self, index: int) -> Extraction:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Extraction: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Extraction]: ...
    def __getitem__(self, index: int | slice) -> Extraction | Sequence[Extraction]:
        if isinstance(index, slice):
            return [self._read(i) for i in range(*index.indices(len(self)))]
        return self._read(range(len(self))[index])  # range checks the bounds, and takes negatives

    def __iter__(self) -> Iterator[Extraction]:
        return (self._read(i) for i in range(len(self)))


class Spill(_Read):
    """Extractions appended to a temporary file in `folder` (removed when the Spill is let go)."""

    def __init__(self, folder: Path) -> None:
        self._file = tempfile.TemporaryFile(dir=folder, buffering=0)
        weakref.finalize(self, self._file.close)
        self._spans: list[tuple[int, int]] = []
        self._end = 0
        self.doc_ids: list[str] = []

    def append(self, extraction: Extraction) -> None:
        data = pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.write(data)
        self._spans.append((self._end, len(data)))
        self._end += len(data)
        self.doc_ids.append(extraction.article.doc_id)

    def __len__(self) -> int:
        return len(self._spans)

    def _read(self, index: int) -> Extraction:
        start, size = self._spans[index]
        return pickle.loads(os.pread(self._file.fileno(), size, start))

    def through(self, extractions: Iterable[Extraction]) -> Iterator[Extraction]:
        """Each of `extractions`, appended as it passes."""
        for ex in extractions:
            self.append(ex)
            yield ex


class Ordered(_Read):
    """`base` in the order of `order` (default: its own)."""

    def __init__(self, base: Sequence[Extraction], order: Sequence[int] | None = None) -> None:
        self._base = base
        self._order = order if order is not None else range(len(base))

    def __len__(self) -> int:
        return len(self._order)

    def _read(self, index: int) -> Extraction:
        return self._base[self._order[index]]

    def sorted(self, key: Callable[[int], object]) -> Ordered:
        """The same items ordered by `key` of each one's index in `base`, read nothing to sort."""
        return Ordered(self._base, sorted(self._order, key=key))
