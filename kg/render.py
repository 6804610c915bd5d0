"""Render a knowledge graph as one self-contained, offline HTML page.

The page is built with :mod:`pyvis` (``pyvis.network.Network``) and rendered through
our own Jinja template instead of pyvis's stock one, because the stock template links
Bootstrap and (in ``local`` mode) vis-network from CDNs.  The vis-network JavaScript and
CSS shipped inside the installed pyvis package are inlined, so the written file works
by double-click with no network access.  A Content-Security-Policy ``<meta>`` tag
forbids every remote load and allows only the page's own inline scripts (by hash).

Everything that comes from articles (labels, kinds, evidence sentences, titles,
publishers) is passed through :func:`html.escape` before it reaches a tooltip, a label
or the legend; the page turns tooltips into DOM elements itself and decodes labels for
the canvas, so a name such as ``<img src=x onerror=alert(1)>`` is shown as text.
JSON embedded in the page is escaped so it cannot close its ``<script>`` element.

Input conventions (``KnowledgeGraph.to_networkx()``): node ids are IRI strings, nodes
carry ``label``, ``kind`` and ``evidence``; edges carry ``label`` and ``evidence``;
each evidence item is a dict with ``text``, ``doc``, ``date``, ``source`` and ``url``.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import html
import json
import math
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from pyvis.edge import Edge
from pyvis.network import Network

__all__ = [
    "PALETTE",
    "PHYSICS_MAX_NODES",
    "kind_category",
    "kind_color",
    "render_html",
    "select_subgraph",
]

PHYSICS_MAX_NODES = 300
"""Above this many nodes the layout is computed in Python and vis physics is off."""

MAX_EVIDENCE = 5
"""Evidence sentences shown per tooltip."""

_SEED = 42
_MAX_SENTENCE_CHARS = 400
_MAX_CANVAS_LABEL_CHARS = 60

PALETTE: dict[str, str] = {
    "person": "#4e79a7",
    "organisation": "#f28e2b",
    "place": "#59a14f",
    "event": "#e15759",
    "group": "#b07aa1",
    "other": "#9c9c9c",
}
"""Node colour per kind category (see :func:`kind_category`)."""

_CATEGORY_ORDER = {name: i for i, name in enumerate(PALETTE)}

_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("person", ("person", "people", "per")),
    (
        "organisation",
        (
            "organization",
            "organisation",
            "org",
            "company",
            "agency",
            "institution",
            "party",
            "ministry",
            "government",
            "army",
            "military",
            "union",
            "court",
        ),
    ),
    (
        "place",
        (
            "country",
            "place",
            "city",
            "location",
            "loc",
            "gpe",
            "region",
            "state",
            "province",
            "town",
            "village",
            "facility",
            "fac",
            "territory",
            "area",
        ),
    ),
    ("group", ("group", "nationality", "norp", "ethnicity", "religion", "population")),
)


def kind_category(kind: str) -> str:
    """Map a display kind to a palette category (a key of :data:`PALETTE`).

    >>> [kind_category(k) for k in ("Person", "Organization", "Country", "Event:Opening",
    ...                             "Nationality", "Weapon")]
    ['person', 'organisation', 'place', 'event', 'group', 'other']
    """
    folded = kind.casefold().strip()
    if folded.startswith("event"):
        return "event"
    words = {w for w in "".join(c if c.isalnum() else " " for c in folded).split() if w}
    for category, names in _KIND_WORDS:
        if folded in names or words.intersection(names):
            return category
    for category, names in _KIND_WORDS:
        if any(len(name) > 4 and name in folded for name in names):
            return category
    return "other"


def kind_color(kind: str) -> str:
    """Colour of a node of this kind.

    >>> kind_color("Person")
    '#4e79a7'
    """
    return PALETTE[kind_category(kind)]


# --------------------------------------------------------------------------- selection


def _label_of(graph: Any, node: Any) -> str:
    label = graph.nodes[node].get("label")
    return str(label) if label not in (None, "") else str(node)


def _neighbours(graph: Any, node: Any) -> set[Any]:
    return set(graph.successors(node)) | set(graph.predecessors(node))


def select_subgraph(
    graph: Any,
    focus: str | None = None,
    hops: int = 2,
    max_nodes: int = 500,
) -> Any:
    """Return the part of ``graph`` that :func:`render_html` draws, as a new MultiDiGraph.

    With ``focus``, keep the nodes within ``hops`` undirected steps of the nodes whose
    label equals ``focus`` (case-insensitively) or, when no label is equal, contains it.
    Then keep at most ``max_nodes`` nodes: the focus nodes first, then by degree (ties by
    node id).  The result's ``graph`` dict holds ``total_nodes`` (the node count before
    the ``max_nodes`` cut) and ``focus_nodes`` (the sorted ids that matched ``focus``).
    A blank or ``None`` focus means no focus.

    Raises :class:`ValueError` when no label matches ``focus``, or ``hops < 0`` or
    ``max_nodes < 1``.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("a", {"label": "A"}), ("b", {"label": "B"}), ("c", {"label": "C"})])
    >>> g.add_edges_from([("a", "b"), ("b", "c")])
    [0, 0]
    >>> sorted(select_subgraph(g, "a", hops=1).nodes)
    ['a', 'b']
    >>> select_subgraph(g, max_nodes=2).graph["total_nodes"]
    3
    """
    if hops < 0:
        raise ValueError(f"hops must be >= 0, got {hops}")
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be >= 1, got {max_nodes}")

    seeds: list[Any] = []
    if focus is not None and focus.strip():
        wanted = focus.strip().casefold()
        ordered = sorted(graph.nodes, key=str)
        seeds = [n for n in ordered if _label_of(graph, n).casefold() == wanted]
        if not seeds:
            seeds = [n for n in ordered if wanted in _label_of(graph, n).casefold()]
        if not seeds:
            raise ValueError(f"no node matches {focus!r}")
        keep: set[Any] = set(seeds)
        frontier = set(seeds)
        for _ in range(hops):
            nxt: set[Any] = set()
            for node in frontier:
                nxt |= _neighbours(graph, node)
            frontier = nxt - keep
            if not frontier:
                break
            keep |= frontier
        candidates = graph.subgraph(keep)
    else:
        candidates = graph

    total = candidates.number_of_nodes()
    if total > max_nodes:
        seed_set = set(seeds)
        ranked = sorted(
            candidates.nodes,
            key=lambda n: (n not in seed_set, -candidates.degree(n), str(n)),
        )
        candidates = candidates.subgraph(ranked[:max_nodes])

    result = nx.MultiDiGraph(candidates)
    result.graph["total_nodes"] = total
    result.graph["focus_nodes"] = sorted(str(s) for s in seeds)
    return result


# --------------------------------------------------------------------------- text helpers


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _evidence(attrs: Mapping[str, Any]) -> list[dict[str, str]]:
    """Normalise an ``evidence`` attribute: dicts of strings, duplicates dropped."""
    raw = attrs.get("evidence") or []
    if isinstance(raw, Mapping):
        raw = [raw]
    out: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for item in raw if isinstance(raw, Iterable) and not isinstance(raw, str) else []:
        if not isinstance(item, Mapping):
            continue
        ev = {
            k: "" if item.get(k) is None else str(item.get(k))
            for k in ("text", "doc", "date", "source", "url")
        }
        key = (ev["text"], ev["doc"])
        if key in seen:
            continue
        seen.add(key)
        out.append(ev)
    return out


def _evidence_html(evidence: list[dict[str, str]]) -> str:
    if not evidence:
        return '<div class="kg-none">no evidence recorded</div>'
    items = []
    for ev in evidence[:MAX_EVIDENCE]:
        meta = " · ".join(_esc(_clip(ev[k], 120)) for k in ("doc", "date", "source") if ev[k])
        url = f'<div class="kg-url">{_esc(_clip(ev["url"], 160))}</div>' if ev["url"] else ""
        items.append(
            f'<li><span class="kg-quote">“{_esc(_clip(ev["text"], _MAX_SENTENCE_CHARS))}”</span>'
            f'<div class="kg-meta">{meta}</div>{url}</li>'
        )
    more = len(evidence) - MAX_EVIDENCE
    extra = f'<div class="kg-more">+{more} more</div>' if more > 0 else ""
    return f'<ol class="kg-ev">{"".join(items)}</ol>{extra}'


def _node_title(node: Any, label: str, kind: str, evidence: list[dict[str, str]]) -> str:
    return (
        f'<div class="kg-head">{_esc(label)}</div>'
        f'<div class="kg-kind">{_esc(kind)}</div>'
        f"{_evidence_html(evidence)}"
        f'<div class="kg-iri">{_esc(node)}</div>'
    )


def _edge_title(label: str, src_label: str, dst_label: str, evidence: list[dict[str, str]]) -> str:
    return (
        f'<div class="kg-head">{_esc(src_label)} → {_esc(label)} → {_esc(dst_label)}</div>'
        f'<div class="kg-kind">relation: {_esc(label)}</div>'
        f"{_evidence_html(evidence)}"
    )


def _script_json(value: object) -> str:
    """Serialise ``value`` as JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("</", "<\\/")
        .replace("<!--", "\\u003c!--")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# --------------------------------------------------------------------------- assets


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@functools.lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """The vis-network JS and CSS shipped with pyvis (what its ``in_line`` mode embeds)."""
    root = Path(pyvis.__file__).resolve().parent
    candidates = [root / "templates" / "lib" / "vis-9.1.2", root / "lib" / "vis-9.1.2"]
    candidates += sorted((root / "templates" / "lib").glob("vis-*"), reverse=True)
    candidates += sorted((root / "lib").glob("vis-*"), reverse=True)
    for folder in candidates:
        js, css = folder / "vis-network.min.js", folder / "vis-network.css"
        if js.is_file() and css.is_file():
            # Neither file contains these sequences today; the replacements are no-ops
            # that keep a future pyvis from closing our <script>/<style> early.  Line
            # ends are normalised as the HTML parser does, so the CSP hash matches.
            js_text = _lf(js.read_text(encoding="utf-8")).replace("</script", "<\\/script")
            css_text = _lf(css.read_text(encoding="utf-8")).replace("</style", "<\\/style")
            return js_text, css_text
    raise FileNotFoundError(f"vis-network.min.js not found under {root}")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_PAGE_CSS = """
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font: 14px/1.4 system-ui, -apple-system,
  "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #222; background: #fff; }
#kg-header { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px;
  padding: 6px 12px; border-bottom: 1px solid #ddd; background: #f7f7f7; }
#kg-header h1 { font-size: 17px; margin: 0; }
#kg-stats { color: #555; }
.kg-note { background: #fff3cd; border: 1px solid #e0c36b; border-radius: 4px;
  padding: 1px 8px; }
#kg-search-box { margin-left: auto; display: flex; gap: 4px; align-items: center; }
#kg-search { width: 16em; padding: 3px 6px; }
#kg-search-status { color: #555; min-width: 5em; }
#kg-main { position: relative; flex: 1 1 auto; min-height: 300px; }
#mynetwork { position: absolute; inset: 0; }
#kg-legend { position: absolute; top: 10px; right: 10px; max-height: 60%; overflow: auto;
  background: rgba(255,255,255,0.92); border: 1px solid #ccc; border-radius: 6px;
  padding: 6px 10px; font-size: 13px; box-shadow: 0 1px 4px rgba(0,0,0,0.15); }
#kg-legend h2 { font-size: 13px; margin: 0 0 4px; }
#kg-legend ul { list-style: none; margin: 0; padding: 0; }
#kg-legend li { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.kg-swatch { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  border: 1px solid rgba(0,0,0,0.3); flex: none; }
.kg-count { color: #777; }
#kg-loading { position: absolute; left: 50%; top: 12px; transform: translateX(-50%);
  background: rgba(255,255,255,0.9); border: 1px solid #ccc; border-radius: 4px;
  padding: 2px 10px; color: #555; }
div.vis-tooltip { white-space: normal; max-width: 30em; font-size: 13px; padding: 6px 8px;
  font-family: inherit; }
.kg-tip .kg-head { font-weight: 600; }
.kg-tip .kg-kind { color: #666; font-style: italic; margin-bottom: 4px; }
.kg-tip ol { margin: 4px 0; padding-left: 1.4em; }
.kg-tip li { margin-bottom: 4px; }
.kg-tip .kg-meta, .kg-tip .kg-url, .kg-tip .kg-more, .kg-tip .kg-none { color: #666;
  font-size: 12px; }
.kg-tip .kg-url { word-break: break-all; }
.kg-tip .kg-iri { color: #999; font-size: 11px; word-break: break-all; margin-top: 4px; }
"""

