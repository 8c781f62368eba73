"""graph.html opens offline and shows types, labels and a legend."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

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


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (.ci/run installs it)")
def test_view_html_draws_the_graph_offline_in_chromium(examples_build, tmp_path):
    out, _ = examples_build
    done = subprocess.run(
        [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000", "--dump-dom",
            (out / "graph.html").as_uri(),
        ],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # vis-network ran: it put its canvas into the graph's container
    assert re.search(r'<div id="mynetwork"[^>]*>.*?<canvas', done.stdout, re.S), done.stdout[:2000]
