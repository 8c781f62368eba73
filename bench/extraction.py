"""Extraction speed: documents per second over a folder of articles, and where the time goes.

    python bench/extraction.py [ARTICLES]   (default: ../shared/data/train/articles)

Reads every article once, then times each stage of extraction over all of
them in this process: jieba's words, the rules, LAC (the NER model), the
character features, the tagger with the entity model, the relation model.
Prints figures, asserts nothing.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg import lac, segment
from kg.extract import Analysis, find_entities, pairs, places, relation_view, rule_mentions
from kg.extract.logistic import LogisticModel
from kg.extract.models import shipped_models
from kg.extract.tagger import char_features
from kg.extract.text import Text
from kg.read import read_inputs

ROOT = Path(__file__).resolve().parent.parent
clock: Counter[str] = Counter()


@contextmanager
def timing(stage: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    clock[stage] += time.perf_counter() - started


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "train" / "articles"
    with timing("reading and cleaning"):
        articles, _ = read_inputs([folder])
    models = shipped_models()
    relation_model = LogisticModel(models.relations)
    segment.tokens("预热")  # load jieba's dictionary and LAC's weights before timing
    lac.char_tags("预热")
    for article in articles:
        with timing("jieba words"):
            t = Text(article.text)
            _ = t.words
        with timing("rules"):
            context = places.infer_context(t, article.title)
            candidates, chains = rule_mentions(t, context)
        with timing("LAC"):
            reading = lac.read(article.text)
        with timing("features"):
            features = char_features(t, reading.tags, candidates)
        a = Analysis(t, context, tuple(candidates), tuple(chains), tuple(reading.tags), reading.names, features)
        with timing("tagger, entity model"):
            found = find_entities(a, models)
        with timing("relation model"):
            view, _ = relation_view(a, found)
            pairs.decide(view, relation_model)
    n, characters = len(articles), sum(len(a.text) for a in articles)
    extraction = sum(seconds for stage, seconds in clock.items() if stage != "reading and cleaning")
    print(f"{n} articles, {characters:,} characters, from {folder}")
    print(f"reading and cleaning: {clock['reading and cleaning']:.2f} s")
    print(
        f"extraction: {extraction:.2f} s, {n / extraction:.1f} documents/s, {characters / extraction:,.0f} characters/s"
    )
    for stage, seconds in clock.items():
        if stage != "reading and cleaning":
            print(f"  {stage:<22} {seconds:7.2f} s  {seconds / extraction:6.1%}")
    print(f"share of extraction in the NER model (LAC): {clock['LAC'] / extraction:.1%}")


if __name__ == "__main__":
    main()
