"""How long the explorer takes to become interactive in headless Chromium, and how large the page is.

The graph is the bundled examples' build copied until it holds --nodes
entities: every entity but the places (which the hierarchy shares) gets its
own IRI and name in each copy, and every copy's officials also visit the
first copy's main park, so the copies connect as a real corpus does. Prints
the time to write the page (layout included), its size, the time from
opening the file to the first drawing with the controls working, and the
time to show every node.

    python bench/explorer.py --nodes 5000
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import kg
from kg import view
from kg.score import load_predictions

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


def synthetic(records: list[dict], nodes: int) -> list[dict]:
    """Copies of `records` renamed until they hold about `nodes` entities."""
    out: list[dict] = []
    per_copy = len({e["id"] for r in records for e in r["entities"] if e["type"] != "Place"})
    hub = None
    copy = 0
    while copy == 0 or len({e["id"] for r in out for e in r["entities"]}) + per_copy <= nodes:
        for r in records:
            renamed = json.loads(json.dumps(r))
            renamed["doc_id"] = f"{r['doc_id']}-{copy}"
            ids = {}
            for e in renamed["entities"]:
                if e["type"] != "Place" and copy:
                    ids[e["id"]] = f"{e['id']}-{copy}"
                    e["name"] = f"{e['name']}{copy}"
                    e["aliases"] = [f"{a}{copy}" for a in e["aliases"]]
                    e["id"] = ids.get(e["id"], e["id"])
                if hub is None and e["type"] == "Park":
                    hub = e["id"]
            for rel in renamed["relations"]:
                rel["head"], rel["tail"] = ids.get(rel["head"], rel["head"]), ids.get(rel["tail"], rel["tail"])
            for c in renamed["co_mentions"]:
                c["a"], c["b"] = ids.get(c["a"], c["a"]), ids.get(c["b"], c["b"])
            for e in renamed["entities"]:
                if e["type"] == "Official" and hub:
                    renamed["relations"].append(
                        {"type": "visited", "head": e["id"], "tail": hub, "evidence": "调研。", "evidence_span": [0, 3]}
                    )
            out.append(renamed)
        copy += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--screenshot", type=Path, help="Save the page as it opens to this PNG file.")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "out"
        kg.build([EXAMPLES], build, kg.BuildOptions(html=False))
        texts = {p.stem: p.read_text(encoding="utf-8") for p in (build / "text").glob("*.txt")}
        records = synthetic(list(load_predictions(build).values()), args.nodes)
        started = time.perf_counter()
        page = view.graph_html(records, lambda d: texts.get(d.rsplit("-", 1)[0], ""))
        written = time.perf_counter() - started
        path = Path(tmp) / "graph.html"
        path.write_text(page, encoding="utf-8")
        data = view.explorer_data(records)
        print(f"nodes {len(data['nodes'])}, facts {len(data['facts'])}, co-mentions {len(data['co'])}")
        print(f"page written in {written:.2f} s (layout included), {path.stat().st_size / 1e6:.2f} MB")
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            tab = browser.new_page(viewport={"width": 1400, "height": 900})
            started = time.perf_counter()
            tab.goto(path.as_uri())
            tab.wait_for_function("window.parkkg && window.parkkg.ready", timeout=600000)
            interactive = time.perf_counter() - started
            shown = tab.evaluate("window.parkkg.visible().length")
            print(f"interactive after {interactive:.2f} s, showing the {shown} most connected entities")
            if args.screenshot:
                tab.screenshot(path=str(args.screenshot))
            started = time.perf_counter()
            tab.evaluate(
                "() => new Promise(done => { const k = window.parkkg; k.network.once('afterDrawing', done);"
                " k.state.shown = k.data.nodes.length; k.refresh(); k.network.redraw(); })"
            )
            print(f"every node shown after {time.perf_counter() - started:.2f} s more")
            started = time.perf_counter()
            tab.fill("#search", "庄兆林3")
            tab.press("#search", "Enter")
            print(f"a search selected {tab.evaluate('window.parkkg.network.getSelectedNodes().length')} node"
                  f" in {time.perf_counter() - started:.2f} s")  # fmt: skip
            browser.close()


if __name__ == "__main__":
    main()
