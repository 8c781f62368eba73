"""Annotated articles -> Models: the tagger, the relation classifier and the thresholds, fit and measured.

`fit` learns everything extraction decides from articles and their gold
(`kg score`'s format). The gold names only name things, so each name and
alias is found in the cleaned text: the outermost occurrences are the
tagger's first layer, those nested in another entity's name its second.

Priors and the confidence threshold must be measured on articles a model
has not seen: `fit` first fits on each half of the articles and predicts the
other half, then fits on all. `cross_validate` holds out each of k folds of
articles in turn, fitting on the others only, and scores what the held-out
fold gets: the figure that says how the models do on new articles.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import InputError
from .extract import (
    Analysis,
    analyse,
    extract_analysed,
    find_entities,
    heads,
    keep_confident,
    logistic,
    pairs,
    relation_view,
)
from .extract import tagger as tagging
from .extract.candidates import propose
from .extract.logistic import as_features
from .extract.models import Models
from .jsonl import extraction_record, extractions_jsonl
from .merge import merge
from .model import Article, Entity, EntityType, Extraction, RelationType
from .read import read_inputs
from .score import Scores, load_gold, match_entities, score

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
# Thresholds tried for the confidence a fact needs (the one giving the best F1 is kept).
_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))
_BASE_IRI = "https://parkkg.org/id/"
# Inverse L2 penalties of the entity and relation models, chosen by 5-fold cross-validation on
# the training articles over three splits (0.1-10 tried): relations have few positives per type
# and overfit sooner.
ENTITY_C = 1.0
HEAD_C = 1.0
RELATION_C = 0.2
# How many relations of one type a head may keep, tried against keeping all (pairs.likeliest_per_head).
_CAPS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Document:
    """An annotated article: the article, its gold, and what the rules and analysers read of it."""

    article: Article
    gold: dict[str, Any]
    analysis: Analysis

    @property
    def doc_id(self) -> str:
        return self.article.doc_id


def read_annotated(articles: Iterable[Path], gold_dir: Path, progress: Progress | None = None) -> list[Document]:
    """The articles under `articles` that have a gold file in `gold_dir`, analysed. Raises InputError."""
    gold = load_gold(gold_dir)
    read, _ = read_inputs(articles)
    found = [a for a in read if a.doc_id in gold]
    if not found:
        raise InputError(f"{gold_dir}: no gold file is named after an article read (<doc_id>.json)")
    docs = []
    for i, article in enumerate(found, 1):
        if progress:
            progress(f"analysing [{i}/{len(found)}] {article.doc_id}")
        docs.append(Document(article, gold[article.doc_id], analyse(article)))
    return docs


def gold_spans(text: str, gold: dict[str, Any]) -> tuple[tuple[tagging.Span, ...], tuple[tagging.Span, ...]]:
    """Where the gold's entities are named in `text`: (outermost mentions, mentions nested in another's).

    An occurrence inside a longer name of the same entity is part of it (经开区
    in 徐州经开区); one that crosses a longer occurrence loses to it.
    """
    found = []
    for i, entity in enumerate(gold.get("entities") or []):
        etype = EntityType(entity["type"])
        for name in {entity.get("name"), *(entity.get("aliases") or [])}:
            if name:
                found += [(m.start(), m.end(), i, etype) for m in re.finditer(re.escape(name), text)]
    outer, inner = [], []
    for s, e, i, etype in found:
        around = [f for f in found if f[0] <= s and e <= f[1] and f[1] - f[0] > e - s]
        if any(f[2] == i for f in around):
            continue
        if any(f[0] < e and s < f[1] and not (f[0] <= s and e <= f[1]) and f[1] - f[0] > e - s for f in found):
            continue
        (inner if around else outer).append((s, e, etype))
    return tuple(sorted(set(outer))), tuple(sorted(set(inner)))


def _fit_tagger(docs: Sequence[Document], params: dict | None, cache: Path | None = None) -> tagging.EntityTagger:
    examples = []
    for d in docs:
        outer, inner = gold_spans(d.article.text, d.gold)
        examples.append(tagging.Example(d.analysis.text, d.analysis.features, outer, inner))
    return tagging.fit(examples, params, cache)


def _predict(models: Models, docs: Sequence[Document]) -> list[Extraction]:
    return [extract_analysed(d.article, d.analysis, models) for d in docs]


def _records(extractions: Sequence[Extraction]) -> dict[str, dict[str, Any]]:
    return {ex.article.doc_id: extraction_record(ex) for ex in merge(list(extractions), _BASE_IRI)}


def _scores(docs: Sequence[Document], extractions: Sequence[Extraction], min_confidence: float) -> Scores:
    kept = [keep_confident(ex, min_confidence) for ex in extractions]
    return score({d.doc_id: d.gold for d in docs}, _records(kept))


def _best_threshold(docs: Sequence[Document], extractions: Sequence[Extraction]) -> float:
    """The threshold whose F1 (entities' and relations' mean), averaged with its neighbours', is best:
    a peak at one threshold is as often chance as not (on train, the best of 0.30 and 0.35 changes with
    the folds), and a flat stretch holds up on other articles."""
    f1 = []
    for threshold in _THRESHOLDS:
        s = _scores(docs, extractions, threshold)
        f1.append((s.entity_total.f1 + s.relation_total.f1) / 2)
    smoothed = [sum(f1[max(0, i - 1) : i + 2]) / len(f1[max(0, i - 1) : i + 2]) for i in range(len(f1))]
    return max(zip(smoothed, (-t for t in _THRESHOLDS), _THRESHOLDS, strict=True))[2]


def _best_caps(docs: Sequence[Document], extractions: Sequence[Extraction], threshold: float) -> dict[str, int]:
    """For each relation type in turn, the cap on a head's relations of it (see pairs.likeliest_per_head)
    that gives the best relation F1 at `threshold`, if one does better than none. Over three
    cross-validation splits of train, requiring a gain of 0.002 kept fewer caps and did worse."""
    caps: dict[str, int] = {}

    def f1(trial: dict[str, int]) -> float:
        capped = [
            replace(ex, relations=tuple(pairs.likeliest_per_head(list(ex.relations), trial))) for ex in extractions
        ]
        return _scores(docs, capped, threshold).relation_total.f1

    best = f1(caps)
    for rtype in RelationType:
        score, cap = max((f1({**caps, str(rtype): k}), -k) for k in _CAPS)  # on a tie, the tighter cap
        if score > best:
            caps[str(rtype)], best = -cap, score
    return caps


def _gold_keys(entities: Sequence[Entity], gold: dict[str, Any]) -> dict[str, str]:
    """Entity key -> the name of the gold entity it is, matched as the scorer matches them."""
    out = {}
    for etype in EntityType:
        mine = [e for e in entities if e.type is etype]
        theirs = [g for g in gold.get("entities") or [] if g.get("type") == str(etype)]
        records = [{"name": e.name, "aliases": list(e.aliases)} for e in mine]
        for pi, gi in match_entities(theirs, records).items():
            out[mine[pi].key] = theirs[gi]["name"]
    return out


def _stated(gold: dict[str, Any]) -> set[tuple[RelationType, str, str]]:
    stated = set()
    for r in gold.get("relations") or []:
        rtype = RelationType(r["type"])
        stated.add((rtype, r["head"], r["tail"]))
        if rtype is RelationType.SIGNED_WITH:
            stated.add((rtype, r["tail"], r["head"]))
    return stated


Sample = tuple[str, dict[str, float], bool]


def _head_samples(d: Document, models: Models) -> list[Sample]:
    """Each place a company may end in a name `models`' tagger proposes, with whether a gold company ends there."""
    t = d.analysis.text
    proposed = propose(t, models.tagger, d.analysis.features, d.analysis.candidates, d.analysis.lac_tags)
    companies = {
        n
        for g in d.gold.get("entities") or []
        if g.get("type") == "Company"
        for n in (g["name"], *g.get("aliases", []))
    }
    return heads.samples(t, d.analysis.lac_tags, proposed, companies)


