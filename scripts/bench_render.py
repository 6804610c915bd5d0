#!/usr/bin/env python3
"""Benchmark the HTML viewer (:func:`kg.render.render_html`) on large synthetic graphs.

For each size (by default 500, 2,000 and 5,000 nodes) it builds a random-ish knowledge
graph (a networkx power-law cluster graph: a few hubs, many small-degree nodes, triangles)
with kinds, relation labels and evidence spread over 60 articles and 30 days, renders it
with ``max_nodes`` equal to the size (nothing is cut), and opens the page in headless
Chromium (Debian's ``/usr/bin/chromium`` driven by Playwright, offline, one fresh browser
context per run).  It reports:

* ``render s``: the Python side, ``render_html`` (selection, PageRank, layout, page);
* ``HTML MB``: the size of the written file;
* ``ready s``: from navigation start to ``window.kgReady === true`` (read as
  ``window.kgReadyAt``, the page's ``performance.now()`` when it set ``kgReady``): the page
  sets it once the layout is stable (physics off, or stabilised) and the network has
  drawn, so the graph can be used;
* ``filter ms``: one filter change (un-ticking the largest entity type), from the click
  to the updated vis data, measured in the page;
* ``drawn``: nodes / edges vis draws after loading (must equal the graph's).

Target: ``ready s`` under 5 s for 2,000 nodes.  The median of ``--repeat`` page loads is
shown.  This is a measurement, not a test: it exits 0 whatever the numbers (1 if a page
fails to load or draws the wrong number of nodes).

Usage::

    .venv/bin/python scripts/bench_render.py [--sizes 500,2000,5000] [--repeat 3]
        [--keep DIR] [--chromium /usr/bin/chromium] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from kg.render import render_html

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TARGET_NODES = 2000
TARGET_SECONDS = 5.0
KINDS = [
    ("Person", 30),
    ("Organization", 15),
    ("Country", 8),
    ("City", 8),
    ("Facility", 4),
    ("Group", 10),
    ("ArmedGroup", 3),
    ("Nationality", 4),
    ("Event:Attack", 6),
    ("Event:Meeting", 6),
    ("Event:Statement", 6),
]
RELATIONS = [
    "met",
    "attacked",
    "said",
    "mediated",
    "agent",
    "place",
    "visited",
    "funded",
    "criticised",
    "supported",
    "negotiated with",
    "left (via)",
]
WORDS = [
    "north",
    "south",
    "river",
    "harbour",
    "valley",
    "ridge",
    "central",
    "eastern",
    "western",
    "united",
    "national",
    "free",
    "people",
    "council",
    "front",
    "alliance",
    "union",
    "bureau",
    "ministry",
    "coast",
    "border",
]


@dataclass
class Row:
    nodes: int
    edges: int
    render_s: float
    html_mb: float
    ready_s: float
    ready_runs: list[float]
    filter_ms: float
    drawn_nodes: int
    drawn_edges: int


def make_graph(n: int, seed: int = 7) -> nx.MultiDiGraph:
    """A power-law cluster graph dressed as a knowledge graph."""
    rng = random.Random(seed)
    base = nx.powerlaw_cluster_graph(n, 2, 0.1, seed=seed)
    articles = [
        (f"Article {i}: {' '.join(rng.sample(WORDS, 4))}", f"2024-03-{1 + i % 30:02d}")
        for i in range(60)
    ]
    sources = ["Harbour Line", "Potomac Ledger", "Northgate Wire", "Crescent Bay Courier"]
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]

    def evidence(about: str) -> list[dict[str, str]]:
        out = []
        for _ in range(rng.randint(1, 2)):
            title, date = rng.choice(articles)
            out.append(
                {
                    "text": f"{about} was mentioned in a report about {rng.choice(WORDS)} talks.",
                    "doc": title,
                    "date": date,
                    "source": rng.choice(sources),
                    "url": f"https://example.org/{title.split(':')[0].replace(' ', '-')}",
                }
            )
        return out

    g = nx.MultiDiGraph()
    for node in base.nodes:
        label = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {node}"
        g.add_node(
            f"urn:n{node}",
            label=label,
            kind=rng.choices(kinds, weights)[0],
            evidence=evidence(label),
        )
    for u, v in base.edges:
        a, b = (u, v) if rng.random() < 0.5 else (v, u)
        g.add_edge(
            f"urn:n{a}", f"urn:n{b}", label=rng.choice(RELATIONS), evidence=evidence(f"n{a}")[:1]
        )
    return g


def load_once(browser: Any, uri: str) -> tuple[float, float, dict[str, int]]:
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(uri, wait_until="commit")
        page.wait_for_function("() => window.kgReady === true", timeout=120_000)
        ready = float(page.evaluate("window.kgReadyAt")) / 1000.0
        drawn = page.evaluate("window.kgVisibleCount()")
        filter_ms = float(
            page.evaluate(
                """() => { const box = document.querySelector('#kg-kind-list input');
                       const t = performance.now(); box.click(); return performance.now() - t; }"""
            )
        )
        if errors:
            raise RuntimeError(f"page errors: {errors}")
        return ready, filter_ms, drawn
    finally:
        context.close()


def run(sizes: list[int], repeat: int, out_dir: Path, chromium: str) -> list[Row]:
    from playwright.sync_api import sync_playwright

    rows: list[Row] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
        try:
            for n in sizes:
                graph = make_graph(n)
                path = out_dir / f"graph-{n}.html"
                started = time.perf_counter()
                render_html(graph, path, title=f"bench {n}", max_nodes=n)
                render_s = time.perf_counter() - started
                runs = [load_once(browser, path.as_uri()) for _ in range(repeat)]
                ready = [r[0] for r in runs]
                drawn = runs[-1][2]
                rows.append(
                    Row(
                        nodes=graph.number_of_nodes(),
                        edges=graph.number_of_edges(),
                        render_s=round(render_s, 2),
                        html_mb=round(path.stat().st_size / 1e6, 2),
                        ready_s=round(statistics.median(ready), 2),
                        ready_runs=[round(r, 2) for r in ready],
                        filter_ms=round(statistics.median(r[1] for r in runs), 1),
                        drawn_nodes=int(drawn["nodes"]),
                        drawn_edges=int(drawn["edges"]),
                    )
                )
                print(f"  {n} nodes done", file=sys.stderr)
        finally:
            browser.close()
    return rows


def table(rows: list[Row]) -> str:
    head = ["nodes", "edges", "render s", "HTML MB", "ready s", "filter ms", "drawn"]
    lines = [head]
    for r in rows:
        lines.append(
            [
                f"{r.nodes:,}",
                f"{r.edges:,}",
                f"{r.render_s:.2f}",
                f"{r.html_mb:.2f}",
                f"{r.ready_s:.2f}",
                f"{r.filter_ms:.0f}",
                f"{r.drawn_nodes:,} / {r.drawn_edges:,}",
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = [
        "| " + " | ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)) + " |"
        for line in lines
    ]
    out.insert(1, "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="500,2000,5000", help="node counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="page loads per size (median)")
    parser.add_argument("--keep", type=Path, help="write the pages here (default: a temp dir)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        out_dir = args.keep or Path(tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        rows = run(sizes, max(1, args.repeat), out_dir, args.chromium)

    print(f"kg viewer benchmark ({platform.machine()}, {platform.python_version()}, headless)")
    print(table(rows))
    for r in rows:
        if r.nodes == TARGET_NODES:
            verdict = "met" if r.ready_s < TARGET_SECONDS else "MISSED"
            print(
                f"target: ready under {TARGET_SECONDS:.0f} s for {TARGET_NODES:,} nodes: {verdict}"
            )
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2), encoding="utf-8")
    wrong = [r for r in rows if (r.drawn_nodes, r.drawn_edges) != (r.nodes, r.edges)]
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
