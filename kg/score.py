"""Extractions scored against gold annotations: precision, recall and F1 per type.

The same figures as `../shared/tools/score.py` (a test holds the two
together), so that a user who annotates a few of their own articles can
measure a build on them. Gold is one JSON file per document (the README's
"Gold annotations"); predictions are `extractions.jsonl` records.

Entities match one to one within a type, a predicted entity whose name
equals a gold name first, else one sharing any name or alias with it. A
relation matches when its type and the gold names of both ends match
(`signed_with` in either direction). A prediction named like an `ignore`
entry of the gold counts neither way, nor do its relations.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import EntityType, RelationType

ENTITY_TYPES = tuple(str(t) for t in EntityType)
RELATION_TYPES = tuple(str(t) for t in RelationType)
_SYMMETRIC = {str(RelationType.SIGNED_WITH)}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Scores:
    """Counts per entity and relation type, and the errors behind them."""

    documents: int = 0
    missing: list[str] = field(default_factory=list)  # gold documents with no prediction
    entities: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in ENTITY_TYPES})
    relations: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in RELATION_TYPES})
    titles_matched: int = 0  # holds_post relations found whose title agrees with the gold's
    titles_scored: int = 0
    errors: list[tuple[str, ...]] = field(default_factory=list)  # (FP|FN|RFP|RFN, doc_id, …)

    @property
    def entity_total(self) -> Counts:
        return _total(self.entities.values())

    @property
    def relation_total(self) -> Counts:
        return _total(self.relations.values())

    @property
    def title_accuracy(self) -> float | None:
        return self.titles_matched / self.titles_scored if self.titles_scored else None

    def add(self, other: Scores) -> None:
        """Add another set's counts to these (the folds of a cross-validation)."""
        self.documents += other.documents
        self.missing += other.missing
        for mine, theirs in ((self.entities, other.entities), (self.relations, other.relations)):
            for t, c in theirs.items():
                mine[t].add(c)
        self.titles_matched += other.titles_matched
        self.titles_scored += other.titles_scored
        self.errors += other.errors

    def table(self, errors: bool = False) -> str:
        """The figures as score.py prints them, its last line `entity F1 X relation F1 Y`."""
        missing = f" (no prediction for {len(self.missing)}: {', '.join(self.missing)})" if self.missing else ""
        lines = [f"documents scored: {self.documents}{missing}"]
        for heading, counts, total in (
            ("entity type", self.entities, self.entity_total),
            ("relation type", self.relations, self.relation_total),
        ):
            lines.append(f"{heading:<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
            for name, c in [*counts.items(), ("ALL", total)]:
                lines.append(f"{name:<14}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{c.tp:>6}{c.fp:>6}{c.fn:>6}")
        if self.title_accuracy is not None:
            lines.append(f"holds_post title accuracy: {self.title_accuracy:.3f}")
        if errors:
            order = {"FP": 0, "FN": 1, "RFP": 2, "RFN": 3}
            lines += [" ".join(row) for row in sorted(self.errors, key=lambda row: order[row[0]])]
        lines.append(self.totals())
        return "\n".join(lines)

    def totals(self) -> str:
        return f"entity F1 {self.entity_total.f1:.3f} relation F1 {self.relation_total.f1:.3f}"

    def as_dict(self) -> dict[str, Any]:
        def figures(counts: Mapping[str, Counts], total: Counts) -> dict[str, Any]:
            return {
                name: {"p": c.precision, "r": c.recall, "f1": c.f1, "tp": c.tp, "fp": c.fp, "fn": c.fn}
                for name, c in [*counts.items(), ("ALL", total)]
            }

        return {
            "documents": self.documents,
            "missing_predictions": self.missing,
            "entities": figures(self.entities, self.entity_total),
            "relations": figures(self.relations, self.relation_total),
            "holds_post_title_accuracy": self.title_accuracy,
        }


def _total(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for c in counts:
        total.add(c)
    return total


def _norm(name: object) -> str:
    if name is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(name)).split())


def _names(entity: Mapping[str, Any]) -> set[str]:
    out = {_norm(entity.get("name"))} | {_norm(a) for a in entity.get("aliases") or []}
    out.discard("")
    return out


def match_entities(gold: list[Mapping[str, Any]], pred: list[Mapping[str, Any]]) -> dict[int, int]:
    """Predicted index -> gold index, greedily, an equal name first, else a shared name."""
    used: set[int] = set()
    mapping = {}
    for pi, p in enumerate(pred):
        names = _names(p)
        best = None
        for gi, g in enumerate(gold):
            if gi in used:
                continue
            if _norm(p.get("name")) == _norm(g.get("name")):
                best = gi
                break
            if best is None and names & _names(g):
                best = gi
        if best is not None:
            used.add(best)
            mapping[pi] = best
    return mapping