def _entity_samples(d: Document, models: Models) -> list[Sample]:
    """The article's proposed entities under `models`' tagger, each with whether it is a gold entity."""
    found = find_entities(d.analysis, models)
    gold_of = _gold_keys(found.entities, d.gold)
    return [(str(e.type), found.features[e.key], e.key in gold_of) for e in found.entities]


def _relation_samples(d: Document, models: Models) -> list[Sample]:
    """The article's relation candidates under `models`' entities, each with whether the gold states it.

    Only pairs of entities that are both gold entities count: the relation
    model says whether the text relates two entities, the entity model whether
    they are entities (a right relation between wrong names teaches nothing).
    """
    found = find_entities(d.analysis, models)
    view, _ = relation_view(d.analysis, found)
    gold_of = _gold_keys(list(view.entities.values()), d.gold)
    stated = _stated(d.gold)
    return [
        (str(rtype), as_features(features), (rtype, gold_of[h], gold_of[t]) in stated)
        for rtype, h, t, features in pairs.samples(view)
        if h in gold_of and t in gold_of
    ]


def fit(
    docs: Sequence[Document],
    params: dict | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    tagger_cache: Path | None = None,
) -> Models:
    """Models fit on `docs` (the taggers' fits kept in, and read from, `tagger_cache`: see tagging.fit).

    Each later stage learns from what the earlier ones make of articles they
    were not fit on: the docs are halved, and each half is read by a tagger fit
    on the other half (and by an entity model fit on the other half's
    entities) when the entity and relation models gather their samples, and
    when the confidence threshold is measured.
    """
    order = sorted(docs, key=lambda d: d.doc_id)
    random.Random(seed).shuffle(order)
    halves = (order[::2], order[1::2])
    stages: list[Models] = []
    head_samples: list[list[Sample]] = []
    for i, (fit_on, held) in enumerate((halves, halves[::-1])):
        if progress:
            progress(f"fitting the tagger on half {i + 1} of 2")
        stages.append(Models(_fit_tagger(fit_on, params, tagger_cache)))
        head_samples.append([s for d in held for s in _head_samples(d, stages[-1])])
    # head_samples[i] are of halves[1 - i]; the model reading half 1 - i is fit on half i's, and so on
    stages = [replace(m, heads=logistic.fit(head_samples[1 - i], HEAD_C)) for i, m in enumerate(stages)]
    entity_samples = [[s for d in halves[1 - i] for s in _entity_samples(d, m)] for i, m in enumerate(stages)]
    stages = [replace(m, entities=logistic.fit(entity_samples[1 - i], ENTITY_C)) for i, m in enumerate(stages)]
    relation_samples = [[s for d in halves[1 - i] for s in _relation_samples(d, m)] for i, m in enumerate(stages)]
    stages = [replace(m, relations=logistic.fit(relation_samples[1 - i], RELATION_C)) for i, m in enumerate(stages)]
    held_docs = [*halves[1], *halves[0]]
    held_out = _predict(stages[0], halves[1]) + _predict(stages[1], halves[0])
    threshold = _best_threshold(held_docs, held_out)
    caps = _best_caps(held_docs, held_out, threshold)
    if progress:
        progress("fitting on every article")
    return Models(
        _fit_tagger(order, params, tagger_cache),
        logistic.fit(head_samples[0] + head_samples[1], HEAD_C),
        logistic.fit(entity_samples[0] + entity_samples[1], ENTITY_C),
        logistic.fit(relation_samples[0] + relation_samples[1], RELATION_C),
        threshold,
        caps,
    )


