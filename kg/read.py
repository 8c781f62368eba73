"""Inputs to Articles: find files, detect encodings, turn HTML into text, clean.

Inputs are `.txt`, `.html`/`.htm` files, folders of them (recursively, symlinks
followed once), and JSON Lines crawl exports (`.jsonl`: one record per line
with `url` and `html` or `text`, optionally `title` and `date`).

`read_inputs` never raises for one bad input: every input ends as a record,
built, a duplicate of another, or rejected with a reason, and the others go on.

doc_id: a file's name without its extension (`_2`, `_3`… added if two files
share one); a crawl record's is `url-` and the first 16 hex digits of the
SHA-1 of its URL, so re-crawling a page gives it the same id.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from .clean import clean_page, clean_text
from .errors import InputError
from .model import Article, InputRecord, InputStatus

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
EXPORT_SUFFIXES = (".jsonl",)
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + EXPORT_SUFFIXES
# A page larger than this is no news article (it is a dump, or a page with
# inline media); it is rejected rather than read. Crawl exports are read line
# by line, and the limit applies to each record.
MAX_INPUT_BYTES = 8 * 1024 * 1024
# Encodings a Chinese crawl brings back, tried when the bytes are not UTF-8.
CANDIDATE_ENCODINGS = ["gb18030", "big5", "utf_16", "utf_8"]
# Fewer Chinese characters than this is a page of links or a headline, no article.
MIN_ARTICLE_CHARACTERS = 15
_CJK = re.compile(r"[\u3400-\u9fff]")
# A text with more undecodable characters than this share is not text.
MAX_REPLACED_SHARE = 0.2

# 2022-10-11 08:10, (2024-09-24), 2017年8月9日; not 2017年8月 (no day).
_DATE = re.compile(r"(20\d\d|19\d\d)[-/年.](\d{1,2})[-/月.](\d{1,2})日?")
# <meta charset="gbk">, <meta http-equiv=… content="text/html; charset=big5">
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<meta)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Raw:
    """One input before decoding: a file, or one record of a crawl export."""

    label: str  # what the report calls it: a path, or path:line
    doc_id: str
    source: str  # the path or URL the document came from
    data: bytes | None = None  # file bytes
    text: str | None = None  # already decoded (crawl records)
    is_html: bool = False
    title: str = ""
    date: str | None = None
    problem: str | None = None  # why the input cannot be read, found before decoding


def iter_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """Each input file, or a path with the reason it cannot be read, in a stable order.

    Folders are walked recursively, following symlinks but never into a folder
    already walked (a symlink loop is reported, not followed).
    """
    for path in paths:
        if _dangling(path):
            yield path, "broken symlink or symlink loop"
        elif not path.exists():
            yield path, "no such file or folder"
        elif path.is_dir():
            yield from _walk(path)
        else:
            yield path, None


def _dangling(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


def _walk(top: Path) -> Iterator[tuple[Path, str | None]]:
    seen: dict[str, Path] = {}
    found: list[tuple[Path, str | None]] = []
    for root, dirs, files in os.walk(top, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            found.append((Path(root), f"symlink loop: the folder was already read as {seen[real]}"))
            dirs[:] = []
            continue
        seen[real] = Path(root)
        dirs.sort()
        for name in files:
            path = Path(root, name)
            if _dangling(path):
                found.append((path, "broken symlink or symlink loop"))
            elif name.lower().endswith(SUFFIXES):
                found.append((path, None))
            else:
                found.append((path, f"not an article file ({', '.join(SUFFIXES)})"))
    yield from sorted(found)


def decode(data: bytes, path: Path | str, declared: str | None = None) -> str:
    """The text of `data`: UTF-8 (with or without BOM), UTF-16, GB18030 or Big5.

    `declared` is the encoding the page names (`<meta charset>`); it is used
    when the bytes decode in it without error. Raises InputError when the
    bytes are empty, binary or in no known encoding.
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
    if declared:
        try:
            # GBK and GB2312 pages are GB18030 in practice (a superset)
            name = "gb18030" if declared.lower() in ("gbk", "gb2312", "gb_2312-80") else declared
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            log.info("%s: declares %s but is not; detecting", path, declared)
    if b"\x00" in data[:4096] and not _looks_utf16(data):
        raise InputError(f"{path}: binary file, not text")
    best = charset_normalizer.from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is not None:
        return str(best)
    # Mixed encodings (a GBK block pasted into a UTF-8 page) or stray invalid
    # bytes: decode line by line, keeping every line that can be read.
    lines = [_decode_line(line) for line in data.split(b"\n")]
    text = "\n".join(lines)
    if text.count("\ufffd") > len(text) * MAX_REPLACED_SHARE:
        raise InputError(f"{path}: not UTF-8, GB18030, Big5 or UTF-16; re-save it as UTF-8")
    log.info("%s: mixed or invalid encoding; read line by line", path)
    return text.replace("\ufffd", "")