# Plain JavaScript, no library besides vis-network.  Labels and tooltips arrive
# HTML-escaped; decode() turns a label back into text for the canvas, and tip() builds
# the tooltip element from the escaped HTML with DOMParser (which runs no scripts).
_APP_JS = """
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("kg-data").textContent);
  var parser = new DOMParser();
  function parse(markup) { return parser.parseFromString(markup, "text/html").body; }
  function decode(text) { return parse(text).textContent || ""; }
  function tip(markup) {
    var box = document.createElement("div");
    box.className = "kg-tip";
    var body = parse(markup);
    while (body.firstChild) { box.appendChild(document.adoptNode(body.firstChild)); }
    return box;
  }
  var plain = {};
  var nodeList = payload.nodes.map(function (n) {
    var copy = Object.assign({}, n);
    plain[n.id] = decode(n.full_label || n.label);
    copy.label = decode(n.label);
    copy.title = tip(n.title);
    delete copy.full_label;
    return copy;
  });
  var edgeList = payload.edges.map(function (e) {
    var copy = Object.assign({}, e);
    copy.label = decode(e.label);
    copy.title = tip(e.title);
    return copy;
  });
  var nodes = new vis.DataSet(nodeList);
  var edges = new vis.DataSet(edgeList);
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, payload.options);
  window.kgNetwork = network;

  var loading = document.getElementById("kg-loading");
  var settled = false;
  function settle() {
    if (settled) { return; }
    settled = true;
    network.setOptions({physics: {enabled: false}});
    if (loading) { loading.style.display = "none"; }
  }
  if (payload.physics) {
    network.once("stabilizationIterationsDone", settle);
    window.setTimeout(settle, 30000);
  } else if (loading) {
    loading.style.display = "none";
  }

  var ids = nodeList.map(function (n) { return n.id; });
  ids.sort(function (a, b) {
    var x = plain[a].toLowerCase(), y = plain[b].toLowerCase();
    return x < y ? -1 : x > y ? 1 : (a < b ? -1 : a > b ? 1 : 0);
  });
  var input = document.getElementById("kg-search");
  var button = document.getElementById("kg-search-button");
  var status = document.getElementById("kg-search-status");
  var lastQuery = null;
  var position = -1;
  function find(advance) {
    var query = input.value.trim().toLowerCase();
    if (!query) { network.unselectAll(); status.textContent = ""; lastQuery = null; return; }
    var hits = ids.filter(function (id) { return plain[id].toLowerCase() === query; });
    ids.forEach(function (id) {
      if (plain[id].toLowerCase() !== query && plain[id].toLowerCase().indexOf(query) !== -1) {
        hits.push(id);
      }
    });
    if (!hits.length) { network.unselectAll(); status.textContent = "no match"; return; }
    position = (query === lastQuery && advance) ? (position + 1) % hits.length : 0;
    lastQuery = query;
    var id = hits[position];
    network.selectNodes([id]);
    network.focus(id, {scale: 1.3, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    status.textContent = (position + 1) + " / " + hits.length;
  }
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); find(true); }
  });
  input.addEventListener("input", function () { find(false); });
  button.addEventListener("click", function () { find(true); });
})();
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ kg.csp }}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kg (pyvis {{ kg.pyvis_version }}, vis-network inlined)">
<title>{{ kg.title }}</title>
<style>{{ kg.vis_css }}</style>
<style>{{ kg.page_css }}</style>
<script>{{ kg.vis_js }}</script>
</head>
<body>
<header id="kg-header">
<h1>{{ kg.title }}</h1>
<span id="kg-stats">{{ kg.stats }}</span>
{%- for note in kg.notes %}
<span class="kg-note">{{ note }}</span>
{%- endfor %}
<div id="kg-search-box">
<input id="kg-search" type="search" placeholder="Find a node…" aria-label="Find a node"
 autocomplete="off" spellcheck="false">
<button id="kg-search-button" type="button">Find</button>
<span id="kg-search-status" aria-live="polite"></span>
</div>
</header>
<main id="kg-main">
<div id="mynetwork"></div>
<aside id="kg-legend" aria-label="Legend">
<h2>Kinds</h2>
<ul>
{%- for item in kg.legend %}
<li><span class="kg-swatch" style="background:{{ item.color }}"></span>{{ item.kind }}
 <span class="kg-count">({{ item.count }})</span></li>
{%- endfor %}
</ul>
</aside>
{%- if physics_enabled and nodes %}
<div id="kg-loading">laying out {{ nodes|length }} nodes…</div>
{%- endif %}
</main>
{%- set payload = {"nodes": nodes, "edges": edges, "options": kg.options,
                   "physics": physics_enabled and nodes|length > 0} %}
<script type="application/json" id="kg-data">{{ payload | kg_json }}</script>
<script>{{ kg.app_js }}</script>
</body>
</html>
"""


