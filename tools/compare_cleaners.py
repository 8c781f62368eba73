"""Compare trafilatura with parkkg's own cleaner on the seed pages' debris.

The seeds are pages saved as text, chrome included. Each is wrapped into
HTML (one <p> per line) and given to trafilatura; both outputs are scored by
how many gold entities they keep (by name or alias) and by their length:
the article is the same, so extra characters are chrome let through.

    python tools/compare_cleaners.py ../shared/data/articles ../shared/data/gold
"""

import html
import json
import sys
from pathlib import Path

import trafilatura

from kg.clean import clean_text, remove_pinyin_artefacts, to_simplified


def _kept(text: str, names: list[tuple[str, ...]]) -> int:
    return sum(any(n in text for n in forms) for forms in names)


def main(articles: Path, gold: Path) -> None:
    print(f"{'doc':<8}{'ours kept':>10}{'traf kept':>10}{'ours chars':>11}{'traf chars':>11}")
    for path in sorted(articles.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        entities = json.loads((gold / f"{path.stem}.json").read_text(encoding="utf-8"))["entities"]
        names = [(e["name"], *e.get("aliases", ())) for e in entities]
        ours = clean_text(raw)
        page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in raw.splitlines()) + "</body></html>"
        theirs = to_simplified(remove_pinyin_artefacts(trafilatura.extract(page, favor_precision=True) or ""))
        print(
            f"{path.stem[:6]:<8}{_kept(ours, names):>6}/{len(names):<3}{_kept(theirs, names):>6}/{len(names):<3}"
            f"{len(ours):>11}{len(theirs):>11}"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