def _decode_line(line: bytes) -> str:
    """One line in UTF-8 if it mostly is, else GB18030 or Big5, else UTF-8 with replacements."""
    loose = line.decode("utf-8", errors="replace")
    if loose.count("\ufffd") <= max(1, len(loose) // 5):
        return loose
    for encoding in ("gb18030", "big5"):
        try:
            return line.decode(encoding)
        except UnicodeDecodeError:
            continue
    return loose


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of CJK or ASCII text is regular."""
    sample = data[:4096]
    return len(sample) > 8 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def declared_charset(data: bytes) -> str | None:
    """The encoding an HTML page declares in its first 2 KB, if any."""
    m = _META_CHARSET.search(data[:2048])
    return m.group(1).decode("ascii") if m else None


def html_to_text(html: str) -> tuple[str, str, str | None]:
    """(text, headline, date) of a news page: headline, dateline, byline and main text, no chrome."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    meta = trafilatura.extract_metadata(html)
    title = (meta.title or "") if meta else ""
    date = meta.date if meta else None
    byline = f"作者:{meta.author}" if meta and meta.author else ""
    body = body or ""
    # the headline, unless the extracted text opens with it
    head = [x for x in (title if title not in body[:200] else "", " ".join(x for x in (date, byline) if x)) if x]
    return "\n".join([*head, body]), title, date


def publication_date(text: str) -> str | None:
    """The first full date in the first lines of a page, as YYYY-MM-DD."""
    for line in text.split("\n")[:6]:
        if len(line) > 80:
            continue  # a paragraph, whose dates are of events
        if m := _DATE.search(line):
            return _iso(*m.groups())
    return None


def _iso(year: str, month: str, day: str) -> str | None:
    y, m, d = int(year), int(month), int(day)
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 31 else None


def _title(text: str) -> str:
    """The headline: the first short line that is not a dateline; '' if there is none."""
    for line in text.split("\n")[:5]:
        if 8 <= len(line) <= 50 and not line.endswith(("。", ":", "：")) and not _DATE.search(line):
            return line
    return ""


def _article(raw: _Raw) -> tuple[Article, list[tuple[str, str]]]:
    """One raw input as a cleaned Article, and its page's teasers. Raises InputError when it cannot be read."""
    is_html = raw.is_html or (raw.data is not None and bool(_HTML_START.match(raw.data[:512])))
    if raw.data is not None:
        text = decode(raw.data, raw.label, declared_charset(raw.data) if is_html else None)
    else:
        text = raw.text or ""
    title, date = raw.title, raw.date
    if is_html:
        text, html_title, html_date = html_to_text(text)
        title, date = title or html_title, date or html_date
    date = _normal_date(date) or publication_date(text)
    text, teasers = clean_page(text)
    if len(_CJK.findall(text)) < MIN_ARTICLE_CHARACTERS:
        raise InputError(f"{raw.label}: no article text")
    title = clean_text(title) or _title(text)
    return Article(doc_id=raw.doc_id, source=raw.source, text=text, title=title, date=date), teasers


def _normal_date(value: str | None) -> str | None:
    if value and (m := _DATE.search(value)):
        return _iso(*m.groups())
    return None


def _raw_inputs(path: Path) -> Iterator[_Raw]:
    """The raw inputs of one file: itself, or each record of a crawl export."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    suffix = path.suffix.lower()
    if suffix in EXPORT_SUFFIXES:
        yield from _export_records(path)
        return
    if size > MAX_INPUT_BYTES:
        raise InputError(f"{path}: too large ({size // 1024 // 1024} MB, limit {MAX_INPUT_BYTES // 1024 // 1024} MB)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    yield _Raw(str(path), path.stem, str(path), data=data, is_html=suffix in HTML_SUFFIXES)


def _export_records(path: Path) -> Iterator[_Raw]:
    try:
        f = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    with f:
        for lineno, line in enumerate(f, 1):
            label = f"{path}:{lineno}"
            if not line.strip():
                continue
            if len(line) > MAX_INPUT_BYTES:
                yield _rejected(label, f"too large (limit {MAX_INPUT_BYTES // 1024 // 1024} MB)")
                continue
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield _rejected(label, f"not a JSON record: {exc}")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("url"), str):
                yield _rejected(label, "record has no url")
                continue
            body = record.get("html") or record.get("text")
            if not isinstance(body, str) or not body.strip():
                yield _rejected(label, "record has no html or text")
                continue
            url = record["url"]
            yield _Raw(
                label,
                "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16],
                url,
                text=body,
                is_html=bool(record.get("html")),
                title=str(record.get("title") or ""),
                date=str(record.get("date") or "") or None,
            )


def _rejected(label: str, reason: str) -> _Raw:
    return _Raw(label, "", label, problem=reason)


def read_inputs(paths: Iterable[Path], keep_teasers: bool = False) -> tuple[list[Article], list[InputRecord]]:
    """Every article under `paths`, and a record of what became of each input.

    The same article read twice (the same cleaned text) is kept once; the
    report names the input it duplicates. With `keep_teasers`, each
    related-article teaser after an article is a document of its own, with
    the id `<parent doc_id>~teaser<n>` and the parent's source.
    """
    articles: list[Article] = []
    records: list[InputRecord] = []
    by_text: dict[str, InputRecord] = {}
    used_ids: set[str] = set()

    # Logged at INFO: the report and the CLI's summary list every one.
    def reject(label: str, reason: str) -> None:
        log.info("%s: %s", label, reason)
        records.append(InputRecord(label, InputStatus.REJECTED, reason))

    for path, problem in iter_files(paths):
        if problem:
            reject(str(path), problem)
            continue
        try:
            for raw in _raw_inputs(path):
                if raw.problem:
                    reject(raw.label, raw.problem)
                    continue
                try:
                    article, teasers = _article(raw)
                except InputError as exc:
                    reject(raw.label, str(exc).removeprefix(f"{raw.label}: "))
                    continue
                documents = [(raw.label, article)]
                if keep_teasers:
                    documents += [
                        (f"{raw.label}#teaser{n}", _teaser(article, n, headline, snippet))
                        for n, (headline, snippet) in enumerate(teasers, 1)
                    ]
                for label, document in documents:
                    digest = hashlib.sha1(document.text.encode("utf-8")).hexdigest()
                    if digest in by_text:
                        first = by_text[digest]
                        log.info("%s: duplicate of %s", label, first.path)
                        records.append(
                            InputRecord(label, InputStatus.DUPLICATE, f"duplicate of {first.path}", first.doc_id)
                        )
                        continue
                    document = _unique_id(document, used_ids)
                    articles.append(document)
                    record = InputRecord(label, InputStatus.BUILT, doc_id=document.doc_id)
                    by_text[digest] = record
                    records.append(record)
        except InputError as exc:
            reject(str(path), str(exc).removeprefix(f"{path}: "))
    return articles, records


def _teaser(parent: Article, n: int, headline: str, snippet: str) -> Article:
    return Article(f"{parent.doc_id}~teaser{n}", parent.source, f"{headline}\n{snippet}", headline, None)


def _unique_id(article: Article, used: set[str]) -> Article:
    doc_id, n = article.doc_id, 1
    while doc_id in used:
        n += 1
        doc_id = f"{article.doc_id}_{n}"
    used.add(doc_id)
    if doc_id == article.doc_id:
        return article
    return Article(doc_id, article.source, article.text, article.title, article.date)
