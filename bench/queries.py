"""How long each named query takes on a large graph: rdflib parsing Turtle, against the build's Oxigraph store.

The graph is the bundled examples' build copied until it stands for
--articles articles (5 per copy): every entity but the places (which the
hierarchy shares) gets its own IRI and names in each copy, so names stay as
selective as in a real corpus. Prints, per named query, the time on the
store, the time rdflib takes (parsing included, as kg query did before the
store), and their ratio. Target: each named query under 100 ms on the store.

    python bench/queries.py --articles 10000
    python bench/queries.py --articles 500 --rdflib     # with the rdflib baseline
"""

from __future__ import annotations

import argparse
import tempfile
import time
from itertools import islice
from pathlib import Path

import pyoxigraph

import kg
from kg.query import _PROLOGUE, named_queries
from kg.store import STORE, StoreWriter

PARAMS = {"place": "江苏省", "park": "徐州经开区", "entity": "庄兆林"}
# The questions again with an optional parameter that narrows them: one official's visits, one city's posts…
NARROWED = {
    "visits": {"official": "庄兆林"},
    "posts": {"in": "泰州市"},
    "investments": {"company": "复星医药"},
    "signings": {"party": "徐州经开区"},
    "top-parks": {"since": "2022-01-01"},
    "neighbours": {"type": "Park"},
}
LABELS = {
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
}


def synthetic(build: Path, folder: Path, articles: int) -> int:
    """graph.ttl and graph.trig of `articles` articles in `folder`, copied from `build`; returns the triples."""
    base = list(pyoxigraph.parse(path=str(build / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE))

    def rename(term, i):
        if isinstance(term, pyoxigraph.NamedNode) and "/id/" in term.value and "/id/place/" not in term.value:
            return pyoxigraph.NamedNode(f"{term.value}-{i}")
        return term

    triples = []
    for i in range(max(1, articles // 5)):
        for t in base:
            s, p, o = rename(t.subject, i), t.predicate, rename(t.object, i)
            if i and p.value in LABELS and s != t.subject and isinstance(o, pyoxigraph.Literal):
                o = pyoxigraph.Literal(f"{o.value}{i}", language=o.language)
            triples.append(pyoxigraph.Triple(s, p, o))
    data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE)
    (folder / "graph.ttl").write_bytes(data)
    (folder / "graph.trig").write_bytes(b"")
    return len(triples)


def write_store(folder: Path) -> None:
    """folder/store from its graph.ttl, written as kg build writes it: N-Triples fed to StoreWriter in batches."""
    loader = StoreWriter(folder)
    triples = pyoxigraph.parse(path=str(folder / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    while batch := [q.triple for q in islice(triples, 100_000)]:
        loader(pyoxigraph.serialize(batch, format=pyoxigraph.RdfFormat.N_TRIPLES), pyoxigraph.RdfFormat.N_TRIPLES)
    loader.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--rdflib", action="store_true", help="also time rdflib parsing graph.ttl and querying")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        kg.build(["examples/articles"], tmp / "examples", kg.BuildOptions(html=False))
        folder = tmp / "big"
        folder.mkdir()
        started = time.perf_counter()
        n = synthetic(tmp / "examples", folder, args.articles)
        mb = (folder / "graph.ttl").stat().st_size / 1e6
        print(f"{args.articles} articles: {n:,} triples, graph.ttl {mb:.1f} MB ({time.perf_counter() - started:.1f} s)")
        started = time.perf_counter()
        write_store(folder)
        print(f"store written in {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        store = pyoxigraph.Store.read_only(str(folder / STORE))
        print(f"store opened in {1000 * (time.perf_counter() - started):.1f} ms")
        graph = None
        if args.rdflib:
            from rdflib import Graph

            started = time.perf_counter()
            graph = Graph().parse(folder / "graph.ttl", format="turtle")
            parse = time.perf_counter() - started
            print(f"rdflib parsed graph.ttl in {parse:.2f} s (counted in each rdflib time below)")
        print(f"{'query':<32} {'store ms':>9} {'rows':>6}" + (f" {'rdflib s':>9} {'ratio':>8}" if graph else ""))
        named = named_queries()
        cases = [(q, {}) for q in named.values()] + [(named[name], values) for name, values in NARROWED.items()]
        for q, values in cases:
            values = {**{p.name: PARAMS[p.name] for p in q.parameters if p.required}, **values}
            text = _PROLOGUE + q.bound(values)
            started = time.perf_counter()
            rows = len(list(store.query(text)))
            on_store = time.perf_counter() - started
            label = q.name + "".join(f" {k}={v}" for k, v in values.items() if k not in PARAMS)
            line = f"{label:<32} {1000 * on_store:>9.1f} {rows:>6}"
            if graph is not None:
                started = time.perf_counter()
                len(list(graph.query(text)))
                on_rdflib = time.perf_counter() - started + parse
                line += f" {on_rdflib:>9.2f} {on_rdflib / on_store:>7.0f}x"
            print(line, flush=True)


if __name__ == "__main__":
    main()