# --------------------------------------------------------------------------- layout


_FR_MAX_NODES = 4000
"""Up to this many nodes the precomputed layout is force-directed; above it, circular."""


def _force_layout(n: int, edges: list[tuple[int, int]], iterations: int) -> Any:
    """Fruchterman-Reingold with numpy only (networkx needs scipy above 500 nodes).

    Repulsion is computed densely in row chunks (O(n²) per iteration, bounded memory);
    attraction only along edges.  Seeded, so the result is deterministic.
    """
    import numpy as np

    rng = np.random.default_rng(_SEED)
    pos = rng.random((n, 2))
    if n < 2:
        return pos
    src = np.array([e[0] for e in edges], dtype=np.intp)
    dst = np.array([e[1] for e in edges], dtype=np.intp)
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    chunk = max(1, 200_000 // n)  # small blocks stay in cache
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    for _ in range(iterations):
        disp_x = np.zeros(n)
        disp_y = np.zeros(n)
        for lo in range(0, n, chunk):
            hi = min(n, lo + chunk)
            dx = x[lo:hi, None] - x[None, :]
            dy = y[lo:hi, None] - y[None, :]
            weight = dx * dx
            weight += dy * dy
            np.maximum(weight, 1e-6, out=weight)
            np.divide(k * k, weight, out=weight)
            dx *= weight
            dy *= weight
            disp_x[lo:hi] += dx.sum(axis=1)
            disp_y[lo:hi] += dy.sum(axis=1)
        if len(edges):
            ex = x[src] - x[dst]
            ey = y[src] - y[dst]
            dist = np.sqrt(ex * ex + ey * ey) / k
            np.subtract.at(disp_x, src, ex * dist)
            np.add.at(disp_x, dst, ex * dist)
            np.subtract.at(disp_y, src, ey * dist)
            np.add.at(disp_y, dst, ey * dist)
        length = np.sqrt(disp_x * disp_x + disp_y * disp_y)
        step = temperature / np.where(length < 0.01, 0.1, length)
        x += disp_x * step
        y += disp_y * step
        temperature -= cooling
    pos = np.column_stack([x, y])
    return pos


def _layout(graph: Any) -> dict[str, tuple[float, float]]:
    """Cheap deterministic positions (pixels) for graphs too big for in-browser physics."""
    import numpy as np

    order = sorted({str(n) for n in graph.nodes})
    index = {name: i for i, name in enumerate(order)}
    edges = sorted(
        {
            (min(index[str(u)], index[str(v)]), max(index[str(u)], index[str(v)]))
            for u, v in graph.edges()
            if str(u) != str(v)
        }
    )
    n = len(order)
    if n == 0:
        return {}
    if n <= _FR_MAX_NODES:
        iterations = 50 if n <= 1000 else 30 if n <= 2000 else 15
        pos = _force_layout(n, edges, iterations)
    else:
        angles = np.linspace(0.0, 2.0 * math.pi, n, endpoint=False)
        pos = np.column_stack([np.cos(angles), np.sin(angles)])
    pos = pos - pos.mean(axis=0)
    extent = float(np.abs(pos).max()) or 1.0
    pos = pos * (45.0 * math.sqrt(n) / extent)
    return {
        name: (round(float(pos[i, 0]), 1), round(float(pos[i, 1]), 1))
        for i, name in enumerate(order)
    }


def _options(node_count: int, physics: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "autoResize": True,
        "layout": {"randomSeed": _SEED, "improvedLayout": node_count <= 100},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": node_count > PHYSICS_MAX_NODES,
            "hideEdgesOnZoom": node_count > PHYSICS_MAX_NODES,
            "multiselect": False,
            "navigationButtons": False,
        },
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 14, "face": "system-ui, sans-serif", "color": "#222"},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "color": {"color": "#a0a8b0", "highlight": "#444", "hover": "#666"},
            "font": {
                "size": 11,
                "color": "#555",
                "strokeWidth": 3,
                "strokeColor": "#fff",
                "align": "middle",
            },
            "smooth": False,
            "width": 1.2,
        },
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -6000,
                "centralGravity": 0.3,
                "springLength": 150,
                "springConstant": 0.04,
                "damping": 0.35,
                "avoidOverlap": 0.3,
            },
            "minVelocity": 0.75,
            "stabilization": {
                "enabled": True,
                "iterations": 600,
                "updateInterval": 50,
                "fit": True,
            },
        }
    else:
        options["physics"] = {"enabled": False}
    return options


