"""graph.html: the explorer, one page that opens from disk with no server and no network.

The page is vis-network (inlined from the copy pyvis ships), the graph as
JSON inside a <script type="application/json"> element, and a small script
that draws the controls and the side panel with createElement and
textContent only: no text taken from an article ever reaches innerHTML, and
the JSON escapes `<`, so a name like `<img src=x onerror=…>` is shown as
text. A Content-Security-Policy forbids every request the page could make.

Nodes are placed beforehand (layout.py) and physics is off, so a large
graph opens settled; it opens on its most connected entities, STEP at a
time, with a control to show more. Co-mentions (two names in one sentence)
are hidden until asked for, the strongest CO_MENTION_LIMIT of them kept.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from .clean import to_simplified
from .errors import InputError
from .gazetteer import gazetteer
from .layout import layout, pieces
from .model import EntityType, RelationType
from .network import document_text, find
from .score import load_predictions

COLOURS = {
    EntityType.PARK: "#2e7d32",
    EntityType.PLACE: "#1565c0",
    EntityType.OFFICIAL: "#c62828",
    EntityType.PERSON: "#ef6c00",
    EntityType.COMPANY: "#6a1b9a",
    EntityType.PROJECT: "#00838f",
    EntityType.ORGANIZATION: "#5d4037",
}
TYPE_LABELS = {
    EntityType.PARK: "园区 Park",
    EntityType.PLACE: "地点 Place",
    EntityType.OFFICIAL: "官员 Official",
    EntityType.PERSON: "人物 Person",
    EntityType.COMPANY: "企业 Company",
    EntityType.PROJECT: "项目 Project",
    EntityType.ORGANIZATION: "机构 Organization",
}
RELATION_LABELS = {
    RelationType.HOLDS_POST: "任职",
    RelationType.VISITED: "调研",
    RelationType.LOCATED_IN: "位于",
    RelationType.INVESTS_IN: "投资",
    RelationType.SIGNED_WITH: "签约",
}
# Nodes the page shows at first, and adds with each "show more".
STEP = 400
# Co-mention edges kept in the page, the strongest first (they are most of a large graph's edges).
CO_MENTION_LIMIT = 20000
# Evidence sentences kept per fact and per co-mention.
EVIDENCE_PER_FACT, EVIDENCE_PER_CO_MENTION = 20, 3


def graph_html(
    records: Iterable[Mapping[str, Any]],
    text_of: Callable[[str], str] | None = None,
    focus: str | None = None,
    hops: int = 2,
    city: str | None = None,
) -> str:
    """The explorer page of the documents' extraction records (extractions.jsonl's).

    `text_of(doc_id)` gives a document's text, for the sentences of co-mentions.
    `focus` keeps the entity of that name and what lies within `hops` facts of it;
    `city` the entities of that city. Raises InputError when either names nothing.
    """
    data = explorer_data(records, text_of, focus, hops, city)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # inside <script>: no "<" may open a tag, and U+2028/9 end no line
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        payload = payload.replace(raw, escaped)
    title = "parkkg · " + (focus or city or "graph")
    page = _asset("explorer.html")
    for marker, value in (
        ("/*TITLE*/", _escape_text(title)),
        ("/*STYLE*/", _asset("explorer.css")),
        ("/*DATA*/", payload),
        ("/*VIS*/", _vis_network()),
        ("/*APP*/", _asset("explorer.js")),
    ):
        page = page.replace(marker, value, 1)
    return page


def build_page(out: Path, focus: str | None = None, hops: int = 2, city: str | None = None) -> str:
    """The explorer page of the build in `out` (its extractions.jsonl and text/). Raises InputError."""
    records = load_predictions(out).values()
    return graph_html(records, lambda doc_id: document_text(out, doc_id), focus, hops, city)


def explorer_data(
    records: Iterable[Mapping[str, Any]],
    text_of: Callable[[str], str] | None = None,
    focus: str | None = None,
    hops: int = 2,
    city: str | None = None,
) -> dict[str, Any]:
    """What the page draws: nodes with their positions, facts and co-mentions with their evidence."""
    corpus = _Corpus(records, text_of)
    keep = set(corpus.entities)
    if focus is not None:
        keep = corpus.neighbourhood(focus, hops)
    if city is not None:
        keep &= corpus.of_city(city)
    return corpus.data(keep)


class _Corpus:
    """The merged graph of every record: entities by IRI, facts, co-mentions, and the sentences behind them."""

    def __init__(self, records: Iterable[Mapping[str, Any]], text_of: Callable[[str], str] | None) -> None:
        self.entities: dict[str, dict[str, Any]] = {}
        self.docs: list[list[Any]] = []
        self.sentences: dict[str, int] = {}
        # (head, tail, type, title) -> [how many documents state it, the evidence of the first few]
        self.facts: dict[tuple[str, str, str, str], list[Any]] = defaultdict(lambda: [0, []])
        self.co: dict[tuple[str, str], list[Any]] = {}
        cities: dict[str, Counter[str]] = defaultdict(Counter)
        for record in records:
            doc = len(self.docs)
            self.docs.append([record["doc_id"], record.get("title") or "", record.get("date") or ""])
            for e in record.get("entities", []):
                node = self.entities.setdefault(
                    e["id"], {"name": e["name"], "type": e["type"], "aliases": set(), "docs": 0, "code": e.get("code")}
                )
                if e["type"] == "Official":  # one post anywhere makes an official, as in graph.ttl
                    node["type"] = "Official"
                if len(e["name"]) > len(node["name"]):
                    node["name"] = e["name"]
                node["aliases"].update([e["name"], *e.get("aliases", [])])
                node["docs"] += 1
                if record.get("city"):
                    cities[e["id"]][record["city"]] += 1
            for r in record.get("relations", []):
                key = (r["head"], r["tail"], r["type"], r.get("title") or "")
                fact = self.facts[key]
                fact[0] += 1
                if len(fact[1]) < EVIDENCE_PER_FACT:
                    fact[1].append(
                        [self._sentence(r.get("evidence", "")), doc, r.get("date") or "", r.get("confidence")]
                    )
            text = text_of(record["doc_id"]) if text_of and record.get("co_mentions") else ""
            for c in record.get("co_mentions", []):
                pair = (min(c["a"], c["b"]), max(c["a"], c["b"]))
                entry = self.co.setdefault(pair, [0, []])
                entry[0] += 1
                if text and len(entry[1]) < EVIDENCE_PER_CO_MENTION:
                    start, end = c["sentence_span"]
                    entry[1].append([self._sentence(text[start:end].strip()), doc])
        gz = gazetteer()
        for iri, node in self.entities.items():
            division = gz.by_code.get(node["code"]) if node["code"] else None
            if division is not None:
                chain = [division, *gz.ancestors(division)]
                node["path"] = [d.name for d in reversed(chain)]
                home = gz.city_of(division)
                node["city"] = home.name if home else ""
            else:
                node["city"] = cities[iri].most_common(1)[0][0] if cities[iri] else ""
                node["path"] = []
        # an entity in a place takes that place's path (a park in 丹徒区: 江苏省 › 镇江市 › 丹徒区)
        for head, tail, rtype, _ in self.facts:
            if rtype == "located_in" and not self.entities[head]["path"] and self.entities[tail]["path"]:
                self.entities[head]["path"] = self.entities[tail]["path"]
        for node in self.entities.values():
            if not node["path"] and node["city"]:
                found = gz.by_full_name(node["city"])
                if len(found) == 1:
                    node["path"] = [d.name for d in reversed([found[0], *gz.ancestors(found[0])])]

    def _sentence(self, sentence: str) -> int:
        return self.sentences.setdefault(sentence, len(self.sentences))

    def fact_graph(self) -> nx.Graph:
        g = nx.Graph()
        g.add_nodes_from(self.entities.items())  # network.find reads their name, type and aliases
        g.add_edges_from((h, t) for h, t, _, _ in self.facts if h != t)
        return g

    def neighbourhood(self, name: str, hops: int) -> set[str]:
        g = self.fact_graph()
        try:
            centre = find(g, name)
        except InputError as exc:
            raise InputError(f"--focus {exc}") from exc
        return set(nx.ego_graph(g, centre, radius=hops))

    def of_city(self, name: str) -> set[str]:
        name = to_simplified(name.strip())
        divisions = gazetteer().lookup(name)
        names = {name} | {d.name for d in divisions}
        found = {i for i, n in self.entities.items() if n["city"] in names}
        if not found:
            raise InputError(f"--city {name}: no entity of the build is in that city")
        return found

    def data(self, keep: set[str]) -> dict[str, Any]:
        facts = [(k, ev) for k, ev in sorted(self.facts.items()) if k[0] in keep and k[1] in keep]
        degree: Counter[str] = Counter()
        for (h, t, _, _), _ in facts:
            if h != t:
                degree[h] += 1
                degree[t] += 1
        co = sorted(
            ((pair, n, ev) for pair, (n, ev) in self.co.items() if pair[0] in keep and pair[1] in keep),
            key=lambda x: (-x[1], x[0]),
        )
        co_total = len(co)
        co = co[:CO_MENTION_LIMIT]
        co_degree: Counter[str] = Counter()
        for (a, b), n, _ in co:
            co_degree[a] += n
            co_degree[b] += n
        # the largest connected pieces first, the most connected first within each: the page shows the
        # first STEP, so it opens on one readable region rather than on hubs scattered over the layout
        weights = [(h, t, 1.0) for (h, t, _, _), _ in facts] + [(a, b, 0.2) for (a, b), _, _ in co]
        rank = sorted(keep, key=lambda i: (-degree[i], -co_degree[i], -self.entities[i]["docs"], i))
        connected = pieces(rank, weights)
        order = [iri for piece in connected for iri in piece]
        index = {iri: k for k, iri in enumerate(order)}
        piece_of = {iri: k for k, piece in enumerate(connected) for iri in piece}
        pos = layout(order, weights)
        nodes = []
        for iri in order:
            n = self.entities[iri]
            aliases = sorted(n["aliases"] - {n["name"]})
            nodes.append(
                {
                    "iri": iri,
                    "name": n["name"],
                    "type": n["type"],
                    "aliases": aliases,
                    "city": n["city"],
                    "path": n["path"],
                    "docs": n["docs"],
                    "degree": degree[iri],
                    "x": pos[iri][0],
                    "y": pos[iri][1],
                    "size": round(8 + 5 * math.sqrt(degree[iri]), 1),
                    "piece": piece_of[iri],
                    "search": _search_forms(n["name"], aliases),
                }
            )
        used_sentences: dict[int, int] = {}
        used_docs: dict[int, int] = {}

        def sentence(k: int) -> int:
            return used_sentences.setdefault(k, len(used_sentences))

        def doc(k: int) -> int:
            return used_docs.setdefault(k, len(used_docs))

        fact_rows = []
        for (h, t, rtype, title), (n, ev) in facts:
            fact_rows.append(
                {
                    "a": index[h],
                    "b": index[t],
                    "type": rtype,
                    "title": title,
                    "n": n,
                    "ev": [[sentence(s), doc(d), date, conf] for s, d, date, conf in ev],
                }
            )
        co_rows = [[index[a], index[b], n, [[sentence(s), doc(d)] for s, d in ev]] for (a, b), n, ev in co]
        by_index = {v: k for k, v in self.sentences.items()}
        return {
            "types": [{"key": str(t), "label": TYPE_LABELS[t], "colour": COLOURS[t]} for t in EntityType],
            "relations": [{"key": str(r), "label": RELATION_LABELS[r]} for r in RelationType],
            "step": STEP,
            "nodes": nodes,
            "facts": fact_rows,
            "co": co_rows,
            "co_total": co_total,
            "sentences": [by_index[k] for k in used_sentences],
            "docs": [self.docs[k] for k in used_docs],
        }


def _search_forms(name: str, aliases: list[str]) -> str:
    """Every form a search may type, Simplified and Traditional, lower-cased, one per line."""
    forms = {name, *aliases}
    forms |= {_to_traditional(f) for f in forms}
    return "\n".join(sorted(f.lower() for f in forms))


@cache
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _to_traditional(text: str) -> str:
    return _s2t().convert(text)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@cache
def _asset(name: str) -> str:
    return resources.files("kg").joinpath("data", "explorer", name).read_text(encoding="utf-8")


@cache
def _vis_network() -> str:
    import pyvis

    script = resources.files(pyvis).joinpath("templates", "lib", "vis-9.1.2", "vis-network.min.js").read_text("utf-8")
    if "</script" in script.lower():  # pragma: no cover - the shipped library holds none
        raise RuntimeError("vis-network.min.js holds </script>: it cannot be inlined")
    return script
