"""Inputs to Articles: find files, detect encodings, turn HTML into text, clean.

`read_inputs` never raises for one bad file: it returns a rejection record
naming the file and the reason, and goes on with the others.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import charset_normalizer

from .clean import clean_text
from .errors import InputError
from .model import Article, InputRecord, InputStatus

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
# Encodings a Chinese crawl brings back, tried when the bytes are not UTF-8.
CANDIDATE_ENCODINGS = ["gb18030", "big5", "utf_16", "utf_8"]

# 2022-10-11 08:10, (2024-09-24), 2017年8月9日
_DATE = re.compile(r"(20\d\d|19\d\d)[-/年.](\d{1,2})[-/月.](\d{1,2})日?")
_HTML_START = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<meta)", re.IGNORECASE)


def iter_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """Each input file, or a path with the reason it cannot be read, in a stable order."""
    for path in paths:
        if not path.exists():
            yield path, "no such file or folder"
        elif path.is_dir():
            found = []
            for root, dirs, files in os.walk(path):
                dirs.sort()
                found += [Path(root, f) for f in files if f.lower().endswith(SUFFIXES)]
            yield from ((p, None) for p in sorted(found))
        else:
            yield path, None


def decode(data: bytes, path: Path) -> str:
    """The text of `data`: UTF-8 (with or without BOM), UTF-16, GB18030 or Big5.

    Raises InputError when the bytes are empty, binary or in no known encoding.
    """
    if not data.strip():
        raise InputError(f"{path}: empty file")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise InputError(f"{path}: binary file, not text")
    best = charset_normalizer.from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise InputError(f"{path}: not UTF-8, GB18030, Big5 or UTF-16; re-save it as UTF-8")
    return str(best)


def html_to_text(html: str) -> str:
    """The headline and main text of a news page, without its chrome."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    meta = trafilatura.extract_metadata(html)
    head = [x for x in (meta.title if meta else None, meta.date if meta else None) if x]
    return "\n".join([*head, body or ""])


def publication_date(text: str) -> str | None:
    """The first full date in the first lines of a page, as YYYY-MM-DD."""
    for line in text.split("\n")[:6]:
        if len(line) > 80:
            continue  # a paragraph, whose dates are of events
        if m := _DATE.search(line):
            year, month, day = (int(g) for g in m.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _title(text: str) -> str:
    """The headline: the first short line that is not a dateline; '' if there is none."""
    for line in text.split("\n")[:5]:
        if 8 <= len(line) <= 50 and not line.endswith(("。", ":", "：")) and not _DATE.search(line):
            return line
    return ""


def read_article(path: Path) -> Article:
    """One file as a cleaned Article. Raises InputError when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    text = decode(data, path)
    if path.suffix.lower() in HTML_SUFFIXES or _HTML_START.match(data[:512]):
        text = html_to_text(text)
    date = publication_date(text)
    text = clean_text(text)
    if not text.strip():
        raise InputError(f"{path}: no article text")
    return Article(doc_id=path.stem, source=str(path), text=text, title=_title(text), date=date)


def read_inputs(paths: Iterable[Path]) -> tuple[list[Article], list[InputRecord]]:
    """Every article under `paths`, and a record of what became of each input."""
    articles: list[Article] = []
    records: list[InputRecord] = []
    for path, problem in iter_files(paths):
        try:
            if problem:
                raise InputError(f"{path}: {problem}")
            article = read_article(path)
        except InputError as exc:
            log.warning("%s", exc)
            reason = str(exc).removeprefix(f"{path}: ")
            records.append(InputRecord(str(path), InputStatus.REJECTED, reason))
            continue
        articles.append(article)
        records.append(InputRecord(str(path), InputStatus.BUILT, doc_id=article.doc_id))
    return articles, records
