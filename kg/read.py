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
import contextlib
import datetime
import hashlib
import json
import logging
import os
import re
import stat
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
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
# A text shorter than this in Chinese characters is a page of links, a headline or a
# note unless something is found in it (the shortest of the 99 annotated articles has
# 166; a one-sentence report has about 20): the build rejects it when extraction finds
# nothing. See is_short.
MIN_ARTICLE_CHARACTERS = 30
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


def display(path: Path | str) -> str:
    """A path as text any report, terminal or JSON can hold: bytes its name cannot decode as \\xNN."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def iter_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """Each input file, or a path with the reason it cannot be read, in a stable order.

    Folders are walked recursively, following symlinks but never into a folder
    already walked (a symlink loop is reported, not followed); a folder that
    cannot be opened is reported too.
    """
    for path in paths:
        try:
            if _dangling(path):
                yield path, "broken symlink or symlink loop"
            elif not path.exists():
                yield path, "no such file or folder"
            elif path.is_dir():
                yield from _walk(path)
            else:
                yield path, None
        except OSError as exc:
            yield path, f"cannot read: {exc.strerror or exc}"


def _dangling(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


def _walk(top: Path) -> Iterator[tuple[Path, str | None]]:
    seen: dict[str, Path] = {}
    found: list[tuple[Path, str | None]] = []

    def unreadable(exc: OSError) -> None:
        found.append((Path(exc.filename), f"cannot open folder: {exc.strerror or exc}"))

    for root, dirs, files in os.walk(top, followlinks=True, onerror=unreadable):
        real = os.path.realpath(root)
        if real in seen:
            found.append((Path(root), f"symlink loop: the folder was already read as {display(seen[real])}"))
            dirs[:] = []
            continue
        seen[real] = Path(root)
        dirs[:] = sorted(d for d in dirs if not _is_build(Path(root, d)) and not _OWN_FILE.match(d))
        for name in files:
            if _OWN_FILE.match(name):
                continue  # a build's lock beside its folder
            path = Path(root, name)
            try:
                dangling = _dangling(path)
            except OSError as exc:
                found.append((path, f"cannot read: {exc.strerror or exc}"))
                continue
            if dangling:
                found.append((path, "broken symlink or symlink loop"))
            elif name.lower().endswith(SUFFIXES):
                found.append((path, None))
            elif name not in BUILD_FILES:
                found.append((path, f"not an article file ({', '.join(SUFFIXES)})"))
    yield from sorted(found, key=lambda f: os.fsencode(f[0]))


# What a build leaves beside its output folder OUT: .OUT.lock and .OUT.staging-*.
_OWN_FILE = re.compile(r"^\..+\.(lock|staging-.+)$")
# A folder kg build wrote holds this file; its outputs are never read back as articles.
BUILD_MARKER = ".parkkg-build"
BUILD_FILES = frozenset({BUILD_MARKER})


def _is_build(folder: Path) -> bool:
    return (folder / BUILD_MARKER).is_file()


def decode(data: bytes, path: Path | str, declared: str | None = None) -> str:
    """The text of `data`: UTF-8 (with or without BOM), UTF-16 (with or without BOM), GB18030 or Big5.

    `declared` is the encoding the page names (`<meta charset>`); it wins when
    the bytes read in it as plausibly as in any other (a page that declares
    ISO-8859-1 over GBK bytes is read as GBK). A stray NUL byte does not make a
    text binary. Raises InputError when the bytes are empty, binary or in no
    known encoding.
    """
    if not data.strip():
        raise InputError(f"{path}: empty file")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    readings: list[tuple[float, int, str]] = []  # (plausibility, preference, text)
    for preference, encoding in enumerate(
        [*([_codec(declared)] if declared else []), "utf-8", *_utf16_guesses(data), "gb18030", "big5"]
    ):
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
        readings.append((_plausibility(text), -preference, text))
        if encoding == "utf-8" and readings[-1][0] >= _PLAUSIBLE:
            break  # valid UTF-8 that reads as text is UTF-8
    if readings:
        score, _, text = max(readings)
        if score >= _PLAUSIBLE:
            return text
    if _control_share(data) > _BINARY_CONTROL_SHARE:
        raise InputError(f"{path}: binary file, not text")
    best = charset_normalizer.from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is not None and _plausibility(str(best)) >= _PLAUSIBLE:
        return str(best)
    # Mixed encodings (a GBK block pasted into a UTF-8 page) or stray invalid
    # bytes: decode line by line, keeping every line that can be read.
    lines = [_decode_line(line) for line in data.split(b"\n")]
    text = "\n".join(lines)
    if text.count("\ufffd") > len(text) * MAX_REPLACED_SHARE or _plausibility(text) < _PLAUSIBLE:
        raise InputError(f"{path}: not UTF-8, GB18030, Big5 or UTF-16; re-save it as UTF-8")
    log.info("%s: mixed or invalid encoding; read line by line", path)
    return text.replace("\ufffd", "")


# Bytes no text holds (C0 controls but tab, line ends and escape); a text with more of
# them than this share is binary (one stray NUL in an article is not).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13, 27))
_BINARY_CONTROL_SHARE = 0.02


def _control_share(data: bytes) -> float:
    sample = data[:65536]
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


# The share of a text's characters that must be ordinary (ASCII, common Chinese,
# CJK punctuation) for a decoding to count as right.
_PLAUSIBLE = 0.8


def _plausibility(text: str) -> float:
    """How much `text` reads as Chinese or ASCII: 1.0 for ordinary text, near 0 for mojibake."""
    if not text:
        return 0.0
    sample = text[:20000]
    ordinary = rare = 0
    for ch, n in Counter(sample).items():  # each distinct character once: a text has a few hundred
        o = ord(ch)
        if 0x20 <= o < 0x7F or ch in "\n\r\t" or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF:
            ordinary += n
        elif 0x4E00 <= o <= 0x9FFF:
            if _common_hanzi(ch):
                ordinary += n
            else:
                rare += n
        elif 0x2000 <= o <= 0x206F or o in (0xB7, 0xD7):
            ordinary += n  # general punctuation: “”…—
    return (ordinary + 0.6 * rare) / len(sample)


@cache
def _common_hanzi(ch: str) -> bool:
    """One of GB2312's 3,755 level-one characters, the ones ordinary text is mostly made of."""
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return 0xB0 <= code[0] <= 0xD7