# --------------------------------------------------------------------------- building


def _build_network(sub: Any) -> tuple[Network, list[dict[str, Any]], bool]:
    """Fill a pyvis Network from ``sub``; return it, the legend rows and physics on/off."""
    node_count = sub.number_of_nodes()
    physics = node_count <= PHYSICS_MAX_NODES
    positions = {} if physics else _layout(sub)
    focus_nodes = set(sub.graph.get("focus_nodes", []))

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.options = _options(node_count, physics)

    kinds: Counter[str] = Counter()
    labels: dict[Any, str] = {}
    for node in sorted(sub.nodes, key=str):
        attrs = sub.nodes[node]
        label = _label_of(sub, node)
        labels[node] = label
        kind = str(attrs.get("kind") or "Thing")
        kinds[kind] += 1
        degree = sub.degree(node)
        extra: dict[str, Any] = {}
        if str(node) in focus_nodes:
            extra["borderWidth"] = 4
            extra["color"] = {"background": kind_color(kind), "border": "#222"}
        if not physics:
            extra["x"], extra["y"] = positions[str(node)]
        clipped = _clip(label, _MAX_CANVAS_LABEL_CHARS)
        if clipped != label:
            extra["full_label"] = _esc(label)
        net.add_node(
            str(node),
            label=_esc(clipped) or _esc(node),
            color=extra.pop("color", kind_color(kind)),
            title=_node_title(node, label, kind, _evidence(attrs)),
            size=round(min(48.0, 10.0 + 4.0 * math.sqrt(degree)), 2),
            kind=_esc(kind),
            **extra,
        )

    edges = sorted(
        sub.edges(keys=True, data=True),
        key=lambda e: (str(e[0]), str(e[1]), str(e[3].get("label") or ""), str(e[2])),
    )
    parallel: Counter[tuple[str, str]] = Counter()
    for index, (u, v, _key, attrs) in enumerate(edges):
        label = str(attrs.get("label") or "")
        extra = {}
        pair = (min(str(u), str(v)), max(str(u), str(v)))
        rank = parallel[pair]
        parallel[pair] += 1
        if rank and u != v:
            extra["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if rank % 2 else "curvedCCW",
                "roundness": round(0.2 * ((rank + 1) // 2), 2),
            }
        # Endpoints exist by construction; Edge() skips add_edge's O(n) membership scans.
        edge = Edge(
            str(u),
            str(v),
            directed=True,
            id=f"e{index}",
            label=_esc(label),
            title=_edge_title(label, labels[u], labels[v], _evidence(attrs)),
            **extra,
        )
        net.edges.append(edge.options)

    legend = [
        {"kind": _esc(kind), "color": kind_color(kind), "count": count}
        for kind, count in sorted(
            kinds.items(), key=lambda kc: (_CATEGORY_ORDER[kind_category(kc[0])], kc[0])
        )
    ]
    return net, legend, physics


def _render(net: Network, context: dict[str, Any]) -> str:
    env = jinja2.Environment(autoescape=False, keep_trailing_newline=True)
    env.filters["kg_json"] = _script_json
    net.template = env.from_string(_TEMPLATE, globals={"kg": context})
    # notebook=True makes pyvis render net.template instead of its stock template file.
    return str(net.generate_html(name="graph.html", notebook=True))


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def render_html(
    graph: Any,
    path: str | Path,
    *,
    title: str = "kg graph",
    focus: str | None = None,
    hops: int = 2,
    max_nodes: int = 500,
) -> Path:
    """Write ``graph`` (a networkx MultiDiGraph) as one offline HTML page; return its path.

    ``focus``/``hops``/``max_nodes`` select what is drawn (see :func:`select_subgraph`);
    when nodes are dropped by ``max_nodes`` the page says "showing N of M nodes".  Nodes
    are coloured by kind (legend in the corner) and sized by degree; hovering a node or
    an edge shows its label, kind and up to five evidence sentences.  If ``path`` is an
    existing directory, ``graph.html`` is written inside it.  The file is written
    atomically and the output is identical for identical input.

    >>> import tempfile
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("urn:a", label="Alice", kind="Person", evidence=[])
    >>> g.add_node("urn:b", label="Acme", kind="Organization", evidence=[])
    >>> _ = g.add_edge("urn:a", "urn:b", label="founded", evidence=[])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = render_html(g, Path(tmp) / "graph.html", title="Demo")
    ...     out.name, "Alice" in out.read_text(encoding="utf-8")
    ('graph.html', True)
    """
    target = Path(path)
    if target.is_dir():
        target = target / "graph.html"
    sub = select_subgraph(graph, focus, hops, max_nodes)  # may raise: nothing written yet
    target.parent.mkdir(parents=True, exist_ok=True)
    net, legend, physics = _build_network(sub)

    shown = sub.number_of_nodes()
    total = int(sub.graph.get("total_nodes", shown))
    notes: list[str] = []
    if focus is not None and focus.strip():
        plural = "" if hops == 1 else "s"
        notes.append(f"focus: {_esc(focus.strip())} ({hops} hop{plural})")
    if shown < total:
        notes.append(f"showing {shown} of {total} nodes")
    if not physics:
        notes.append("layout precomputed (physics off)")

    vis_js, vis_css = _vis_assets()
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(vis_js)} {_csp_hash(_APP_JS)}",
            "style-src 'unsafe-inline'",
            "img-src data:",
            "font-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    context = {
        "title": _esc(title),
        "stats": f"{shown} nodes · {sub.number_of_edges()} edges",
        "notes": notes,
        "legend": legend,
        "options": net.options,
        "vis_js": vis_js,
        "vis_css": vis_css,
        "page_css": _PAGE_CSS,
        "app_js": _APP_JS,
        "csp": csp,
        "pyvis_version": _esc(getattr(pyvis, "__version__", "")),
    }
    _write_atomic(target, _render(net, context))
    return target