def _relation_key(rtype: object, head: str, tail: str) -> tuple[str, str, str]:
    if rtype in _SYMMETRIC:
        head, tail = sorted((head, tail))
    return str(rtype), head, tail


def score_document(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> Scores:
    """The counts of one document's prediction (an extractions.jsonl record) against its gold."""
    scores = Scores(documents=1)
    doc_id = str(gold.get("doc_id"))
    ignore = {_norm(x) for x in gold.get("ignore") or []}
    gold_entities = gold.get("entities") or []
    pred_entities = pred.get("entities") or []
    gold_name_of: dict[object, str] = {}
    ignored: set[object] = set()
    for etype in ENTITY_TYPES:
        g = [e for e in gold_entities if e.get("type") == etype]
        p = [e for e in pred_entities if e.get("type") == etype]
        matched = match_entities(g, p)
        unmatched = [pi for pi in range(len(p)) if pi not in matched]
        skipped = {pi for pi in unmatched if _names(p[pi]) & ignore}
        ignored.update(p[pi].get("id") for pi in skipped)
        c = scores.entities[etype]
        c.tp += len(matched)
        c.fp += len(unmatched) - len(skipped)
        c.fn += len(g) - len(matched)
        for pi, gi in matched.items():
            gold_name_of[p[pi].get("id")] = _norm(g[gi]["name"])
        scores.errors += [("FP", doc_id, etype, str(p[pi].get("name"))) for pi in unmatched if pi not in skipped]
        found = set(matched.values())
        scores.errors += [("FN", doc_id, etype, str(e.get("name"))) for gi, e in enumerate(g) if gi not in found]

    gold_relations = {
        _relation_key(r["type"], _norm(r["head"]), _norm(r["tail"])): r for r in gold.get("relations") or []
    }
    pred_relations: dict[tuple[str, str, str], Mapping[str, Any]] = {}
    for r in pred.get("relations") or []:
        if r.get("head") in ignored or r.get("tail") in ignored:
            continue
        head = gold_name_of.get(r.get("head"), f"?{r.get('head')}")
        tail = gold_name_of.get(r.get("tail"), f"?{r.get('tail')}")
        pred_relations.setdefault(_relation_key(r.get("type"), head, tail), r)
    for rtype in RELATION_TYPES:
        g = {k for k in gold_relations if k[0] == rtype}
        p = {k for k in pred_relations if k[0] == rtype}
        c = scores.relations[rtype]
        c.tp += len(g & p)
        c.fp += len(p - g)
        c.fn += len(g - p)
        scores.errors += [("RFP", doc_id, *k) for k in sorted(p - g)]
        scores.errors += [("RFN", doc_id, *k) for k in sorted(g - p)]
        if rtype == str(RelationType.HOLDS_POST):
            for k in g & p:
                gold_title, pred_title = _norm(gold_relations[k].get("title")), _norm(pred_relations[k].get("title"))
                scores.titles_scored += 1
                if gold_title and pred_title and (gold_title in pred_title or pred_title in gold_title):
                    scores.titles_matched += 1
    return scores


def score(gold: Mapping[str, Mapping[str, Any]], pred: Mapping[str, Mapping[str, Any]]) -> Scores:
    """Every gold document scored; one with no prediction counts as predicting nothing."""
    scores = Scores()
    for doc_id, g in gold.items():
        p = pred.get(doc_id)
        one = score_document({**g, "doc_id": g.get("doc_id") or doc_id}, p or {})
        if p is None:
            one.missing.append(doc_id)
        scores.add(one)
    return scores


def load_gold(folder: Path | str) -> dict[str, dict[str, Any]]:
    """Gold documents by doc_id, from a folder of `<doc_id>.json` files. Raises InputError."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder of gold files; give --gold a folder of <doc_id>.json files")
    gold = {}
    for path in sorted(folder.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: not a gold JSON file: {exc}") from exc
        if not isinstance(doc, dict):
            raise InputError(f"{path}: expected a JSON object with doc_id, entities and relations")
        gold[str(doc.get("doc_id") or path.stem)] = doc
    if not gold:
        raise InputError(f"{folder}: holds no <doc_id>.json gold files")
    return gold


def load_predictions(path: Path | str) -> dict[str, dict[str, Any]]:
    """extractions.jsonl records by doc_id (a build folder names its extractions.jsonl). Raises InputError."""
    path = Path(path)
    if path.is_dir():
        path = path / "extractions.jsonl"
    if not path.is_file():
        raise InputError(f"{path}: no such extractions.jsonl; build one first with kg build SOURCES -o OUT")
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the extractions: {exc}") from exc
    pred = {}
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{lineno}: not JSON: {exc.msg}") from exc
        pred[str(record.get("doc_id"))] = record
    return pred