def _codec(declared: str) -> str:
    # GBK and GB2312 pages are GB18030 in practice (a superset)
    return "gb18030" if declared.lower() in ("gbk", "gb2312", "gb_2312-80") else declared


def _utf16_guesses(data: bytes) -> list[str]:
    """UTF-16 byte orders to try on text without a BOM (an even length is needed)."""
    return ["utf-16-le", "utf-16-be"] if len(data) % 2 == 0 else []


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


def declared_charset(data: bytes) -> str | None:
    """The encoding an HTML page declares in its first 2 KB, if any."""
    m = _META_CHARSET.search(data[:2048])
    return m.group(1).decode("ascii") if m else None


def html_to_text(html: str) -> tuple[str, str, str | None]:
    """(text, headline, date) of a news page: headline, dateline, byline and main text, no chrome.

    The date is the page's own dateline when its text has one, else the date
    trafilatura finds in the page's metadata (or guesses from its text).
    """
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    meta = trafilatura.extract_metadata(html)
    title = (meta.title or "") if meta else ""
    dateline = publication_date(body)
    guessed = None if dateline else _normal_date(meta.date if meta else None)
    byline = f"作者:{meta.author}" if meta and meta.author else ""
    # the headline, unless the extracted text opens with it; the guessed date only when the text has none
    head = [x for x in (title if title not in body[:200] else "", " ".join(x for x in (guessed, byline) if x)) if x]
    return "\n".join([*head, body]), title, dateline or guessed


def publication_date(text: str) -> str | None:
    """The first full date in the first lines of a page, as YYYY-MM-DD."""
    for line in text.split("\n")[:6]:
        if len(line) > 80:
            continue  # a paragraph, whose dates are of events
        if m := _DATE.search(line):
            return _iso(*m.groups())
    return None


