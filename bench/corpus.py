"""A synthetic corpus as large as wanted, made from the real annotated articles.

Each generated article takes the headline and opening paragraphs of one real
article (seed, dev or train) and the later paragraphs of another, and renames
what the gold names: places become other divisions of the same level from the
gazetteer (their short forms follow: 徐州 -> 常州 when 徐州市 -> 常州市), persons
get other names (a surname and one or two given characters), and the brand of
a park, company, organisation or project (the characters before its kind word,
after any place) becomes another. Names recur across articles as in a real
corpus: the n-th renaming of one original name makes a new name with
probability ALPHA / (ALPHA + n), and reuses an earlier one otherwise (a
Chinese restaurant process), so that the number of distinct entities keeps
growing with the corpus, ever more slowly. Deterministic for a seed.

    python bench/corpus.py 10000 /tmp/corpus --seed 0
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from kg.extract import lexicon
from kg.gazetteer import gazetteer

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SETS = [
    (SHARED / "articles", SHARED / "gold"),
    (SHARED / "dev" / "articles", SHARED / "dev" / "gold"),
    (SHARED / "train" / "articles", SHARED / "train" / "gold"),
]
# How readily a name gets a new replacement rather than an earlier one.
ALPHA = 3.0
# Characters of given names and of brands (common, and no kind words among them).
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国文辉志红春海波宁晓东林峰云鹏飞宇浩博凯瑞"
BRAND = "鑫泰恒瑞华达通宏昌盛祥和丰源嘉禾永德信诚联创锦润新天亿利兴隆精航汇金博远鼎晟凯宸睿"


@dataclass(frozen=True)
class Source:
    name: str
    paragraphs: list[str]
    entities: list[dict]


def sources() -> list[Source]:
    """The real articles that have gold, with their paragraphs and gold entities."""
    out = []
    for articles, gold in SETS:
        for path in sorted(articles.glob("*.txt")):
            annotation = gold / f"{path.stem}.json"
            if not annotation.is_file():
                continue
            paragraphs = [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
            out.append(Source(path.stem, paragraphs, json.loads(annotation.read_text(encoding="utf-8"))["entities"]))
    return out


class Renamer:
    """Replacement names by kind, recurring across the corpus by a Chinese restaurant process."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.drawn: dict[tuple[str, str], list[str]] = defaultdict(list)  # (kind, original) -> replacements made
        gz = gazetteer()
        self.divisions: dict[str, list] = defaultdict(list)
        for d in sorted(gz.by_code.values(), key=lambda d: d.code):
            if d.short:
                self.divisions[str(d.level)].append(d)
        self.surnames = sorted(s for s in lexicon.SURNAMES if len(s) == 1)

    def _recur(self, kind: str, original: str, make) -> str:
        earlier = self.drawn[kind, original]
        if earlier and self.rng.random() >= ALPHA / (ALPHA + len(earlier)):
            return self.rng.choice(earlier)
        new = make()
        earlier.append(new)
        return new

    def division(self, name: str, level: str):
        pool = self.divisions.get(level) or self.divisions["county"]
        code = self._recur("place", name, lambda: self.rng.choice(pool).code)
        return gazetteer().by_code[code]

    def person(self, name: str) -> str:
        def make() -> str:
            given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
            return self.rng.choice(self.surnames) + given

        return self._recur("person", name, make)

    def brand(self, brand: str) -> str:
        return self._recur("brand", brand, lambda: "".join(self.rng.choice(BRAND) for _ in brand))


_KIND_WORDS = tuple(
    sorted(
        {*lexicon.PARK_SUFFIXES, *lexicon.COMPANY_SUFFIXES, *lexicon.ORGANIZATION_SUFFIXES, "项目", "工程"},
        key=len,
        reverse=True,
    )
)


def renaming(entities: list[dict], renamer: Renamer) -> dict[str, str]:
    """Old name -> new name for every name and alias of an article's gold entities."""
    out: dict[str, str] = {}
    for e in entities:
        if e["type"] == "Place":
            new = renamer.division(e["name"], e.get("level") or "county")
            out[e["name"]] = new.name
            old_short = short(e["name"])
            if old_short and new.short:
                out.setdefault(old_short, new.short)
            for alias in e.get("aliases") or []:
                out.setdefault(alias, new.short or new.name)
        elif e["type"] in ("Official", "Person"):
            new = renamer.person(e["name"])
            for name in (e["name"], *(e.get("aliases") or [])):
                out.setdefault(name, new)
    for e in entities:
        if e["type"] in ("Park", "Company", "Organization", "Project"):
            for name in (e["name"], *(e.get("aliases") or [])):
                out.setdefault(name, rebrand(substituted(name, out), renamer))
    return out


def short(name: str) -> str | None:
    found = gazetteer().by_full_name(name)
    return found[0].short if found else None


def rebrand(name: str, renamer: Renamer) -> str:
    """`name` with the two characters after its leading place and before its kind word renamed
    (none when nothing but a place stands before the kind: 甘孜藏族自治州|高新区)."""
    head = re.match(r"^[\u4e00-\u9fff]+", name)
    if not head:
        return name
    stem = head.group()
    for kind in _KIND_WORDS:
        if stem.endswith(kind) and len(stem) > len(kind):
            stem = stem[: -len(kind)]
            break
    start = 0
    for length in range(min(len(stem), gazetteer().max_name_length), 1, -1):
        if gazetteer().is_name(stem[:length]):
            start = length
            break
    brand = stem[start : start + 2]
    if len(brand) < 2:
        return name
    return name[:start] + renamer.brand(brand) + name[start + 2 :]


def substituted(text: str, names: dict[str, str]) -> str:
    """`text` with every old name replaced by its new one, longest first, in one pass."""
    if not names:
        return text
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return pattern.sub(lambda m: names[m.group()], text)


def generate(count: int, folder: Path, seed: int = 0) -> list[Path]:
    """`count` synthetic articles in `folder`, the same ones for the same seed; returns their paths."""
    rng = random.Random(seed)
    renamer = Renamer(rng)
    pool = sources()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        first, second = rng.choice(pool), rng.choice(pool)
        cut = max(2, len(first.paragraphs) // 2)
        paragraphs = first.paragraphs[:cut] + second.paragraphs[max(1, len(second.paragraphs) // 2) :]
        names = renaming(first.entities, renamer)
        for old, new in renaming(second.entities, renamer).items():
            names.setdefault(old, new)
        path = folder / f"{i:06d}.txt"
        path.write_text(substituted("\n\n".join(paragraphs), names) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    paths = generate(args.count, args.folder, args.seed)
    size = sum(p.stat().st_size for p in paths) / 1e6
    print(f"{len(paths)} articles, {size:.1f} MB, in {args.folder}")


if __name__ == "__main__":
    main()
