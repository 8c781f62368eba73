"""Extraction time against article length: one article of 100 KB, 500 KB and 2 MB.

    python bench/long_article.py [SIZES_IN_KB...]   (default: 100 500 2048)

Each article is the training articles' cleaned texts run together (so its
density of names is a real one) and cut to the size, in UTF-8 bytes. Prints
the seconds each takes and the time per thousand characters: when extraction
is linear in the length of an article, that last column stays flat.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kg.extract import extract
from kg.model import Article
from kg.read import read_inputs

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sizes = [int(x) for x in sys.argv[1:]] or [100, 500, 2048]
    articles, _ = read_inputs([ROOT.parent / "shared" / "data" / "train" / "articles"])
    body = "\n".join(a.text for a in articles)
    extract(Article("warm-up", "-", articles[0].text))  # models and dictionaries loaded before timing
    print(f"{'size':>8}  {'characters':>10}  {'seconds':>8}  {'ms per 1,000 characters':>24}")
    per_char = []
    for kb in sizes:
        text = (
            (body * (kb * 1024 // len(body.encode("utf-8")) + 2)).encode("utf-8")[: kb * 1024].decode("utf-8", "ignore")
        )
        started = time.perf_counter()
        ex = extract(Article(f"long-{kb}", "-", text))
        seconds = time.perf_counter() - started
        per_char.append(seconds / len(text))
        print(f"{kb:>6} KB  {len(text):>10,}  {seconds:8.1f}  {seconds / len(text) * 1e6:24.1f}"
              f"   ({len(ex.entities)} entities, {len(ex.relations)} relations)", flush=True)  # fmt: skip
    print(f"time per character, largest against smallest: {per_char[-1] / per_char[0]:.2f}x (1.00x is linear)")


if __name__ == "__main__":
    main()
