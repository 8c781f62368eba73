"""The graph in real triple stores and strict parsers: an Oxigraph server on loopback, and raptor's rapper."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest

from .conftest import free_port, wait_for_sparql

OXIGRAPH = Path(sys.executable).with_name("oxigraph")


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server (the `oxigraph` package from PyPI) on a loopback port."""
    if not OXIGRAPH.exists():
        pytest.fail(f"{OXIGRAPH} is missing: pip install -e '.[test]' installs the oxigraph server")
    port = free_port()
    home = tmp_path_factory.mktemp("oxigraph")
    log = home / "server.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [str(OXIGRAPH), "serve", "--location", str(home / "db"), "--bind", f"127.0.0.1:{port}"],
            stdout=sink,
            stderr=sink,
        )
    url = f"http://127.0.0.1:{port}"
    if not wait_for_sparql(f"{url}/query"):
        server.kill()
        pytest.fail(f"oxigraph did not start: {log.read_text()}")
    yield url
    server.terminate()
    server.wait(timeout=10)


def _send(method: str, url: str, path: Path, content_type: str) -> int:
    request = urllib.request.Request(url, data=path.read_bytes(), method=method, headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status


def _select(url: str, sparql: str) -> list[dict]:
    request = urllib.request.Request(
        f"{url}/query?{urllib.parse.urlencode({'query': sparql})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["results"]["bindings"]


def test_stores_oxigraph_server_takes_the_turtle_and_answers_over_http(oxigraph_server, examples_build):
    out, _ = examples_build
    graph = f"{oxigraph_server}/store?graph={urllib.parse.quote('https://parkkg.org/graph/merged', safe='')}"
    assert _send("PUT", graph, out / "graph.ttl", "text/turtle") in (201, 204)
    rows = _select(
        oxigraph_server,
        """PREFIX schema: <https://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX kg: <https://parkkg.org/ontology#>
        SELECT DISTINCT ?name WHERE { GRAPH <https://parkkg.org/graph/merged> {
            ?park a kg:Park ; schema:containedInPlace+ ?js ; rdfs:label ?name . ?js rdfs:label "江苏省"@zh } }""",
    )
    assert "徐州经济技术开发区" in {r["name"]["value"] for r in rows}


def test_stores_oxigraph_server_takes_the_trig_with_a_graph_per_document(oxigraph_server, examples_build):
    out, _ = examples_build
    assert _send("POST", f"{oxigraph_server}/store", out / "graph.trig", "application/trig") in (200, 201, 204)
    rows = _select(
        oxigraph_server,
        """PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?g ?id WHERE { GRAPH ?g { ?g dcterms:identifier ?id } } ORDER BY ?id""",
    )
    assert [r["id"]["value"] for r in rows] == sorted(p.stem for p in (out / "text").glob("*.txt"))


@pytest.mark.skipif(shutil.which("rapper") is None, reason="raptor2-utils is not installed (.ci/run installs it)")
@pytest.mark.parametrize("name, syntax", [("graph.ttl", "turtle"), ("graph.trig", "trig")])
def test_stores_rapper_parses_strictly(examples_build, name, syntax):
    out, _ = examples_build
    done = subprocess.run(["rapper", "-i", syntax, "-c", str(out / name)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr.lower() and "warning" not in done.stderr.lower(), done.stderr
    # and it reads every triple another parser reads
    store = pyoxigraph.Store()
    store.load(path=str(out / name), format=pyoxigraph.RdfFormat.TRIG)  # TriG reads Turtle too
    assert f"returned {len(store)} triples" in done.stderr
