"""Entity mentions by sequence labelling: a CRF over characters, fit on annotated articles.

Each character is described by what surrounds it and by every signal the
other stages give: jieba's words and their tags, LAC's tags (PER, LOC, ORG…),
the kind words of the lexicon (产业园, 有限公司, 书记…) and the mentions the
rules found. A CRF (python-crfsuite) labels each sentence B-/I-<type>/O.

Names nest (徐州经开区 holds the place 徐州; 复星医药…项目 the company 复星医药),
and one label per character cannot say so: a first layer labels the
outermost mentions, a second one the mentions inside them, reading the first
layer's spans as features. Each mention's confidence is the lowest marginal
probability of its labels. Marginals are read only where a proposal will be
scored (its span's characters, for its type's labels): reading every label at
every character took a fifth of extraction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pycrfsuite

from .. import segment
from ..model import EntityType, Mention
from . import lexicon
from .text import Text

log = logging.getLogger(__name__)

Span = tuple[int, int, EntityType]
Features = list[list[str]]

# Kind words a character may belong to, each a feature with the character's place in the word.
_KINDS = {
    "park": lexicon.PARK_SUFFIXES,
    "company": lexicon.COMPANY_SUFFIXES + lexicon.COMPANY_WORDS,
    "org": lexicon.ORGANIZATION_SUFFIXES,
    "project": ("项目", "工程", "基地"),
    "facility": lexicon.FACILITY_ENDINGS,
    "official": lexicon.OFFICIAL_TITLES,
    "person": lexicon.PERSON_TITLES,
    "visit": lexicon.VISIT_VERBS + lexicon.MOVE_VERBS,
    "sign": lexicon.SIGNING_WORDS,
    "located": lexicon.LOCATION_VERBS,
    "attend": lexicon.ATTENDANCE_WORDS + lexicon.OFFICIAL_ACTS,
    "body": lexicon.BODY_WORDS,
}
_KIND_PATTERNS = {
    k: re.compile("|".join(map(re.escape, sorted(set(v), key=len, reverse=True)))) for k, v in _KINDS.items()
}
# A list of names: items between 、 (the last may follow 和/及/以及), up to 等 or the clause's end.
_LIST_ITEM_END = re.compile(r"、|和|及|以及")
_CLAUSE_END = re.compile(r"[,，。；;:：!?！？\n]")
# The kind a list's items are, from the word after its 等 (A、B等12个项目) or before it (项目分别是:A、B).
_LIST_KIND_AFTER = re.compile(r"等[^,，。；;、]{0,12}?(项目|企业|公司|园区|产业园|单位|机构|基地|平台|集团|工程)")
_LIST_OPENING = re.compile(r"分别是|分别为|包括|主要有|有|为|是|[:：]")
_LIST_KIND_BEFORE = re.compile(r"(项目|企业|公司|园区|单位|机构|基地|工程)")
# How far on either side a character sees its neighbours' signals.
_WINDOW = 2
# The CRF's training settings: L1 and L2 penalties and L-BFGS iterations (kg train may override them).
DEFAULT_PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 100, "feature.possible_transitions": True}


def _char_class(ch: str) -> str:
    if "\u3400" <= ch <= "\u9fff":
        return "han"
    if ch.isdigit():
        return "digit"
    if ch.isascii() and ch.isalpha():
        return "latin"
    if ch.isspace():
        return "space"
    return "punct"


def _span_marks(n: int, spans: Iterable[tuple[int, int, str]]) -> list[str | None]:
    """Per character: '<label>-B' at a span's start, '<label>-I' inside, '<label>-E' at its end."""
    marks: list[str | None] = [None] * n
    for start, end, label in spans:
        for j in range(start, end):
            marks[j] = f"{label}-{'B' if j == start else 'E' if j == end - 1 else 'I'}"
    return marks


