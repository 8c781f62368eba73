"""graph.html opens offline and shows types, labels and a legend."""

from __future__ import annotations

import json
import re

_REMOTE_SOURCE = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)


def test_view_html_makes_no_network_request(examples_build):
    out, _ = examples_build
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert not _REMOTE_SOURCE.search(page)
    assert "@import" not in page
    assert "vis.Network" in page or "new vis.Network" in page  # the library is inlined


def test_view_html_has_labels_legend_and_tooltips(examples_build):
    out, _ = examples_build
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert 'id="legend"' in page
    for word in ("园区 Park", "官员 Official", "企业 Company"):
        assert word in page
    # pyvis writes the node data as ASCII JSON
    for text in ("徐州经济技术开发区", "类型 type", "来源 documents", "别名 aliases", "调研"):
        assert text in page or json.dumps(text)[1:-1] in page, text
