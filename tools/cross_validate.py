"""Cross-validation over several splits of the annotated articles: the figure a change to extraction is judged by.

    python tools/cross_validate.py ../shared/data/train --save before.json
    (change the code)
    python tools/cross_validate.py ../shared/data/train --against before.json

For each seed, the articles are dealt into --folds folds (split by article)
and each fold is scored by models fit on the others only, thresholds
included, as `kg train` measures them; nothing is written into the package.
Prints the entity and relation F1 of each split, their means and the F1 of
each type, and with --against the differences from a saved run. One split
moves by up to 0.008 when nothing changed, so a change counts when it gains
on the mean and on most splits.

The taggers' fits are kept in --tagger-cache (default: .cache/taggers under
the repository): a change to the entity or relation models, or to the
pairs' features, refits only those: three splits took 1 min 37 s here,
against 4 min 42 s with every tagger fit afresh. A change to what the
tagger reads (the lexicon, the rules' candidates) misses the cache and
refits the taggers by itself.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kg import train

ROOT = Path(__file__).resolve().parent.parent


def measure(articles: Path, gold: Path, seeds: list[int], folds: int, jobs: int, cache: Path) -> dict:
    docs = train.read_annotated(sorted(articles.iterdir()), gold)
    splits = {}
    for seed in seeds:
        started = time.perf_counter()
        total = train.cross_validate(docs, folds, seed=seed, jobs=jobs, tagger_cache=cache).total
        splits[str(seed)] = {
            "entity_f1": round(total.entity_total.f1, 4),
            "relation_f1": round(total.relation_total.f1, 4),
            "by_type": {name: round(c.f1, 4) for name, c in {**total.entities, **total.relations}.items()},
        }
        print(
            f"seed {seed}: entity F1 {total.entity_total.f1:.4f} relation F1 {total.relation_total.f1:.4f}"
            f" ({time.perf_counter() - started:.0f} s)",
            file=sys.stderr,
        )
    return {"documents": len(docs), "folds": folds, "splits": splits, "mean": _mean(list(splits.values()))}


def _mean(splits: list[dict]) -> dict:
    names = splits[0]["by_type"]
    return {
        "entity_f1": round(sum(s["entity_f1"] for s in splits) / len(splits), 4),
        "relation_f1": round(sum(s["relation_f1"] for s in splits) / len(splits), 4),
        "by_type": {n: round(sum(s["by_type"][n] for s in splits) / len(splits), 4) for n in names},
    }


def report(run: dict, against: dict | None) -> str:
    def delta(now: float, before: float | None) -> str:
        return "" if before is None else f" ({now - before:+.4f})"

    lines = [f"{run['documents']} articles, {run['folds']} folds"]
    for seed, s in run["splits"].items():
        old = (against or {}).get("splits", {}).get(seed, {})
        lines.append(
            f"seed {seed:<4} entity {s['entity_f1']:.4f}{delta(s['entity_f1'], old.get('entity_f1'))}"
            f"  relation {s['relation_f1']:.4f}{delta(s['relation_f1'], old.get('relation_f1'))}"
        )
    # means compare only over the same splits
    same_splits = against is not None and against["splits"].keys() == run["splits"].keys()
    mean, old = run["mean"], against["mean"] if same_splits else {}
    lines.append(
        f"mean      entity {mean['entity_f1']:.4f}{delta(mean['entity_f1'], old.get('entity_f1'))}"
        f"  relation {mean['relation_f1']:.4f}{delta(mean['relation_f1'], old.get('relation_f1'))}"
    )
    for name, f1 in mean["by_type"].items():
        lines.append(f"  {name:<14}{f1:.4f}{delta(f1, old.get('by_type', {}).get(name))}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("annotated", type=Path, help="a folder holding articles/ and gold/ (../shared/data/train)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--tagger-cache", type=Path, default=ROOT / ".cache" / "taggers")
    parser.add_argument("--save", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--against", type=Path, help="a JSON file --save wrote: print the differences from it")
    args = parser.parse_args()
    against = json.loads(args.against.read_text()) if args.against else None
    run = measure(
        args.annotated / "articles", args.annotated / "gold", args.seeds, args.folds, args.jobs, args.tagger_cache
    )
    print(report(run, against))
    if args.save:
        args.save.write_text(json.dumps(run, indent=1) + "\n")


if __name__ == "__main__":
    main()
