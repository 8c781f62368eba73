"""Where each node of the explorer is drawn, computed before the page is written so that it opens settled.

A force-directed layout of thousands of nodes takes networkx minutes
(spring_layout: 104 s for 5,000 nodes here), and most nodes of these graphs
are leaves: the officials, companies and projects around a park or a city.
So only the backbone, the BACKBONE most connected nodes, is laid out by
forces (networkx's spring_layout, which is quick at that size); every other
node is placed on rings around the placed node it is most strongly linked to,
in order of strength; nodes linked to nothing placed form a grid below. Seeded
and ordered by name: the same graph is drawn the same way every time.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence

import networkx as nx

# How many of the most connected nodes the forces lay out.
BACKBONE = 300
# About the distance between neighbouring backbone nodes, in the page's pixels.
SPACING = 220.0
# Distance between a node and the first ring of nodes placed around it, and between rings.
RING = 55.0


def layout(
    nodes: Sequence[Hashable], edges: Iterable[tuple[Hashable, Hashable, float]], seed: int = 0
) -> dict[Hashable, tuple[float, float]]:
    """The position of every node: linked nodes near each other, leaves around what they hang on,
    each connected piece laid out on its own and the pieces packed in rows, largest first.

    `edges` are (a, b, weight); `nodes` come most important first.

    >>> pos = layout(["park", "a", "b", "far"], [("park", "a", 1.0), ("park", "b", 1.0)])
    >>> d = lambda p, q: math.dist(pos[p], pos[q])
    >>> d("park", "a") < d("park", "far") and d("park", "b") < d("park", "far")
    True
    """
    order = {node: i for i, node in enumerate(nodes)}
    weights: dict[Hashable, dict[Hashable, float]] = defaultdict(dict)
    for a, b, w in edges:
        if a != b and a in order and b in order:
            weights[a][b] = weights[a].get(b, 0.0) + w
            weights[b][a] = weights[b].get(a, 0.0) + w
    connected = pieces(nodes, [(a, b, w) for a in weights for b, w in weights[a].items()])
    placed = [_piece(piece, weights, order, seed) for piece in connected if len(piece) > 1]
    singles = [piece[0] for piece in connected if len(piece) == 1]
    pos = _pack(placed)
    _grid(pos, singles)
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}


def pieces(nodes: Sequence[Hashable], edges: Iterable[tuple[Hashable, Hashable, float]]) -> list[list[Hashable]]:
    """The connected pieces of the graph, largest first, each's nodes in the order of `nodes`.

    >>> pieces(["a", "b", "c", "d"], [("c", "b", 1.0)])
    [['b', 'c'], ['a'], ['d']]
    """
    order = {node: i for i, node in enumerate(nodes)}
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from((a, b) for a, b, _ in edges if a in order and b in order)
    found = (sorted(c, key=order.__getitem__) for c in nx.connected_components(g))
    return sorted(found, key=lambda c: (-len(c), order[c[0]]))


def _piece(nodes: list[Hashable], weights: dict, order: dict, seed: int) -> dict[Hashable, tuple[float, float]]:
    """One connected piece: its backbone by forces, the rest on rings around the node each hangs on."""
    backbone = nodes[:BACKBONE]
    pos = _forces(backbone, weights, seed)
    children: dict[Hashable, list[Hashable]] = defaultdict(list)
    # breadth first from the backbone: a node hangs on its strongest placed neighbour
    frontier = backbone
    placed = set(pos)
    while frontier:
        found: dict[Hashable, tuple[float, int, Hashable]] = {}
        for parent in frontier:
            for child, w in weights[parent].items():
                if child in placed:
                    continue
                best = (w, -order[parent], parent)
                if child not in found or best > found[child]:
                    found[child] = best
        for child in sorted(found, key=order.__getitem__):
            children[found[child][2]].append(child)
        placed.update(found)
        next_frontier = []
        for parent in frontier:
            _ring(pos, parent, children[parent])
            next_frontier += children[parent]
        frontier = next_frontier
    return pos


def _pack(pieces: list[dict[Hashable, tuple[float, float]]]) -> dict[Hashable, tuple[float, float]]:
    """The pieces side by side in rows, largest first, in a box about as wide as a screen is."""
    boxes = []
    for pos in pieces:
        xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + 2 * RING, max(ys) - min(ys) + 2 * RING))
    width = max([math.sqrt(1.8 * sum(w * h for _, _, w, h in boxes)), *(w for _, _, w, _ in boxes)], default=0.0)
    out: dict[Hashable, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for pos, (left, top, w, h) in zip(pieces, boxes, strict=True):
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in pos.items():
            out[node] = (px - left + x + RING, py - top + y + RING)
        x += w
        row_height = max(row_height, h)
    return out


def _forces(backbone: list[Hashable], weights: dict, seed: int) -> dict[Hashable, tuple[float, float]]:
    if len(backbone) == 1:
        return {backbone[0]: (0.0, 0.0)}
    g = nx.Graph()
    index = {n: i for i, n in enumerate(backbone)}
    g.add_nodes_from(range(len(backbone)))
    links = [(index[a], index[b]) for a in backbone for b in weights[a] if b in index and index[a] < index[b]]
    g.add_edges_from(links)
    raw = nx.spring_layout(g, iterations=80, seed=seed)  # within [-1, 1]
    # a square of side sqrt(n) * SPACING: about SPACING between neighbours, however the forces spread them
    scale = SPACING * math.sqrt(len(backbone)) / 2
    return {backbone[i]: (float(x) * scale, float(y) * scale) for i, (x, y) in raw.items()}


def _ring(pos: dict, parent: Hashable, children: list[Hashable]) -> None:
    """`children` on rings around `parent`, each ring holding as many as fit at RING apart."""
    if not children:
        return
    px, py = pos[parent]
    i, ring = 0, 1
    while i < len(children):
        radius = RING * ring
        fits = max(6, int(2 * math.pi * radius / (RING * 0.6)))
        batch = children[i : i + fits]
        for j, child in enumerate(batch):
            angle = 2 * math.pi * j / len(batch) + ring * 0.5  # rings turned, so their nodes do not line up
            pos[child] = (px + radius * math.cos(angle), py + radius * math.sin(angle))
        i += len(batch)
        ring += 1


def _grid(pos: dict, rest: list[Hashable]) -> None:
    """Nodes linked to nothing placed, in rows below the rest."""
    if not rest:
        return
    bottom = max((y for _, y in pos.values()), default=0.0) + 3 * RING
    left = min((x for x, _ in pos.values()), default=0.0)
    columns = max(10, int(math.sqrt(len(rest)) * 2))
    for i, node in enumerate(rest):
        pos[node] = (left + RING * (i % columns), bottom + RING * (i // columns))
