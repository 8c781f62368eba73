"""Graph questions SPARQL answers badly, answered with networkx: how two entities connect, and who is central.

The network is read from a build's extractions.jsonl: one node per entity
(its IRI), an edge wherever a fact (holds_post, visited, located_in,
invests_in, signed_with) relates two entities, each edge carrying the facts
and the sentences that state them; co-mentions (two entities named in one
sentence) are edges too, weaker ones, when asked for; and each place is
linked to the divisions it lies in, as in graph.ttl.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from .clean import to_simplified
from .errors import InputError
from .gazetteer import gazetteer
from .score import load_predictions

# A path through a stated fact costs less than one through two names that merely share a sentence.
FACT_COST, CO_MENTION_COST = 1.0, 3.0
# Betweenness over more nodes than this is estimated from this many sampled sources (seeded).
EXACT_BETWEENNESS_NODES = 2000


@dataclass(frozen=True, slots=True)
class Link:
    """What connects two entities: a stated fact, or a sentence naming both."""

    kind: str  # a relation type, or "co_mention"
    head: str  # names
    tail: str
    sentence: str
    doc_id: str
    date: str | None = None
    confidence: float | None = None


def network(out: Path | str, co_mentions: bool = False) -> nx.Graph:
    """The entities of the build `out` and what links them (edge attribute `links`, and `cost`)."""
    out = Path(out)
    g = nx.Graph()
    for record in load_predictions(out).values():
        names = {}
        for e in record.get("entities", []):
            names[e["id"]] = e["name"]
            if e["id"] not in g:
                g.add_node(e["id"], name=e["name"], type=e["type"], aliases=set(), code=e.get("code"))
            g.nodes[e["id"]]["aliases"].update([e["name"], *e.get("aliases", [])])
        doc_id = record["doc_id"]
        for r in record.get("relations", []):
            link = Link(
                r["type"], names[r["head"]], names[r["tail"]], r["evidence"], doc_id, r.get("date"), r.get("confidence")
            )
            _link(g, r["head"], r["tail"], link, FACT_COST)
        if co_mentions and record.get("co_mentions"):
            text = document_text(out, doc_id)
            for c in record["co_mentions"]:
                start, end = c["sentence_span"]
                _link(
                    g,
                    c["a"],
                    c["b"],
                    Link("co_mention", names[c["a"]], names[c["b"]], text[start:end], doc_id),
                    CO_MENTION_COST,
                )
    _add_hierarchy(g)
    return g


def _add_hierarchy(g: nx.Graph) -> None:
    """Each place linked to the divisions it lies in, up to its province (the gazetteer's, as in graph.ttl)."""
    gz = gazetteer()
    by_code = {d["code"]: n for n, d in g.nodes(data=True) if d.get("code")}
    for code, node in sorted(by_code.items()):
        division = gz.by_code.get(code)
        if division is None:
            continue
        child = node
        for parent in gz.ancestors(division):
            parent_node = by_code.get(parent.code) or f"division:{parent.code}"
            if parent_node not in g:
                g.add_node(parent_node, name=parent.name, type="Place", aliases={parent.name}, code=parent.code)
            if g.has_edge(child, parent_node):
                break  # the rest of the chain is in already
            link = Link("contained_in", g.nodes[child]["name"], parent.name, "", "gazetteer")
            _link(g, child, parent_node, link, FACT_COST)
            child = parent_node


def document_text(out: Path, doc_id: str) -> str:
    """The cleaned text of a document of the build `out` (its text/ folder), or "" if it is not there."""
    path = (out if out.is_dir() else out.parent) / "text" / f"{doc_id}.txt"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _link(g: nx.Graph, a: str, b: str, link: Link, cost: float) -> None:
    if a == b:
        return
    if g.has_edge(a, b):
        data = g.edges[a, b]
        data["links"].append(link)
        data["cost"] = min(data["cost"], cost)
    else:
        g.add_edge(a, b, links=[link], cost=cost)


def find(g: nx.Graph, name: str) -> str:
    """The node named `name` (or with that alias; Simplified or Traditional); InputError if none or several."""
    name = to_simplified(name.strip())
    exact = sorted(n for n, d in g.nodes(data=True) if d["name"] == name)
    found = exact or sorted(n for n, d in g.nodes(data=True) if name in d["aliases"])
    if not found:
        raise InputError(f"{name}: no entity of that name or alias in the build")
    if len(found) > 1:
        listed = "; ".join(f"{g.nodes[n]['name']} ({g.nodes[n]['type']}) {n}" for n in found[:5])
        raise InputError(f"{name}: {len(found)} entities go by that name: {listed}; give a fuller name")
    return found[0]


def path(out: Path | str, a: str, b: str, co_mentions: bool = True) -> list[tuple[str, str, list[Link]]]:
    """The cheapest chain of links from the entity named `a` to the one named `b`: each hop as
    (from name, to name, the links between them), facts before co-mentions. Empty when they do not connect."""
    g = network(out, co_mentions)
    source, target = find(g, a), find(g, b)
    try:
        nodes = nx.shortest_path(g, source, target, weight="cost")
    except nx.NetworkXNoPath:
        return []
    hops = []
    for x, y in zip(nodes, nodes[1:], strict=False):
        links = sorted(g.edges[x, y]["links"], key=lambda k: (k.kind == "co_mention", k.doc_id, k.kind))
        hops.append((g.nodes[x]["name"], g.nodes[y]["name"], links))
    return hops


def top(
    out: Path | str, by: str = "degree", etype: str | None = None, limit: int = 10, co_mentions: bool = False
) -> list[tuple[str, str, float]]:
    """The most central entities as (name, type, score): by `degree` (how many entities each is linked to)
    or `betweenness` (how often it lies on the shortest chains between others), of one type if given."""
    g = network(out, co_mentions)
    if by == "degree":
        scores = dict(g.degree())
    elif by == "betweenness":
        k = None if g.number_of_nodes() <= EXACT_BETWEENNESS_NODES else EXACT_BETWEENNESS_NODES
        scores = nx.betweenness_centrality(g, k=k, seed=0, weight="cost")
    else:
        raise InputError(f"--by {by}: give degree or betweenness")
    ranked = sorted(
        ((d["name"], d["type"], float(scores[n])) for n, d in g.nodes(data=True) if etype in (None, d["type"])),
        key=lambda x: (-x[2], x[0]),
    )
    return ranked[:limit]