def _list_marks(text: str) -> list[str | None]:
    """Per character: the kind of the list item it is in ('项目', or 'plain'), with its place in the item."""
    spans = []
    for m in re.finditer("、", text):
        # a list is a run of 、: find its clause, and cut it into items
        start = max(
            (c.end() for c in _CLAUSE_END.finditer(text, max(0, m.start() - 60), m.start())),
            default=max(0, m.start() - 60),
        )
        end_match = _CLAUSE_END.search(text, m.end())
        end = end_match.start() if end_match else len(text)
        spans.append((start, end))
    marks: list[str | None] = [None] * len(text)
    done = set()
    for start, end in spans:
        if (start, end) in done:
            continue
        done.add((start, end))
        clause = text[start:end]
        after = _LIST_KIND_AFTER.search(clause)
        stop = after.start() if after else len(clause)
        first_end = clause.find("、")
        openings = list(_LIST_OPENING.finditer(clause, 0, first_end))
        previous = openings[-1].end() if openings else 0
        before = list(_LIST_KIND_BEFORE.finditer(clause, 0, previous)) if openings else []
        kind = (after.group(1) if after else None) or (before[-1].group(1) if before else None) or "plain"
        items = []
        for sep in _LIST_ITEM_END.finditer(clause, 0, stop):
            items.append((previous, sep.start()))
            previous = sep.end()
        items.append((previous, stop))
        for s, e in items:
            for j in range(start + s, start + e):
                marks[j] = f"{kind}-{'B' if j == start + s else 'E' if j == start + e - 1 else 'I'}"
    return marks


def char_features(t: Text, lac_tags: Sequence[str], candidates: Sequence[Mention]) -> Features:
    """The features of every character of the article, as crfsuite attribute names."""
    text, n = t.text, len(t.text)
    word_position: list[str] = ["S"] * n
    word: list[str | None] = [None] * n
    word_tag: list[str] = ["x"] * n
    previous_word: list[str] = ["^"] * n
    next_word: list[str] = ["$"] * n
    words = t.words
    for k, (w, s, e) in enumerate(words):
        tag = segment.tag(w)
        before = words[k - 1][0] if k else "^"
        after = words[k + 1][0] if k + 1 < len(words) else "$"
        for j in range(s, e):
            word_position[j] = "S" if e - s == 1 else "B" if j == s else "E" if j == e - 1 else "M"
            word[j] = w if e - s >= 2 else None
            word_tag[j] = tag
            previous_word[j] = before
            next_word[j] = after
    kinds = {
        k: _span_marks(n, ((m.start(), m.end(), k) for m in pattern.finditer(text)))
        for k, pattern in _KIND_PATTERNS.items()
    }
    rules = _span_marks(n, ((m.start, m.end, f"{m.type}{'~weak' if m.weak else ''}") for m in candidates))
    listed = _list_marks(text)
    features: Features = []
    for i, ch in enumerate(text):
        f = [f"c={ch}", f"class={_char_class(ch)}", f"wpos={word_position[i]}", f"wtag={word_tag[i]}"]
        if word[i]:
            f.append(f"w={word[i]}")
        if word_position[i] in "BS":
            f.append(f"prev-w={previous_word[i]}")
        if word_position[i] in "ES":
            f.append(f"next-w={next_word[i]}")
        f.append(f"c-1c={text[i - 1] if i else '^'}{ch}")
        f.append(f"cc+1={ch}{text[i + 1] if i + 1 < n else '$'}")
        if ch in lexicon.SURNAMES:
            f.append("surname")
        if listed[i]:
            f.append(f"list={listed[i]}")
            f.append(f"list-kind={listed[i][:-2]}")
        for d in range(-_WINDOW, _WINDOW + 1):
            j = i + d
            if not 0 <= j < n:
                f.append(f"{d}:edge")
                continue
            if d:
                f.append(f"{d}:c={text[j]}")
            f.append(f"{d}:lac={lac_tags[j]}")
            if rules[j]:
                f.append(f"{d}:rule={rules[j]}")
            for k, marks in kinds.items():
                if marks[j]:
                    f.append(f"{d}:{k}={marks[j]}")
        features.append(f)
    return features


def with_outer(features: Features, outer: Iterable[Span]) -> Features:
    """The inner layer's features: the character's own, and where it stands in an outer mention."""
    out = [list(f) for f in features]
    for start, end, etype in outer:
        for j in range(start, end):
            out[j] += [
                f"outer={etype}",
                f"outer-from-start={min(j - start, 5)}",
                f"outer-to-end={min(end - 1 - j, 5)}",
            ]
            if j == start:
                out[j].append("outer-start")
    return out