@dataclass
class CrossValidation:
    """What k-fold cross-validation measured: each fold's scores and their sum."""

    folds: list[Scores] = field(default_factory=list)
    thresholds: list[float] = field(default_factory=list)
    # Each article as the models that did not see it extracted it (its fold's threshold applied).
    predictions: list[Extraction] = field(default_factory=list)
    # The same, every fact kept whatever its confidence.
    unfiltered: list[Extraction] = field(default_factory=list)

    def add(
        self, scores: Scores, threshold: float, predictions: list[Extraction], unfiltered: list[Extraction]
    ) -> None:
        self.folds.append(scores)
        self.thresholds.append(threshold)
        self.predictions.extend(predictions)
        self.unfiltered.extend(unfiltered)

    @property
    def total(self) -> Scores:
        total = Scores()
        for s in self.folds:
            total.add(s)
        return total

    def summary(self) -> dict[str, Any]:
        total = self.total
        return {
            "folds": len(self.folds),
            "documents": total.documents,
            "entity_f1": round(total.entity_total.f1, 4),
            "relation_f1": round(total.relation_total.f1, 4),
            "fold_figures": [
                {
                    "entity_f1": round(s.entity_total.f1, 4),
                    "relation_f1": round(s.relation_total.f1, 4),
                    "min_confidence": t,
                }
                for s, t in zip(self.folds, self.thresholds, strict=True)
            ],  # fmt: skip
            "by_type": total.as_dict(),
        }