def _iso(year: str, month: str, day: str) -> str | None:
    """YYYY-MM-DD of a calendar date, or None: 2024年2月30日 is no date."""
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


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
    title = raw.title
    html_date = None
    if is_html:
        text, html_title, html_date = html_to_text(text)
        title = title or html_title
    # The crawl's own date, else the page's dateline, else htmldate's guess (which reads
    # 规划2000亩 as the year 2000): a dateline in the text beats a guess that disagrees.
    date = _normal_date(raw.date) or publication_date(text) or _normal_date(html_date)
    text, teasers = clean_page(text)
    if not _CJK.search(text):
        raise InputError(f"{raw.label}: no article text")
    title = clean_text(title) or _title(text)
    return Article(doc_id=raw.doc_id, source=raw.source, text=text, title=title, date=date), teasers


def is_short(article: Article) -> bool:
    """Too short to be an article unless extraction finds something in it."""
    return len(_CJK.findall(article.text)) < MIN_ARTICLE_CHARACTERS


def _normal_date(value: str | None) -> str | None:
    if value and (m := _DATE.search(value)):
        return _iso(*m.groups())
    return None


def _open_regular(path: Path, label: str):
    """`path` opened for reading if it is a regular file; FIFOs, devices and sockets are refused."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise InputError(f"{label}: cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a file"
        )
        raise InputError(f"{label}: {kind}, not a regular file; only files are read")
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(f"{label}: cannot read: {exc.strerror or exc}") from exc


def _raw_inputs(path: Path) -> Iterator[_Raw]:
    """The raw inputs of one file: itself, or each record of a crawl export."""
    label = display(path)
    f = _open_regular(path, label)
    with f:
        if path.suffix.lower() in EXPORT_SUFFIXES:
            yield from _export_records(f, label)
            return
        try:
            data = f.read(MAX_INPUT_BYTES + 1)  # never more: a link to /dev/zero is a file too
        except OSError as exc:
            raise InputError(f"{label}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_INPUT_BYTES:
        size = max(path.stat().st_size, len(data)) // 1024 // 1024
        raise InputError(f"{label}: too large ({size} MB, limit {MAX_INPUT_BYTES // 1024 // 1024} MB)")
    stem = display(path.stem)
    yield _Raw(label, stem, label, data=data, is_html=path.suffix.lower() in HTML_SUFFIXES)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: object) -> str:
    """A JSON string as text UTF-8 can hold: a lone surrogate (\\ud800) becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", value) if isinstance(value, str) else ""


def _lines(f, limit: int) -> Iterator[bytes | None]:
    """The lines of `f`, each read up to `limit` bytes; None for a longer one (whose rest is skipped)."""
    while True:
        line = f.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def _export_records(f, path: str) -> Iterator[_Raw]:
    records = 0
    for lineno, line in enumerate(_lines(f, MAX_INPUT_BYTES), 1):
        label = f"{path}:{lineno}"
        records += bool(line is None or line.strip())
        if line is None:
            yield _rejected(label, f"too large (limit {MAX_INPUT_BYTES // 1024 // 1024} MB)")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield _rejected(label, f"not a JSON record: {exc}")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("url"), str) or not record["url"].strip():
            yield _rejected(label, "record has no url")
            continue
        body = _text(record.get("html")) or _text(record.get("text"))
        if not body.strip():
            yield _rejected(label, "record has no html or text")
            continue
        url = _text(record["url"]).strip()
        yield _Raw(
            label,
            "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16],
            url,
            text=body,
            is_html=bool(_text(record.get("html"))),
            title=_text(record.get("title")),
            date=_text(record.get("date")) or None,
        )
    if not records:
        raise InputError(f"{path}: an export with no records")


def _rejected(label: str, reason: str) -> _Raw:
    return _Raw(label, "", label, problem=reason)


