"""graph.html, the explorer: driven in a real headless Chromium (the system's, through Playwright)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from kg import view
from kg.errors import InputError
from kg.score import load_predictions

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
# Where the tests leave the screenshots to look at (not committed; CI may keep them).
ARTEFACTS = Path(os.environ.get("KG_TEST_ARTEFACTS", Path(__file__).parent.parent / "out" / "test-artefacts"))
_REMOTE_SOURCE = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=", re.I)


def test_view_page_holds_everything_it_needs(examples_build):
    out, _ = examples_build
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert not _REMOTE_SOURCE.search(page)  # nothing loaded from anywhere, the library inlined
    assert "default-src 'none'" in page
    assert "new vis.Network" not in page.split('id="graph-data"')[0]  # data first, then the library and app


def test_view_data_escapes_markup_and_knows_traditional_forms():
    records = [_record("d1", [("Company", "<img src=x onerror=alert(1)>有限公司"), ("Park", "徐州经济技术开发区")])]
    page = view.graph_html(records)
    data = page.split('<script type="application/json" id="graph-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and "\\u003cimg" in data
    nodes = {n["name"]: n for n in json.loads(data)["nodes"]}
    assert "徐州經濟技術開發區" in nodes["徐州经济技术开发区"]["search"]


def test_view_focus_and_city_keep_a_part(examples_build):
    out, _ = examples_build
    whole = view.explorer_data(load_predictions(out).values())
    focused = view.explorer_data(load_predictions(out).values(), focus="徐州经开区", hops=1)
    names = {n["name"] for n in focused["nodes"]}
    assert "徐州经济技术开发区" in names and "庄兆林" in names
    assert len(names) < len(whole["nodes"])
    city = view.explorer_data(load_predictions(out).values(), city="镇江")
    assert {n["city"] for n in city["nodes"]} == {"镇江市"}
    with pytest.raises(InputError, match="no entity of that name"):
        view.explorer_data(load_predictions(out).values(), focus="不存在的园区")


def _record(doc_id: str, entities: list[tuple[str, str]], sentence: str = "某句。") -> dict:
    ids = [f"https://parkkg.org/id/{t.lower()}/{quote(n)}" for t, n in entities]
    return {
        "doc_id": doc_id,
        "title": doc_id,
        "date": "2024-01-02",
        "city": "徐州市",
        "entities": [
            {"id": iri, "type": t, "name": n, "aliases": [n + "别名"], "mentions": [], "confidence": 0.9}
            for iri, (t, n) in zip(ids, entities, strict=True)
        ],
        "relations": [
            {
                "type": "located_in",
                "head": ids[0],
                "tail": ids[1],
                "evidence": sentence,
                "evidence_span": [0, 3],
                "confidence": 0.8,
            }
        ],  # fmt: skip
        "co_mentions": [],
    }


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


class _Page:
    """A page opened from disk, with every request and console message it makes recorded."""

    def __init__(self, browser, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.parkkg && window.parkkg.ready", timeout=60000)

    def visible_types(self) -> set[str]:
        return set(self.page.evaluate("window.parkkg.visible().map(i => window.parkkg.data.nodes[i].type)"))

    def search(self, text: str) -> None:
        self.page.fill("#search", text)
        self.page.press("#search", "Enter")


@needs_chromium
def test_view_explorer_in_chromium(browser, examples_build):
    out, _ = examples_build
    records = load_predictions(out)
    iris = {e["id"] for r in records.values() for e in r["entities"]}
    p = _Page(browser, out / "graph.html")
    assert p.page.evaluate("window.parkkg.data.nodes.length") == len(iris)
    assert len(p.page.evaluate("window.parkkg.visible()")) == len(iris)  # a small graph is shown whole

    # the search box, typed in Traditional, selects the node and opens its panel with evidence
    p.search("徐州經開區")
    selected = p.page.evaluate("window.parkkg.network.getSelectedNodes().map(i => window.parkkg.data.nodes[i].name)")
    assert selected == ["徐州经济技术开发区"]
    panel = p.page.inner_text("#panel")
    assert panel.startswith("×\n徐州经济技术开发区") or "徐州经济技术开发区" in panel.splitlines()[1]
    assert "江苏省 › 徐州市" in panel
    evidence = {r["evidence"] for rec in records.values() for r in rec["relations"]}
    shown = p.page.eval_on_selector_all("#panel blockquote", "els => els.map(e => e.textContent)")
    assert shown and set(shown) <= evidence

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    p.page.screenshot(path=str(ARTEFACTS / "explorer.png"))

    # a type filter hides that type, and shows it again
    assert "Official" in p.visible_types()
    p.page.uncheck('input[data-type="Official"]')
    assert "Official" not in p.visible_types()
    p.page.check('input[data-type="Official"]')
    assert "Official" in p.visible_types()

    # co-mentions are hidden until asked for
    edges = p.page.evaluate("window.parkkg.network.body.data.edges.getIds()")
    assert edges and not [e for e in edges if e.startswith("c")]
    p.page.check('input[data-relation="co_mention"]')
    edges = p.page.evaluate("window.parkkg.network.body.data.edges.getIds()")
    assert [e for e in edges if e.startswith("c")]

    assert [u for u in p.requests if not u.startswith("file://")] == []
    assert p.errors == []


@needs_chromium
def test_view_injected_markup_is_shown_as_text_and_never_runs(browser, tmp_path):
    attacks = [
        "<img src=x onerror=window.pwned=1>有限公司",
        "<script>window.pwned=2</script>产业园",
        '"><svg onload=window.pwned=3>项目',
        "href<a href=javascript:window.pwned=4>x</a>公司",
    ]
    records = [
        _record(
            f"d{i}",
            [("Company", name), ("Park", f"园区{i}号产业园")],
            sentence=f"句子{name}<b onmouseover=window.pwned=5>",
        )
        for i, name in enumerate(attacks)
    ]
    page = tmp_path / "graph.html"
    page.write_text(view.graph_html(records), encoding="utf-8")
    p = _Page(browser, page)
    for name in attacks:
        p.search(name[:8])
        node = p.page.evaluate("window.parkkg.network.getSelectedNodes()")[0]
        pos = p.page.evaluate(f"window.parkkg.network.canvasToDOM(window.parkkg.network.getPosition({node}))")
        p.page.mouse.move(pos["x"], pos["y"] + 45)  # hover it, as the old page's tooltips ran markup on hover
        assert name in p.page.inner_text("#panel")
        assert p.page.query_selector("#panel img, #panel svg, #panel script, #panel a, #panel b") is None
    assert p.page.evaluate("window.pwned") is None
    assert p.errors == [] and [u for u in p.requests if not u.startswith("file://")] == []


@needs_chromium
def test_view_a_large_graph_opens_on_its_most_connected_entities(browser, tmp_path):
    hub = [("Park", "中心产业园")]
    records = [_record(f"d{i}", [("Company", f"企业{i}有限公司"), *hub]) for i in range(view.STEP + 50)]
    page = tmp_path / "graph.html"
    page.write_text(view.graph_html(records), encoding="utf-8")
    p = _Page(browser, page)
    total = p.page.evaluate("window.parkkg.data.nodes.length")
    assert total == view.STEP + 51
    shown = p.page.evaluate("window.parkkg.visible()")
    assert len(shown) == view.STEP and 0 in shown  # the hub, most connected, is node 0
    p.page.click("#more")
    assert len(p.page.evaluate("window.parkkg.visible()")) == total
    assert p.page.is_disabled("#more")


def test_view_kg_html_writes_a_part_of_a_build(examples_build, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    out, _ = examples_build
    page = tmp_path / "xuzhou.html"
    result = CliRunner().invoke(main, ["html", str(out), "--focus", "徐州經開區", "--hops", "1", "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {page}\n"
    data = json.loads(page.read_text(encoding="utf-8").split('id="graph-data">', 1)[1].split("</script>", 1)[0])
    assert {"徐州经济技术开发区", "庄兆林"} <= {n["name"] for n in data["nodes"]}
    assert "徐曙海" not in {n["name"] for n in data["nodes"]}  # 镇江's mayor lies elsewhere
    missing = CliRunner().invoke(main, ["html", str(out), "--city", "拉萨市", "-o", str(page)])
    assert missing.exit_code == 1
    assert missing.stderr == "Error: --city 拉萨市: no entity of the build is in that city\n"


@needs_chromium
def test_view_an_article_with_markup_in_its_names_builds_a_page_that_runs_none(browser, tmp_path):
    import kg

    src = tmp_path / "a.txt"
    src.write_text(
        "徐州经济技术开发区引进项目\n8月7日,市委书记庄兆林到徐州经济技术开发区调研,先后到"
        "<img src=x onerror=window.pwned=1>科技有限公司、<script>window.pwned=2</script>电子有限公司"
        "等企业,详细了解项目建设情况。",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    kg.build([src], out)
    p = _Page(browser, out / "graph.html")
    for i in range(p.page.evaluate("window.parkkg.data.nodes.length")):
        p.page.evaluate(f"window.parkkg.select({i})")
    assert p.page.evaluate("window.pwned") is None
    assert p.errors == [] and [u for u in p.requests if not u.startswith("file://")] == []