def labels(n: int, spans: Iterable[Span]) -> list[str]:
    """B-/I-<type>/O labels of `n` characters; of overlapping spans the longer wins."""
    y = ["O"] * n
    for start, end, etype in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if any(y[j] != "O" for j in range(start, end)):
            continue
        y[start] = f"B-{etype}"
        for j in range(start + 1, end):
            y[j] = f"I-{etype}"
    return y


@dataclass(frozen=True, slots=True)
class Example:
    """One annotated article as the tagger learns from it."""

    text: Text
    features: Features
    outer: tuple[Span, ...]
    inner: tuple[Span, ...]


def _fit_layer(sequences: Iterable[tuple[Features, list[str]]], params: dict) -> bytes:
    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in sequences:
        if x:
            trainer.append(x, y)
    trainer.set_params(params)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "layer.crfsuite"
        trainer.train(str(path))
        return path.read_bytes()


def fit(examples: Sequence[Example], params: dict | None = None, cache: Path | None = None) -> EntityTagger:
    """A tagger fit on `examples`: each layer a CRF over the examples' sentences.

    With a `cache` folder, a fit of the same examples (their features and
    spans, in order) with the same settings is read from there instead:
    crfsuite's fits are deterministic, and measuring a change to the later
    stages by cross-validation refits the same fifteen taggers per split.
    """
    params = {**DEFAULT_PARAMS, **(params or {})}
    if cache is None:
        return _fit(examples, params)
    path = cache / f"{_digest(examples, params)}.crfsuite"
    if path.exists():
        return EntityTagger(*_unpack(path.read_bytes()))
    tagger = _fit(examples, params)
    cache.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_bytes(_pack(*tagger.model_bytes))
    partial.replace(path)  # whole or absent, whatever stops the fit
    return tagger


def _fit(examples: Sequence[Example], params: dict) -> EntityTagger:
    def layer(inner: bool):
        for ex in examples:
            n = len(ex.text.text)
            x = with_outer(ex.features, ex.outer) if inner else ex.features
            y = labels(n, ex.inner if inner else ex.outer)
            for s, e in ex.text.sentences:
                yield x[s:e], y[s:e]

    return EntityTagger(_fit_layer(layer(False), params), _fit_layer(layer(True), params))


def _pack(outer: bytes, inner: bytes) -> bytes:
    """A cached fit's bytes: the outer layer's length, then both layers."""
    return len(outer).to_bytes(8, "big") + outer + inner


def _unpack(data: bytes) -> tuple[bytes, bytes]:
    split = 8 + int.from_bytes(data[:8], "big")
    return data[8:split], data[split:]


def _digest(examples: Sequence[Example], params: dict) -> str:
    h = hashlib.sha256(json.dumps([version("python-crfsuite"), params], sort_keys=True).encode())
    for ex in examples:
        h.update(json.dumps([ex.outer, ex.inner, [s for s, _ in ex.text.sentences]]).encode())
        for row in ex.features:
            h.update("\x1f".join(row).encode())
            h.update(b"\x1e")
    return h.hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Tagging:
    """What the tagger made of one article: its best mentions, and every label's marginal probability."""

    mentions: tuple[Mention, ...]  # the best labelling's mentions, both layers
    marginals: tuple[dict[str, list[float]], ...]  # per layer: label -> its probability at each character

    def score(self, start: int, end: int, etype: EntityType) -> float:
        """How probable the mention [start, end) of `etype` is: in the layer that likes it best,
        the lowest probability of its labels, and of the label after it not continuing it."""
        best = 0.0
        inside = f"I-{etype}"
        for marginals in self.marginals:
            b, i = marginals.get(f"B-{etype}"), marginals.get(inside)
            if b is None or i is None:
                continue
            p = min([b[start], *i[start + 1 : end], 1.0 - i[end] if end < len(i) else 1.0])
            best = max(best, p)
        return round(best, 4)