def folds_of(docs: Sequence[Document], k: int, seed: int = 0) -> list[list[Document]]:
    """`docs` dealt into `k` folds by article, in a seeded random order."""
    order = sorted(docs, key=lambda d: d.doc_id)
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def cross_validate(
    docs: Sequence[Document],
    k: int = 5,
    params: dict | None = None,
    seed: int = 0,
    jobs: int = 1,
    progress: Progress | None = None,
    tagger_cache: Path | None = None,
) -> CrossValidation:
    """Each fold scored by models fit on the other k-1 folds only (their threshold too).

    With `jobs` above 1, folds are fit in that many processes at once (forked,
    so each starts with the analysed articles); the figures are the same.
    """
    if k < 2 or k > len(docs):
        raise InputError(f"--folds {k}: need 2 to {len(docs)} folds for {len(docs)} annotated articles")
    folds = folds_of(docs, k, seed)
    tasks = [
        ([d for j, fold in enumerate(folds) if j != i for d in fold], held, params, seed, tagger_cache)
        for i, held in enumerate(folds)
    ]
    result = CrossValidation()
    if jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(min(jobs, k)) as pool:
            for i, measured in enumerate(pool.imap(_fold, tasks)):
                if progress:
                    progress(f"fold {i + 1} of {k} measured")
                result.add(*measured)
        return result
    for i, task in enumerate(tasks):
        if progress:
            progress(f"fold {i + 1} of {k}")
        result.add(*_fold(task))
    return result


def _fold(
    task: tuple[list[Document], list[Document], dict | None, int, Path | None],
) -> tuple[Scores, float, list[Extraction], list[Extraction]]:
    fit_on, held, params, seed, tagger_cache = task
    models = fit(fit_on, params, seed, tagger_cache=tagger_cache)
    unfiltered = _predict(models, held)
    kept = [keep_confident(ex, models.min_confidence) for ex in unfiltered]
    return _scores(held, kept, 0.0), models.min_confidence, kept, unfiltered


def train(
    sources: Iterable[Path],
    gold_dir: Path,
    out: Path,
    folds: int = 5,
    seed: int = 0,
    jobs: int = 1,
    progress: Progress | None = None,
    predictions: Path | None = None,
) -> tuple[Models, CrossValidation | None]:
    """Fit models on the annotated articles under `sources` and write them into the folder `out`.

    With `folds` of 2 or more, k-fold cross-validation measures them first
    (its figures go into decisions.json under `about`), and `predictions`
    names a file to write each article's held-out extraction to (the format
    of extractions.jsonl, for `kg score --errors`). Returns the models and
    the cross-validation. Raises InputError for unusable articles or gold.
    """
    from importlib.metadata import version

    docs = read_annotated(list(sources), gold_dir, progress)
    validation = cross_validate(docs, folds, seed=seed, jobs=jobs, progress=progress) if folds > 1 else None
    models = fit(docs, seed=seed, progress=progress)
    if validation is not None:
        # The threshold that gives the best F1 over every article as models fit on 4/5 of them read it:
        # a fit's own threshold is measured on halves, whose weaker models are calibrated otherwise.
        models = replace(models, min_confidence=_best_threshold(docs, validation.unfiltered))
    about: dict[str, Any] = {
        "parkkg": version("parkkg"),
        "documents": len(docs),
        "gold": gold_dir.name,
        "seed": seed,
        "tagger": tagging.DEFAULT_PARAMS,
    }
    if validation is not None:
        about["cross_validation"] = validation.summary()
    models = replace(models, about=about)
    models.write(out)
    if validation is not None and predictions is not None:
        held_out = merge(sorted(validation.predictions, key=lambda ex: ex.article.doc_id), _BASE_IRI)
        predictions.write_bytes(extractions_jsonl(held_out))
    return models, validation
