"""graph.html: an interactive pyvis graph that opens offline.

pyvis links Bootstrap and sometimes vis-network from CDNs; we inline
vis-network (cdn_resources="in_line") and drop every remote <link>/<script>,
so the page makes no network request.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict

from pyvis.network import Network

from .model import EntityType, Extraction, RelationType

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
# <link ... href="https://…"> and <script src="https://…"></script>, not inline scripts.
_REMOTE = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*\"https?://[^>]*>|<script\b[^>]*\bsrc\s*=\s*\"https?://[^>]*>\s*</script>",
    re.IGNORECASE | re.DOTALL,
)
_CJK_FONTS = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", sans-serif'


def _legend() -> str:
    items = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;border-radius:6px;'
        f'background:{COLOURS[t]};margin-right:6px"></span>{html.escape(TYPE_LABELS[t])}</div>'
        for t in EntityType
    )
    return (
        '<div id="legend" style="position:fixed;top:10px;left:10px;background:rgba(255,255,255,.92);'
        f"border:1px solid #ccc;border-radius:6px;padding:8px 12px;font:13px {html.escape(_CJK_FONTS)};"
        'z-index:10"><b>parkkg</b>' + items + "</div>"
    )


def graph_html(extractions: list[Extraction]) -> str:
    """The HTML page of the merged graph: nodes coloured by type, edges labelled by relation."""
    net = Network(height="100vh", width="100%", directed=True, cdn_resources="in_line")
    entities = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    docs: dict[str, set[str]] = defaultdict(set)
    for ex in extractions:
        for e in ex.entities:
            if e.id not in entities or len(e.name) > len(entities[e.id].name):
                entities[e.id] = e
            aliases[e.id].update((e.name, *e.aliases))
            docs[e.id].add(ex.article.doc_id)
    for iri, e in sorted(entities.items()):
        other_names = sorted(aliases[iri] - {e.name})
        tooltip = "\n".join(
            [
                f"{e.name}",
                f"类型 type: {TYPE_LABELS[e.type]}" + (f" ({e.level})" if e.level else ""),
                f"别名 aliases: {'、'.join(other_names) or '—'}",
                f"来源 documents: {', '.join(sorted(docs[iri]))}",
                iri,
            ]
        )
        net.add_node(
            iri,
            label=e.name,
            title=tooltip,
            color=COLOURS[e.type],
            shape="dot",
            size=10 + 3 * min(len(docs[iri]), 5),
            font={"face": _CJK_FONTS, "size": 22, "strokeWidth": 3, "strokeColor": "#ffffff"},
        )
    edges: Counter = Counter()
    for ex in extractions:
        for r in ex.relations:
            edges[r.head, r.tail, RELATION_LABELS[r.type], r.title or ""] += 1
    for (head, tail, label, title), n in sorted(edges.items()):
        text = f"{label} {title}".strip()
        net.add_edge(
            head,
            tail,
            label=text,
            title=f"{text} ×{n}",
            color="#555555",
            arrows="to",
            font={"face": _CJK_FONTS, "size": 14, "strokeWidth": 3},
        )
    co: Counter = Counter()
    for ex in extractions:
        for c in ex.co_mentions:
            co[c.a, c.b] += 1
    related = {(h, t) for h, t, _, _ in edges} | {(t, h) for h, t, _, _ in edges}
    for (a, b), n in sorted(co.items()):
        if (a, b) not in related:
            net.add_edge(
                a, b, title=f"同句共现 co-mentioned ×{n}", color="#cccccc", arrows="", width=min(n, 5), dashes=True
            )
    net.set_options(
        '{"physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 300}},'
        ' "interaction": {"hover": true, "tooltipDelay": 100}}'
    )
    page = _REMOTE.sub("", net.generate_html())
    page = page.replace("<head>", "<head>\n<title>parkkg graph</title>", 1)
    return page.replace("</body>", _legend() + "\n</body>", 1)