class EntityTagger:
    """The two CRF layers, loaded from the bytes of their crfsuite models."""

    def __init__(self, outer: bytes, inner: bytes) -> None:
        self.model_bytes = (outer, inner)
        self._outer = pycrfsuite.Tagger()
        self._outer.open_inmemory(outer)
        self._inner = pycrfsuite.Tagger()
        self._inner.open_inmemory(inner)

    def tag(self, t: Text, features: Features, spans: Iterable[Span] = ()) -> Tagging:
        """The mentions both layers find, with their confidences, and the layers' marginals where
        Tagging.score reads them: at the mentions found and at `spans` (the others a caller will score)."""
        wanted: _Wanted = {etype: bytearray(len(t.text) + 1) for etype in EntityType}
        for start, end, etype in spans:
            _want(wanted, start, end, etype)
        outer, outer_marginals = self._decode(self._outer, t, features, wanted)
        done = {etype: bytes(marks) for etype, marks in wanted.items()}
        inner_features = with_outer(features, ((m.start, m.end, m.type) for m in outer))
        inner, inner_marginals = self._decode(self._inner, t, inner_features, wanted)
        # the inner layer's mentions are scored in the outer layer too, where it was not read yet
        late = {
            etype: bytes(a & ~b for a, b in zip(marks, done[etype], strict=True)) for etype, marks in wanted.items()
        }
        self._fill(self._outer, t, features, outer_marginals, late)
        return Tagging(tuple(outer + inner), (outer_marginals, inner_marginals))

    @staticmethod
    def _decode(
        tagger: pycrfsuite.Tagger, t: Text, features: Features, wanted: _Wanted
    ) -> tuple[list[Mention], dict[str, list[float]]]:
        """The layer's mentions, and its marginals where `wanted` (its mentions marked wanted too)."""
        n = len(t.text)
        labels = set(tagger.labels())
        marginals = {label: [0.0] * (n + 1) for label in labels if label != "O"}
        mentions = []
        for s, e in t.sentences:
            x = features[s:e]
            if not x:
                continue
            y = tagger.tag(x)  # also sets x as the sequence the marginals are of
            i = 0
            while i < len(y):
                if y[i] == "O":
                    i += 1
                    continue
                etype = y[i][2:]
                j = i + 1
                while j < len(y) and y[j] == f"I-{etype}":
                    j += 1
                confidence = min(tagger.marginal(y[k], k) for k in range(i, j))
                start, end = s + i, s + j
                mention = Mention(EntityType(etype), start, end, t.text[start:end], confidence=round(confidence, 4))
                mentions.append(mention)
                _want(wanted, start, end, mention.type)
                i = j
            _read(tagger, marginals, wanted, s, e)
        return mentions, marginals

    @staticmethod
    def _fill(
        tagger: pycrfsuite.Tagger, t: Text, features: Features, marginals: dict[str, list[float]], late: _Wanted
    ) -> None:
        """The layer's marginals where `late` wants them, in the sentences that hold such characters."""
        for s, e in t.sentences:
            if features[s:e] and any(any(marks[s:e]) for marks in late.values()):
                tagger.set(features[s:e])
                _read(tagger, marginals, late, s, e)


# Per type: 1 at each character where Tagging.score will read the type's labels.
_Wanted = dict[EntityType, bytearray]


def _want(wanted: _Wanted, start: int, end: int, etype: EntityType) -> None:
    """Mark the span [start, end) and the character after it (whose label must not continue it)."""
    wanted[etype][start : end + 1] = b"\x01" * (end + 1 - start)


def _read(tagger: pycrfsuite.Tagger, marginals: dict[str, list[float]], wanted: _Wanted, s: int, e: int) -> None:
    """Copy the marginals of the sentence [s, e) the tagger holds where `wanted`, type by type."""
    for etype, marks in wanted.items():
        positions = [k for k in range(e - s) if marks[s + k]]
        if not positions:
            continue
        for label in (f"B-{etype}", f"I-{etype}"):
            column = marginals.get(label)
            if column is not None:
                for k in positions:
                    column[s + k] = tagger.marginal(label, k)