def read_inputs(
    paths: Iterable[Path], keep_teasers: bool = False, progress: Callable[[str], None] | None = None
) -> tuple[list[Article], list[InputRecord]]:
    """Every article under `paths`, and a record of what became of each input.

    The same article read twice (the same cleaned text) is kept once; the
    report names the input it duplicates. A URL a crawl export holds twice is
    the later crawl's (the earlier is superseded, and the id stays). With
    `keep_teasers`, each related-article teaser after an article is a document
    of its own, with the id `<parent doc_id>~teaser<n>` and the parent's source.
    `progress`, when given, is told each input as it is read.
    """
    reader = _Reader(keep_teasers)
    for n, (path, problem) in enumerate(iter_files(paths), 1):
        if progress:
            progress(f"reading file {n}: {display(path)}")
        if problem:
            reader.reject(display(path), problem)
            continue
        try:
            with contextlib.closing(_raw_inputs(path)) as raws:  # closed, and its file, whatever ends the loop
                for raw in raws:
                    reader.add(raw)
        except InputError as exc:
            reader.reject(display(path), str(exc).removeprefix(f"{display(path)}: "))
        except Exception as exc:  # a bug reading one input must not lose the others
            reader.reject(display(path), f"could not be read ({type(exc).__name__}: {exc})", traceback.format_exc())
    return reader.articles, reader.records


class _Reader:
    """The articles read so far, and the record of every input."""

    def __init__(self, keep_teasers: bool) -> None:
        self.keep_teasers = keep_teasers
        self.articles: list[Article] = []
        self.records: list[InputRecord] = []
        self.by_text: dict[str, InputRecord] = {}
        # a crawl record's doc_id -> (its article, its record, its text's digest)
        self.by_url: dict[str, tuple[int, int, str]] = {}
        self.used_ids: set[str] = set()

    def reject(self, label: str, reason: str, detail: str = "") -> None:
        log.info("%s: %s", label, reason)  # INFO: the report and the CLI's summary list every one
        self.records.append(InputRecord(label, InputStatus.REJECTED, reason, detail=detail))

    def add(self, raw: _Raw) -> None:
        if raw.problem:
            self.reject(raw.label, raw.problem)
            return
        try:
            article, teasers = _article(raw)
        except InputError as exc:
            self.reject(raw.label, str(exc).removeprefix(f"{raw.label}: "))
            return
        except Exception as exc:  # as in read_inputs: recorded, and the others go on
            self.reject(raw.label, f"could not be read ({type(exc).__name__}: {exc})", traceback.format_exc())
            return
        documents = [(raw.label, article)]
        if self.keep_teasers:
            documents += [
                (f"{raw.label}#teaser{n}", _teaser(article, n, headline, snippet))
                for n, (headline, snippet) in enumerate(teasers, 1)
            ]
        for label, document in documents:
            self._keep(label, document, crawled=raw.text is not None and label == raw.label)

    def _keep(self, label: str, document: Article, crawled: bool) -> None:
        digest = hashlib.sha1(document.text.encode("utf-8")).hexdigest()
        if digest in self.by_text:
            first = self.by_text[digest]
            log.info("%s: duplicate of %s", label, first.path)
            self.records.append(InputRecord(label, InputStatus.DUPLICATE, f"duplicate of {first.path}", first.doc_id))
            return
        if crawled and document.doc_id in self.by_url:
            # a URL crawled again: the later crawl replaces the earlier and keeps its id
            a, r, earlier_digest = self.by_url[document.doc_id]
            earlier = self.records[r]
            if self.by_text.get(earlier_digest) is earlier:
                del self.by_text[earlier_digest]  # its text may come again, and is then no duplicate
            self.records[r] = InputRecord(
                earlier.path,
                InputStatus.SUPERSEDED,
                f"superseded by {label}, a later crawl of the same URL",
                document.doc_id,
            )
            self.articles[a] = document
        else:
            document = _unique_id(document, self.used_ids)
            self.articles.append(document)
            a = len(self.articles) - 1
        record = InputRecord(label, InputStatus.BUILT, doc_id=document.doc_id)
        self.by_text[digest] = record
        self.records.append(record)
        if crawled:
            self.by_url[document.doc_id] = (a, len(self.records) - 1, digest)


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
