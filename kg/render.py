"""Render a knowledge graph as one self-contained, offline, explorable HTML page.

The page draws the graph with vis-network, the library :mod:`pyvis` ships: its JavaScript
and CSS are read from the installed pyvis package and inlined, so the written file works
by double-click with no network access.  A Content-Security-Policy ``<meta>`` tag forbids
every remote load and allows only the page's own two inline scripts (by hash).

What the page offers (all plain JavaScript, no other library):

* search a name and jump to it;
* filters that hide and show nodes and edges: entity types and event types (the node
  kinds, which double as the colour legend), relations (edge labels), one article (the
  evidence's ``doc``) and a date range (the evidence's ``date``);
* a side panel listing every fact about the selected node or edge: label, kind, its
  evidence sentences with article, date and source, and every link in and out with the
  other node and the link's own evidence;
* colours by kind, node size by importance (PageRank, see :func:`importance`), edge
  labels, and evidence in a tooltip on hover;
* large graphs: at most ``max_nodes`` nodes are drawn, the most important first, and
  the page says how many are hidden; above :data:`PHYSICS_MAX_NODES` nodes the layout is
  computed in Python (numpy) and vis physics is off, so 5,000 nodes open in seconds.

Article text never becomes markup.  Everything that comes from articles (labels, kinds,
evidence sentences, titles, publishers, URLs) travels in one JSON block in which ``<``,
``>`` and ``&`` are written as ``\\u`` escapes, so it cannot end its ``<script>``
element; the page script builds tooltips, filters and the side panel from it with
``textContent`` and DOM nodes only, and vis draws labels on a canvas as plain text.  The
few article strings written into the HTML itself (the title and notes) go through
:func:`html.escape`.

The page sets ``window.kgReady = true`` once the layout is stable and drawn, and exposes
``window.kgNetwork`` (the vis Network) and ``window.kgVisibleCount()`` (nodes and edges
vis currently draws) for tests and benchmarks.

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
import numpy as np
import numpy.typing as npt
import pyvis

__all__ = [
    "EDGE_LABELS_MAX",
    "PALETTE",
    "PHYSICS_MAX_NODES",
    "importance",
    "kind_category",
    "kind_color",
    "render_html",
    "select_subgraph",
]

PHYSICS_MAX_NODES = 300
"""Above this many nodes the layout is computed in Python and vis physics is off."""

EDGE_LABELS_MAX = 1000
"""Above this many edges, only the selected node's edges show their label on the canvas.

vis-network draws every edge label on every frame, visible or not; with thousands of
edges that alone takes seconds per frame in a software-rendered browser."""

MAX_EVIDENCE = 5
"""Evidence sentences shown per tooltip (the side panel shows them all)."""

_SEED = 42
_MAX_SENTENCE_CHARS = 1000
_MAX_CANVAS_LABEL_CHARS = 60

_Floats = npt.NDArray[np.float64]
_Ints = npt.NDArray[np.intp]

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


# --------------------------------------------------------------------------- importance


def _label_of(graph: Any, node: Any) -> str:
    label = graph.nodes[node].get("label")
    return str(label) if label not in (None, "") else str(node)


def _neighbours(graph: Any, node: Any) -> set[Any]:
    return set(graph.successors(node)) | set(graph.predecessors(node))


def _simple_pairs(graph: Any, order: list[Any]) -> list[tuple[int, int]]:
    """The undirected simple graph under ``graph``: sorted index pairs, no self-loops."""
    index = {node: i for i, node in enumerate(order)}
    return sorted(
        {
            (min(index[u], index[v]), max(index[u], index[v]))
            for u, v in graph.edges()
            if index[u] != index[v]
        }
    )


def _pagerank_numpy(
    n: int, pairs: list[tuple[int, int]], alpha: float = 0.85, max_iter: int = 100
) -> _Floats:
    """networkx's PageRank (same defaults, same stopping rule) as a numpy power iteration.

    Used when :func:`networkx.pagerank` cannot run because scipy is not installed: the
    pure-Python variant networkx ships takes over a second on 5,000 nodes.
    """
    tol = 1.0e-6
    if not pairs:
        flat: _Floats = np.full(n, 1.0 / n)
        return flat
    ends = np.asarray(pairs, dtype=np.intp)
    src = np.concatenate([ends[:, 0], ends[:, 1]])
    dst = np.concatenate([ends[:, 1], ends[:, 0]])
    out_degree = np.bincount(src, minlength=n).astype(np.float64)
    dangling = out_degree == 0
    share = 1.0 / np.where(dangling, 1.0, out_degree)
    x: _Floats = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        spread = np.bincount(dst, weights=last[src] * share[src], minlength=n)
        x = (alpha * spread + (alpha * float(last[dangling].sum()) + (1.0 - alpha)) / n).astype(
            np.float64
        )
        if float(np.abs(x - last).sum()) < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def importance(graph: Any) -> dict[Any, float]:
    """How important each node is: PageRank on the undirected simple graph under ``graph``.

    Direction, parallel edges and self-loops are ignored.  :func:`networkx.pagerank` is
    used when it can run (it needs scipy); without scipy an equivalent numpy power
    iteration gives the same scores (to networkx's tolerance).  If PageRank fails (it
    does not converge), the score is the degree in that simple graph, normalised to sum
    to 1.  The scores do not depend on the order nodes and edges were added in.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([("hub", "a"), ("hub", "b"), ("c", "hub"), ("a", "b")])
    >>> scores = importance(g)
    >>> max(scores, key=scores.get), round(sum(scores.values()), 6)
    ('hub', 1.0)
    """
    order = sorted(graph.nodes, key=str)
    n = len(order)
    if n == 0:
        return {}
    pairs = _simple_pairs(graph, order)
    simple = nx.Graph()
    simple.add_nodes_from(range(n))
    simple.add_edges_from(pairs)
    try:
        try:
            ranked = nx.pagerank(simple)
            scores = [float(ranked[i]) for i in range(n)]
        except ImportError:
            scores = [float(s) for s in _pagerank_numpy(n, pairs)]
    except (nx.NetworkXException, ArithmeticError, ValueError):
        degree = np.zeros(n)
        for a, b in pairs:
            degree[a] += 1.0
            degree[b] += 1.0
        total = float(degree.sum())
        scores = [float(d) / total if total else 1.0 / n for d in degree]
    return dict(zip(order, scores, strict=True))


def _rank_key(scores: Mapping[Any, float], n: int) -> Any:
    """Sort key: most important first; near-equal scores (float noise) tie, then by id."""
    return lambda node: (-round(scores[node] * n, 9), str(node))


# --------------------------------------------------------------------------- selection


def select_subgraph(
    graph: Any,
    focus: str | None = None,
    hops: int = 2,
    max_nodes: int = 500,
) -> Any:
    """Return the part of ``graph`` that :func:`render_html` draws, as a new MultiDiGraph.

    With ``focus``, keep the nodes within ``hops`` undirected steps of the nodes whose
    label equals ``focus`` (case-insensitively) or, when no label is equal, contains it.
    Then keep at most ``max_nodes`` nodes: the focus nodes first, then the most important
    (PageRank on the candidates, see :func:`importance`; ties by node id).  The result's
    ``graph`` dict holds ``total_nodes`` (the node count before the ``max_nodes`` cut) and
    ``focus_nodes`` (the sorted ids that matched ``focus``).  A blank or ``None`` focus
    means no focus.

    Raises :class:`ValueError` when no label matches ``focus``, or ``hops < 0`` or
    ``max_nodes < 1``.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("a", {"label": "A"}), ("b", {"label": "B"}), ("c", {"label": "C"})])
    >>> g.add_edges_from([("a", "b"), ("b", "c")])
    [0, 0]
    >>> sorted(select_subgraph(g, "a", hops=1).nodes)
    ['a', 'b']
    >>> sub = select_subgraph(g, max_nodes=1)
    >>> list(sub.nodes), sub.graph["total_nodes"]
    (['b'], 3)
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
        by_rank = _rank_key(importance(candidates), total)
        ranked = sorted(candidates.nodes, key=lambda n: (n not in seed_set, by_rank(n)))
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
            k: "" if item.get(k) is None else " ".join(str(item.get(k)).split())
            for k in ("text", "doc", "date", "source", "url")
        }
        ev["text"] = _clip(ev["text"], _MAX_SENTENCE_CHARS)
        key = (ev["text"], ev["doc"])
        if key in seen or not any(ev.values()):
            continue
        seen.add(key)
        out.append(ev)
    return out


def _script_json(value: object) -> str:
    """Serialise ``value`` as JSON that is inert inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where ``\\u003c`` etc. mean
    the same characters, so no article text can close the element or open a comment.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# --------------------------------------------------------------------------- layout
#
# Graphs above PHYSICS_MAX_NODES are laid out here, in units of the ideal edge length.
# Each connected component is drawn on its own: a start from pivot MDS (classical
# scaling of BFS distances to a few pivot nodes, Brandes & Pich 2006), then
# Fruchterman-Reingold.  Within small components repulsion is summed over all pairs; in
# large ones it is split into an exact near field (pairs in the same or adjacent grid
# cells) and a far field from the cell masses, convolved with the repulsion kernel by FFT,
# so an iteration costs O(n + pairs nearby + cells log cells) instead of O(n²).  Finally
# the components are packed in rows, largest first.

_LAYOUT_ITERATIONS = 60
_PIVOTS = 30
_MDS_MIN_NODES = 8
_SMALL_COMPONENT = 64
_MAX_GRID = 128
_NODE_SPACING = 40.0
"""Median distance (pixels) from a node to its nearest neighbour in a precomputed layout."""


def _csr(n: int, src: _Ints, dst: _Ints) -> tuple[_Ints, _Ints]:
    """Adjacency of the undirected graph with edges ``src[i] - dst[i]``, as CSR arrays."""
    ends = np.concatenate([src, dst])
    other = np.concatenate([dst, src])
    order = np.argsort(ends, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.intp)
    np.cumsum(np.bincount(ends, minlength=n), out=indptr[1:])
    return indptr, other[order]


def _expand(starts: _Ints, counts: _Ints) -> _Ints:
    """Concatenate the ranges ``starts[i] : starts[i] + counts[i]``."""
    total = int(counts.sum())
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return offsets + np.arange(total, dtype=np.intp)


def _bfs(indptr: _Ints, indices: _Ints, start: int) -> _Ints:
    """Hop distance from ``start`` to every node (-1: unreachable)."""
    dist = np.full(len(indptr) - 1, -1, dtype=np.intp)
    dist[start] = 0
    frontier = np.array([start], dtype=np.intp)
    level = 0
    while frontier.size:
        level += 1
        starts = indptr[frontier]
        reached = indices[_expand(starts, indptr[frontier + 1] - starts)]
        frontier = np.unique(reached[dist[reached] < 0])
        dist[frontier] = level
    return dist


def _pivot_mds(indptr: _Ints, indices: _Ints) -> _Floats:
    """Positions of one connected component from BFS distances to up to 30 pivots."""
    n = len(indptr) - 1
    k = min(_PIVOTS, n)
    distances = np.zeros((n, k))
    nearest = np.full(n, np.inf)
    pivot = int(np.argmax(np.diff(indptr)))  # start at the best-connected node
    for j in range(k):
        column = _bfs(indptr, indices, pivot).astype(np.float64)
        distances[:, j] = column
        np.minimum(nearest, column, out=nearest)
        pivot = int(np.argmax(nearest))  # next: the node farthest from all pivots so far
    centred = distances * distances
    centred -= centred.mean(axis=0, keepdims=True)
    centred -= centred.mean(axis=1, keepdims=True)
    _values, vectors = np.linalg.eigh(centred.T @ centred)
    pos: _Floats = centred @ vectors[:, [-1, -2]]
    return pos


def _components(n: int, indptr: _Ints, indices: _Ints) -> list[_Ints]:
    """Connected components (sorted index arrays), largest first, ties by first index."""
    label = np.full(n, -1, dtype=np.intp)
    found: list[_Ints] = []
    for start in range(n):
        if label[start] >= 0:
            continue
        if indptr[start + 1] == indptr[start]:
            members = np.array([start], dtype=np.intp)
        else:
            members = np.flatnonzero(_bfs(indptr, indices, start) >= 0)
        label[members] = len(found)
        found.append(members)
    found.sort(key=lambda members: (-len(members), int(members[0])))
    return found


def _initial_positions(n: int, src: _Ints, dst: _Ints, components: list[_Ints]) -> _Floats:
    """Each component around the origin: pivot MDS, or at random when small."""
    rng = np.random.default_rng(_SEED)
    comp_of = np.zeros(n, dtype=np.intp)
    for c, members in enumerate(components):
        comp_of[members] = c
    local = np.zeros(n, dtype=np.intp)
    edge_comp = comp_of[src]
    edge_order = np.argsort(edge_comp, kind="stable")
    edge_bounds = np.searchsorted(edge_comp[edge_order], np.arange(len(components) + 1))
    out = np.zeros((n, 2))
    for c, members in enumerate(components):
        size = len(members)
        pos = rng.random((size, 2)) * math.sqrt(size)
        if size >= _MDS_MIN_NODES:
            local[members] = np.arange(size)
            mine = edge_order[edge_bounds[c] : edge_bounds[c + 1]]
            a, b = local[src[mine]], local[dst[mine]]
            sub_ptr, sub_idx = _csr(size, a, b)
            mds = _pivot_mds(sub_ptr, sub_idx)
            typical = float(np.median(np.hypot(*(mds[a] - mds[b]).T))) if len(a) else 0.0
            if typical > 1e-9:
                pos = mds / typical
        out[members] = pos + rng.normal(scale=0.05, size=pos.shape)  # no coinciding nodes
    return out


def _small_pairs(components: list[_Ints]) -> tuple[_Ints, _Ints]:
    """Every pair of nodes within each small component (grouped by size, vectorised)."""
    by_size: dict[int, list[_Ints]] = {}
    for members in components:
        if 1 < len(members) <= _SMALL_COMPONENT:
            by_size.setdefault(len(members), []).append(members)
    left: list[_Ints] = [np.zeros(0, dtype=np.intp)]
    right: list[_Ints] = [np.zeros(0, dtype=np.intp)]
    for size, groups in sorted(by_size.items()):
        table = np.vstack(groups)
        i, j = np.triu_indices(size, 1)
        left.append(table[:, i].ravel())
        right.append(table[:, j].ravel())
    return np.concatenate(left), np.concatenate(right)


def _pack(pos: _Floats, components: list[_Ints]) -> _Floats:
    """Components side by side in rows (largest first), about as wide as tall in total,
    each scaled so that a node's nearest neighbour is 1 away (median)."""
    margin = 2.0
    boxes = []
    for members in components:
        box = pos[members] - pos[members].min(axis=0)
        boxes.append(box / _nearest_spacing(box) if len(members) > 2 else box)
    sizes = [box.max(axis=0) + margin for box in boxes]
    width = max(math.sqrt(sum(float(w * h) for w, h in sizes)) * 1.2, float(sizes[0][0]))
    out = np.zeros_like(pos)
    x = y = row = 0.0
    for members, box, (w, h) in zip(components, boxes, sizes, strict=True):
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row, 0.0
        out[members] = box + np.array([x, y])
        x += float(w)
        row = max(row, float(h))
    return out


def _near_pairs(pos: _Floats, cell: float) -> tuple[_Ints, _Ints, _Ints, int, int]:
    """Pairs of nodes in the same or adjacent grid cells; each node's cell; grid shape."""
    n = len(pos)
    cells = np.floor((pos - pos.min(axis=0)) / cell).astype(np.intp)
    gx, gy = int(cells[:, 0].max()) + 1, int(cells[:, 1].max()) + 1
    cell_id = cells[:, 0] * gy + cells[:, 1]
    order = np.argsort(cell_id, kind="stable")
    sorted_ids = cell_id[order]
    every = np.arange(gx * gy)
    first = np.searchsorted(sorted_ids, every, "left")
    after = np.searchsorted(sorted_ids, every, "right")
    cx, cy = cells[order, 0], cells[order, 1]
    rank = np.arange(n, dtype=np.intp)
    left: list[_Ints] = []
    right: list[_Ints] = []
    for dx, dy in ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1)):  # half the neighbourhood
        tx, ty = cx + dx, cy + dy
        ok = (tx < gx) & (ty >= 0) & (ty < gy)
        mine = rank[ok]
        target = tx[ok] * gy + ty[ok]
        lo = mine + 1 if (dx, dy) == (0, 0) else first[target]
        counts = np.maximum(after[target] - lo, 0)
        left.append(order[np.repeat(mine, counts)])
        right.append(order[_expand(lo, counts)])
    return np.concatenate(left), np.concatenate(right), cells, gx, gy


def _far_field(cells: _Ints, gx: int, gy: int, cell: float) -> _Floats:
    """Repulsion on each node from the nodes two or more cells away, by cell masses."""
    mass = np.bincount(cells[:, 0] * gy + cells[:, 1], minlength=gx * gy).astype(np.float64)
    sx, sy = 2 * gx, 2 * gy
    ox = np.arange(sx, dtype=np.float64)
    ox[gx:] -= sx
    oy = np.arange(sy, dtype=np.float64)
    oy[gy:] -= sy
    ax, ay = np.meshgrid(ox, oy, indexing="ij")
    r2 = (ax * ax + ay * ay) * cell
    r2[(np.abs(ax) <= 1) & (np.abs(ay) <= 1)] = np.inf  # the near field is exact
    spectrum = np.fft.rfft2(mass.reshape(gx, gy), s=(sx, sy))
    out = np.empty((len(cells), 2))
    for axis, offsets in enumerate((ax, ay)):
        field = np.fft.irfft2(spectrum * np.fft.rfft2(offsets / r2), s=(sx, sy))
        out[:, axis] = field[cells[:, 0], cells[:, 1]]
    return out


def _grid_repulsion(pos: _Floats) -> _Floats:
    """FR repulsion on every node of one (large) component: near field exact, far by FFT."""
    n = len(pos)
    extent = float((pos.max(axis=0) - pos.min(axis=0)).max())
    # about two nodes per cell on average, so the exact near field stays small
    cell = max(extent / _MAX_GRID, 1.5 * extent / math.sqrt(n), 1e-6)
    left, right, cells, gx, gy = _near_pairs(pos, cell)
    disp = _far_field(cells, gx, gy, cell)
    delta = pos[left] - pos[right]
    push = delta / np.maximum((delta * delta).sum(axis=1), 1e-4)[:, None]
    for axis in (0, 1):
        disp[:, axis] += np.bincount(left, push[:, axis], n)
        disp[:, axis] -= np.bincount(right, push[:, axis], n)
    return disp


def _refine(
    pos: _Floats, src: _Ints, dst: _Ints, components: list[_Ints], iterations: int
) -> _Floats:
    """Fruchterman-Reingold, ideal edge length 1, a linearly cooling step cap; no force
    acts between components (they are packed afterwards)."""
    n = len(pos)
    small_left, small_right = _small_pairs(components)
    large = [members for members in components if len(members) > _SMALL_COMPONENT]
    temperature = 2.0
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        for members in large:
            disp[members] += _grid_repulsion(pos[members])
        delta = pos[small_left] - pos[small_right]
        push = delta / np.maximum((delta * delta).sum(axis=1), 1e-4)[:, None]
        delta = pos[src] - pos[dst]
        pull = delta * np.sqrt((delta * delta).sum(axis=1))[:, None]
        for axis in (0, 1):
            disp[:, axis] += np.bincount(small_left, push[:, axis], n)
            disp[:, axis] -= np.bincount(small_right, push[:, axis], n)
            disp[:, axis] += np.bincount(dst, pull[:, axis], n)
            disp[:, axis] -= np.bincount(src, pull[:, axis], n)
        length = np.sqrt((disp * disp).sum(axis=1))
        pos = pos + disp * (np.minimum(length, temperature) / np.maximum(length, 1e-9))[:, None]
        temperature -= cooling
    return pos


def _nearest_spacing(pos: _Floats) -> float:
    """Median distance to the nearest other node, over up to 500 evenly spread nodes."""
    n = len(pos)
    if n < 2:
        return 1.0
    sample = pos[:: max(1, n // 500)]
    gaps = np.full(len(sample), np.inf)
    for lo in range(0, len(sample), 50):
        delta = sample[lo : lo + 50, None, :] - pos[None, :, :]
        dist = np.sqrt((delta * delta).sum(axis=2))
        dist[dist <= 0.0] = np.inf  # the node itself (and exact duplicates)
        gaps[lo : lo + 50] = dist.min(axis=1)
    finite = gaps[np.isfinite(gaps)]
    spacing = float(np.median(finite)) if len(finite) else 0.0
    return spacing if spacing > 1e-9 else 1.0


def _layout(graph: Any) -> dict[str, tuple[float, float]]:
    """Deterministic positions (pixels) for graphs too big for in-browser physics."""
    order = sorted({str(n) for n in graph.nodes})
    n = len(order)
    if n == 0:
        return {}
    index = {name: i for i, name in enumerate(order)}
    pairs = sorted(
        {
            (min(index[str(u)], index[str(v)]), max(index[str(u)], index[str(v)]))
            for u, v in graph.edges()
            if str(u) != str(v)
        }
    )
    ends = np.asarray(pairs, dtype=np.intp).reshape(-1, 2)
    src, dst = ends[:, 0].copy(), ends[:, 1].copy()
    indptr, indices = _csr(n, src, dst)
    components = _components(n, indptr, indices)
    pos = _initial_positions(n, src, dst, components)
    iterations = _LAYOUT_ITERATIONS if n <= 2000 else _LAYOUT_ITERATIONS * 2 // 3
    pos = _pack(_refine(pos, src, dst, components, iterations), components)
    pos = (pos - pos.mean(axis=0)) * _NODE_SPACING
    return {
        name: (round(float(pos[i, 0]), 1), round(float(pos[i, 1]), 1))
        for i, name in enumerate(order)
    }


# --------------------------------------------------------------------------- page data


def _options(node_count: int, physics: bool) -> dict[str, Any]:
    big = node_count > PHYSICS_MAX_NODES
    options: dict[str, Any] = {
        "autoResize": True,
        "layout": {"randomSeed": _SEED, "improvedLayout": node_count <= 100},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
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


def _node_size(score: float, n: int) -> float:
    """Dot radius from a PageRank score: 16 px for an average node, 8 to 48 px."""
    return round(min(48.0, max(8.0, 6.0 + 10.0 * math.sqrt(score * n))), 2)


class _Evidence:
    """The page's evidence table: each distinct sentence once, articles numbered."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []
        self._index: dict[tuple[str, str, str, str, str], int] = {}

    def refs(self, evidence: list[dict[str, str]]) -> list[int]:
        out = []
        for ev in evidence:
            row = (ev["text"], ev["doc"] or ev["url"], ev["date"], ev["source"], ev["url"])
            if row not in self._index:
                self._index[row] = len(self.rows)
                self.rows.append(row)
            out.append(self._index[row])
        return out

    def table(self) -> tuple[list[dict[str, str]], list[list[Any]], list[str]]:
        """Articles (sorted by date, title), evidence rows ``[text, article, date, source,
        url]`` and the ``[first, last]`` day of any evidence (empty without dates)."""
        articles: dict[str, dict[str, str]] = {}
        for _text, key, date, source, _url in self.rows:
            entry = articles.setdefault(
                key, {"title": key or "(untitled article)", "date": "", "source": ""}
            )
            day = date[:10]
            if day and (not entry["date"] or day < entry["date"]):
                entry["date"] = day
            if source and (not entry["source"] or source < entry["source"]):
                entry["source"] = source
        keys = sorted(articles, key=lambda k: (articles[k]["date"], articles[k]["title"], k))
        number = {key: i for i, key in enumerate(keys)}
        rows = [[t, number[k], d, s, u] for t, k, d, s, u in self.rows]
        days = sorted({d[:10] for _t, _k, d, _s, _u in self.rows if d[:10]})
        return [articles[k] for k in keys], rows, [days[0], days[-1]] if days else []


def _payload(sub: Any, full: Any, physics: bool) -> dict[str, Any]:
    """Everything the page script needs, as plain (unescaped) strings and numbers."""
    node_count = sub.number_of_nodes()
    positions = {} if physics else _layout(sub)
    focus_nodes = set(sub.graph.get("focus_nodes", []))
    scores = importance(sub)
    evidence = _Evidence()

    nodes_sorted = sorted(sub.nodes, key=str)
    kind_of = {node: str(sub.nodes[node].get("kind") or "Thing") for node in nodes_sorted}
    kind_counts = Counter(kind_of.values())
    kind_names = sorted(kind_counts, key=lambda k: (_CATEGORY_ORDER[kind_category(k)], k))
    kind_number = {kind: i for i, kind in enumerate(kind_names)}
    truncated = node_count < full.number_of_nodes()

    nodes: list[dict[str, Any]] = []
    for node in nodes_sorted:
        attrs = sub.nodes[node]
        item: dict[str, Any] = {
            "id": str(node),
            "label": _clip(_label_of(sub, node), _MAX_SENTENCE_CHARS) or str(node),
            "kind": kind_number[kind_of[node]],
            "size": _node_size(scores[node], node_count),
            "ev": evidence.refs(_evidence(attrs)),
        }
        if str(node) in focus_nodes:
            item["focus"] = True
        if not physics:
            item["x"], item["y"] = positions[str(node)]
        if truncated and node in full:
            more = full.degree(node) - sub.degree(node)
            if more > 0:
                item["more"] = more
        nodes.append(item)

    edges_sorted = sorted(
        (
            (u, v, key, attrs, _evidence(attrs))
            for u, v, key, attrs in sub.edges(keys=True, data=True)
        ),
        key=lambda e: (
            str(e[0]),
            str(e[1]),
            str(e[3].get("label") or ""),
            [tuple(ev.values()) for ev in e[4]],
            str(e[2]),
        ),
    )
    rel_counts = Counter(str(e[3].get("label") or "") for e in edges_sorted)
    rel_names = sorted(rel_counts)
    rel_number = {name: i for i, name in enumerate(rel_names)}
    parallel: Counter[tuple[str, str]] = Counter()
    edges: list[dict[str, Any]] = []
    for index, (u, v, _key, attrs, edge_evidence) in enumerate(edges_sorted):
        edge: dict[str, Any] = {
            "id": f"e{index}",
            "from": str(u),
            "to": str(v),
            "rel": rel_number[str(attrs.get("label") or "")],
            "ev": evidence.refs(edge_evidence),
        }
        pair = (min(str(u), str(v)), max(str(u), str(v)))
        rank = parallel[pair]
        parallel[pair] += 1
        if rank and u != v:
            edge["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if rank % 2 else "curvedCCW",
                "roundness": round(0.2 * ((rank + 1) // 2), 2),
            }
        edges.append(edge)

    articles, rows, days = evidence.table()
    return {
        "kinds": [
            {
                "name": kind,
                "color": kind_color(kind),
                "event": kind_category(kind) == "event",
                "count": kind_counts[kind],
            }
            for kind in kind_names
        ],
        "relations": [{"name": name, "count": rel_counts[name]} for name in rel_names],
        "articles": articles,
        "evidence": rows,
        "days": days,
        "nodes": nodes,
        "edges": edges,
        "options": _options(node_count, physics),
        "physics": physics and node_count > 0,
        "edge_labels": len(edges) <= EDGE_LABELS_MAX,
        "tip_evidence": MAX_EVIDENCE,
        "label_chars": _MAX_CANVAS_LABEL_CHARS,
    }


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
button { font: inherit; cursor: pointer; }
[hidden] { display: none !important; }
#kg-header { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px;
  padding: 6px 12px; border-bottom: 1px solid #ddd; background: #f7f7f7; }
#kg-header h1 { font-size: 17px; margin: 0; }
#kg-stats { color: #555; }
.kg-note { background: #fff3cd; border: 1px solid #e0c36b; border-radius: 4px;
  padding: 1px 8px; }
#kg-search-box { margin-left: auto; display: flex; gap: 4px; align-items: center; }
#kg-search { width: 16em; padding: 3px 6px; }
#kg-search-status { color: #555; min-width: 5em; }
#kg-body { display: flex; flex: 1 1 auto; min-height: 300px; }
#kg-filters { flex: 0 0 250px; overflow: auto; border-right: 1px solid #ddd;
  padding: 6px 10px 10px; background: #fbfbfb; font-size: 13px; }
#kg-filters h2 { font-size: 13px; margin: 10px 0 4px; display: flex; align-items: center;
  gap: 6px; }
#kg-filters h2 .kg-all { margin-left: auto; }
#kg-filters h2 button { font-size: 11px; padding: 0 5px; }
#kg-filters ul { list-style: none; margin: 0; padding: 0; }
#kg-filters li label { display: flex; align-items: center; gap: 5px; margin: 1px 0; }
#kg-filters li input { margin: 0; }
#kg-relation-list { max-height: 14em; overflow: auto; }
.kg-name { overflow-wrap: anywhere; }
#kg-article { width: 100%; }
.kg-dates label { display: flex; justify-content: space-between; gap: 4px; margin: 2px 0; }
.kg-option { display: flex; gap: 5px; align-items: flex-start; margin-top: 10px; }
.kg-actions { display: flex; gap: 6px; margin-top: 8px; }
#kg-visible { color: #555; margin: 8px 0 0; }
.kg-swatch { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  border: 1px solid rgba(0,0,0,0.3); flex: none; }
.kg-count { color: #777; }
#kg-main { position: relative; flex: 1 1 auto; min-width: 0; }
#mynetwork { position: absolute; inset: 0; }
#kg-loading { position: absolute; left: 50%; top: 12px; transform: translateX(-50%);
  background: rgba(255,255,255,0.9); border: 1px solid #ccc; border-radius: 4px;
  padding: 2px 10px; color: #555; }
#kg-panel { position: absolute; top: 0; right: 0; bottom: 0; width: min(380px, 90%);
  overflow: auto; background: #fff; border-left: 1px solid #ccc;
  box-shadow: -2px 0 6px rgba(0,0,0,0.12); padding: 8px 12px 16px; box-sizing: border-box; }
#kg-panel-close { position: sticky; top: 0; float: right; border: 1px solid #ccc;
  background: #fff; border-radius: 4px; padding: 0 7px; }
#kg-panel h2 { font-size: 16px; margin: 0 0 2px; overflow-wrap: anywhere; }
#kg-panel h3 { font-size: 13px; margin: 12px 0 4px; border-bottom: 1px solid #eee; }
.kg-kind-line { display: flex; align-items: center; gap: 6px; color: #555; margin: 0; }
.kg-warn { color: #8a5a00; font-size: 12px; margin: 4px 0; }
.kg-links { list-style: none; margin: 0; padding: 0; }
.kg-link { border-top: 1px solid #f0f0f0; padding: 4px 0; }
.kg-link.kg-filtered { opacity: 0.55; }
.kg-link-head { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; }
.kg-dir { color: #777; }
.kg-rel { font-style: italic; }
.kg-goto { border: none; background: none; padding: 0; color: #1a5fb4;
  text-decoration: underline; text-align: left; overflow-wrap: anywhere; }
.kg-ev { margin: 4px 0; padding-left: 1.4em; }
.kg-ev li { margin-bottom: 4px; }
.kg-meta, .kg-url, .kg-more, .kg-none { color: #666; font-size: 12px; }
.kg-url, .kg-iri { word-break: break-all; }
.kg-iri { color: #999; font-size: 11px; margin-top: 8px; }
div.vis-tooltip { white-space: normal; max-width: 30em; font-size: 13px; padding: 6px 8px;
  font-family: inherit; }
.kg-tip .kg-head { font-weight: 600; }
.kg-tip .kg-kind { color: #666; font-style: italic; margin-bottom: 4px; }
"""

# Plain JavaScript, no library besides vis-network.  Article text arrives as plain
# strings in the JSON block and is only ever put into the page with textContent or
# createTextNode, or drawn on the canvas by vis; never parsed as HTML.
_APP_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var kinds = data.kinds, relations = data.relations, articles = data.articles;
  var evidence = data.evidence, nodeData = data.nodes, edgeData = data.edges;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function clip(text, limit) {
    return text.length <= limit ? text : text.slice(0, limit - 1).replace(/\\s+$/, "") + "\\u2026";
  }
  function swatch(color) {
    var dot = el("span", "kg-swatch");
    dot.style.background = color;
    return dot;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // ------------------------------------------------------------------ graph data
  var indexOf = {}, edgeIndexOf = {}, degree = [], links = [];
  nodeData.forEach(function (n, i) { indexOf[n.id] = i; degree.push(0); links.push([]); });
  edgeData.forEach(function (e, i) {
    var a = indexOf[e.from], b = indexOf[e.to];
    edgeIndexOf[e.id] = i;
    degree[a] += 1;
    links[a].push(i);
    if (b !== a) { degree[b] += 1; links[b].push(i); }
  });
  function nodeLabel(id) { return nodeData[indexOf[id]].label; }

  // Tooltip elements start empty and are filled on first hover (cheap for big graphs).
  var nodeItems = nodeData.map(function (n) {
    var kind = kinds[n.kind];
    var item = {id: n.id, label: clip(n.label, data.label_chars), color: kind.color,
                size: n.size, title: el("div", "kg-tip")};
    if (n.focus) { item.color = {background: kind.color, border: "#222"}; item.borderWidth = 4; }
    if (typeof n.x === "number") { item.x = n.x; item.y = n.y; }
    return item;
  });
  var edgeItems = edgeData.map(function (e) {
    var item = {id: e.id, from: e.from, to: e.to, title: el("div", "kg-tip")};
    if (data.edge_labels) { item.label = relations[e.rel].name; }
    if (e.smooth) { item.smooth = e.smooth; }
    return item;
  });

  function articleLine(row) {
    var parts = [articles[row[1]].title, row[2], row[3]].filter(function (p) { return p; });
    return parts.join(" \\u00b7 ");
  }
  function evidenceBlock(ids, limit) {
    var box = document.createDocumentFragment();
    if (!ids.length) { box.appendChild(el("div", "kg-none", "no evidence recorded")); return box; }
    var list = el("ol", "kg-ev");
    ids.slice(0, limit || ids.length).forEach(function (k) {
      var row = evidence[k], item = el("li");
      item.appendChild(el("span", "kg-quote",
        "\\u201c" + (limit ? clip(row[0], 400) : row[0]) + "\\u201d"));
      item.appendChild(el("div", "kg-meta", articleLine(row)));
      if (row[4]) { item.appendChild(el("div", "kg-url", row[4])); }
      list.appendChild(item);
    });
    box.appendChild(list);
    if (limit && ids.length > limit) {
      box.appendChild(el("div", "kg-more", "+" + (ids.length - limit) + " more"));
    }
    return box;
  }
  function fillNodeTip(i) {
    var box = nodeItems[i].title, n = nodeData[i];
    if (box.firstChild) { return; }
    box.appendChild(el("div", "kg-head", n.label));
    box.appendChild(el("div", "kg-kind", kinds[n.kind].name));
    box.appendChild(evidenceBlock(n.ev, data.tip_evidence));
    box.appendChild(el("div", "kg-iri", n.id));
  }
  function fillEdgeTip(i) {
    var box = edgeItems[i].title, e = edgeData[i], rel = relations[e.rel].name;
    if (box.firstChild) { return; }
    box.appendChild(el("div", "kg-head",
      nodeLabel(e.from) + " \\u2192 " + rel + " \\u2192 " + nodeLabel(e.to)));
    box.appendChild(el("div", "kg-kind", "relation: " + rel));
    box.appendChild(evidenceBlock(e.ev, data.tip_evidence));
  }

  // ------------------------------------------------------------------ network
  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgEdges = edges;
  window.kgReady = false;
  window.kgVisibleCount = function () {
    return {nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length};
  };
  network.on("hoverNode", function (p) { if (p.node in indexOf) { fillNodeTip(indexOf[p.node]); } });
  network.on("hoverEdge", function (p) {
    if (p.edge in edgeIndexOf) { fillEdgeTip(edgeIndexOf[p.edge]); }
  });
  network.on("showPopup", function (id) {
    if (id in indexOf) { fillNodeTip(indexOf[id]); }
    else if (id in edgeIndexOf) { fillEdgeTip(edgeIndexOf[id]); }
  });

  // Big graphs: only the selected edges (a selected node's links) carry a canvas label.
  var labelled = {};
  function syncLabels() {
    if (data.edge_labels) { return; }
    var wanted = {}, updates = [];
    network.getSelectedEdges().forEach(function (id) { wanted[id] = true; });
    Object.keys(labelled).forEach(function (id) {
      if (!wanted[id]) { updates.push({id: id, label: null}); delete labelled[id]; }
    });
    Object.keys(wanted).forEach(function (id) {
      if (!labelled[id] && id in edgeIndexOf) {
        labelled[id] = true;
        updates.push({id: id, label: relations[edgeData[edgeIndexOf[id]].rel].name});
      }
    });
    if (updates.length) { edges.update(updates); }
  }
  ["select", "deselectNode", "deselectEdge"].forEach(function (type) { network.on(type, syncLabels); });

  var loading = document.getElementById("kg-loading");
  function ready() {
    if (loading) { loading.hidden = true; }
    network.once("afterDrawing", function () {
      window.kgReadyAt = performance.now();
      window.kgReady = true;
    });
    network.redraw();
  }
  var settled = false;
  function settle() {
    if (settled) { return; }
    settled = true;
    network.setOptions({physics: {enabled: false}});
    ready();
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", settle);
    window.setTimeout(settle, 30000);
  } else {
    ready();
  }

  // ------------------------------------------------------------------ filters
  var kindOn = kinds.map(function () { return true; });
  var relationOn = relations.map(function () { return true; });
  var nodeHidden = nodeData.map(function () { return false; });
  var edgeHidden = edgeData.map(function () { return false; });  // the vis flag
  var edgeDrawn = edgeData.map(function () { return true; });
  var state = {article: -1, from: "", to: "", orphans: true};
  var articleBox = document.getElementById("kg-article");
  var fromBox = document.getElementById("kg-date-from");
  var toBox = document.getElementById("kg-date-to");
  var orphanBox = document.getElementById("kg-orphans");
  var counter = document.getElementById("kg-visible");

  function evidencePasses(ids) {
    for (var i = 0; i < ids.length; i++) {
      var row = evidence[ids[i]], day = row[2].slice(0, 10);
      if (state.article >= 0 && row[1] !== state.article) { continue; }
      if (state.from && (!day || day < state.from)) { continue; }
      if (state.to && (!day || day > state.to)) { continue; }
      return true;
    }
    return false;
  }
  function applyFilters() {
    var byEvidence = state.article >= 0 || !!state.from || !!state.to;
    var shownDegree = nodeData.map(function () { return 0; });
    // An edge passes on its own (relation, evidence); vis itself hides the edges of a
    // hidden node, so the kind filter needs no edge updates.
    var edgePasses = edgeData.map(function (e) {
      return relationOn[e.rel] && (!byEvidence || evidencePasses(e.ev));
    });
    var edgeShown = edgeData.map(function (e, i) {
      var a = indexOf[e.from], b = indexOf[e.to];
      var show = edgePasses[i] && kindOn[nodeData[a].kind] && kindOn[nodeData[b].kind];
      if (show) { shownDegree[a] += 1; if (b !== a) { shownDegree[b] += 1; } }
      return show;
    });
    var nodeUpdates = [], edgeUpdates = [], shownNodes = 0, shownEdges = 0;
    nodeData.forEach(function (n, i) {
      var show = kindOn[n.kind] && (shownDegree[i] > 0 ||
        (byEvidence ? evidencePasses(n.ev) : !(state.orphans && degree[i] > 0)));
      if (show) { shownNodes += 1; }
      if (nodeHidden[i] === show) { nodeHidden[i] = !show; nodeUpdates.push({id: n.id, hidden: !show}); }
    });
    edgeData.forEach(function (e, i) {
      if (edgeShown[i]) { shownEdges += 1; }
      if (edgeHidden[i] === edgePasses[i]) {
        edgeHidden[i] = !edgePasses[i];
        edgeUpdates.push({id: e.id, hidden: !edgePasses[i]});
      }
      edgeDrawn[i] = edgeShown[i];
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    var filtered = shownNodes < nodeData.length || shownEdges < edgeData.length;
    counter.textContent = filtered
      ? "Showing " + shownNodes + " of " + plural(nodeData.length, "node") + ", " +
        shownEdges + " of " + plural(edgeData.length, "edge") + "."
      : "Showing all " + plural(nodeData.length, "node") + " and " +
        plural(edgeData.length, "edge") + ".";
    if (current) { current.refresh(); }
  }

  function checkList(listId, entries, flags, colors) {
    var list = document.getElementById(listId), boxes = [];
    if (!list) { return boxes; }
    entries.forEach(function (entry) {
      var item = el("li"), label = el("label"), box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.addEventListener("change", function () { flags[entry.i] = box.checked; applyFilters(); });
      label.appendChild(box);
      if (colors) { label.appendChild(swatch(entry.color)); }
      label.appendChild(el("span", "kg-name", entry.name || "(no label)"));
      label.appendChild(el("span", "kg-count", "(" + entry.count + ")"));
      item.appendChild(label);
      list.appendChild(item);
      boxes.push({box: box, i: entry.i});
    });
    var section = list.closest("section");
    if (section) {
      section.hidden = !entries.length;
      section.querySelectorAll("button[data-set]").forEach(function (button) {
        button.addEventListener("click", function () {
          var on = button.getAttribute("data-set") === "all";
          boxes.forEach(function (b) { b.box.checked = on; flags[b.i] = on; });
          applyFilters();
        });
      });
    }
    return boxes;
  }
  function numbered(list) {
    return list.map(function (entry, i) {
      return {i: i, name: entry.name, count: entry.count, color: entry.color, event: entry.event};
    });
  }
  var kindEntries = numbered(kinds);
  var allBoxes = []
    .concat(checkList("kg-kind-list", kindEntries.filter(function (k) { return !k.event; }), kindOn, true))
    .concat(checkList("kg-event-list", kindEntries.filter(function (k) { return k.event; }), kindOn, true))
    .concat(checkList("kg-relation-list", numbered(relations), relationOn, false));

  articles.forEach(function (article, i) {
    var option = el("option", null, article.title + (article.date ? " (" + article.date + ")" : ""));
    option.value = String(i);
    if (article.source) { option.title = article.source; }
    articleBox.appendChild(option);
  });
  articleBox.closest("section").hidden = !articles.length;
  articleBox.addEventListener("change", function () {
    state.article = articleBox.value === "" ? -1 : Number(articleBox.value);
    applyFilters();
  });
  if (data.days.length) {
    [fromBox, toBox].forEach(function (box) {
      box.min = data.days[0];
      box.max = data.days[1];
      ["input", "change"].forEach(function (type) {
        box.addEventListener(type, function () {
          state.from = fromBox.value;
          state.to = toBox.value;
          applyFilters();
        });
      });
    });
  } else {
    fromBox.closest("section").hidden = true;
  }
  orphanBox.addEventListener("change", function () { state.orphans = orphanBox.checked; applyFilters(); });
  document.getElementById("kg-reset").addEventListener("click", function () {
    allBoxes.forEach(function (b) { b.box.checked = true; });
    kindOn.forEach(function (_, i) { kindOn[i] = true; });
    relationOn.forEach(function (_, i) { relationOn[i] = true; });
    articleBox.value = "";
    fromBox.value = "";
    toBox.value = "";
    orphanBox.checked = true;
    state = {article: -1, from: "", to: "", orphans: true};
    applyFilters();
  });
  document.getElementById("kg-fit").addEventListener("click", function () {
    network.fit({animation: {duration: 300, easingFunction: "easeInOutQuad"}});
  });

  // ------------------------------------------------------------------ side panel
  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");
  var current = null;

  function goTo(id) {
    var button = el("button", "kg-goto", nodeLabel(id));
    button.type = "button";
    button.addEventListener("click", function () { select(id, true); });
    return button;
  }
  function section(title, count) {
    return el("h3", null, title + " (" + count + ")");
  }
  function showNode(id) {
    var i = indexOf[id], n = nodeData[i], kind = kinds[n.kind];
    clear(panelBody);
    panelBody.appendChild(el("h2", null, n.label));
    var line = el("p", "kg-kind-line");
    line.appendChild(swatch(kind.color));
    line.appendChild(el("span", "kg-panel-kind", kind.name));
    panelBody.appendChild(line);
    if (nodeHidden[i]) { panelBody.appendChild(el("p", "kg-warn", "Hidden by the current filters.")); }
    panelBody.appendChild(section("Evidence", n.ev.length));
    panelBody.appendChild(evidenceBlock(n.ev, 0));
    var mine = links[i].slice().sort(function (x, y) {
      var ex = edgeData[x], ey = edgeData[y];
      var ox = ex.from === id ? 0 : 1, oy = ey.from === id ? 0 : 1;
      if (ox !== oy) { return ox - oy; }
      var rx = relations[ex.rel].name, ry = relations[ey.rel].name;
      if (rx !== ry) { return rx < ry ? -1 : 1; }
      var lx = nodeLabel(ox ? ex.from : ex.to), ly = nodeLabel(oy ? ey.from : ey.to);
      return lx < ly ? -1 : lx > ly ? 1 : x - y;
    });
    panelBody.appendChild(section("Links", mine.length));
    var list = el("ul", "kg-links");
    mine.forEach(function (k) {
      var e = edgeData[k], out = e.from === id, other = out ? e.to : e.from;
      var item = el("li", "kg-link" + (edgeDrawn[k] ? "" : " kg-filtered"));
      var head = el("div", "kg-link-head");
      head.appendChild(el("span", "kg-dir", e.from === e.to ? "\\u21bb" : out ? "\\u2192" : "\\u2190"));
      head.appendChild(el("span", "kg-rel", relations[e.rel].name || "(no label)"));
      head.appendChild(goTo(other));
      item.appendChild(head);
      item.appendChild(evidenceBlock(e.ev, 0));
      list.appendChild(item);
    });
    panelBody.appendChild(list);
    if (n.more) {
      panelBody.appendChild(el("p", "kg-warn",
        "+" + plural(n.more, "link") + " to nodes not drawn (raise max_nodes to see them)."));
    }
    panelBody.appendChild(el("div", "kg-iri", n.id));
    current = {refresh: function () { showNode(id); }, node: id};
    panel.hidden = false;
  }
  function showEdge(id) {
    var i = edgeIndexOf[id], e = edgeData[i], rel = relations[e.rel].name;
    clear(panelBody);
    panelBody.appendChild(el("h2", null, rel || "(no label)"));
    panelBody.appendChild(el("p", "kg-kind-line", "relation"));
    if (!edgeDrawn[i]) { panelBody.appendChild(el("p", "kg-warn", "Hidden by the current filters.")); }
    var head = el("div", "kg-link-head");
    head.appendChild(goTo(e.from));
    head.appendChild(el("span", "kg-dir", "\\u2192 " + rel + " \\u2192"));
    head.appendChild(goTo(e.to));
    panelBody.appendChild(head);
    panelBody.appendChild(section("Evidence", e.ev.length));
    panelBody.appendChild(evidenceBlock(e.ev, 0));
    current = {refresh: function () { showEdge(id); }, edge: id};
    panel.hidden = false;
  }
  function closePanel() { panel.hidden = true; current = null; }
  function select(id, focus) {
    network.selectNodes([id]);
    syncLabels();
    if (focus) {
      network.focus(id, {scale: 1.3, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    }
    showNode(id);
  }
  window.kgSelect = function (id) { select(id, true); };
  document.getElementById("kg-panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) { closePanel(); }
  });
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  // ------------------------------------------------------------------ search
  var ids = nodeData.map(function (n) { return n.id; });
  var folded = {};
  nodeData.forEach(function (n) { folded[n.id] = n.label.toLowerCase(); });
  ids.sort(function (a, b) {
    var x = folded[a], y = folded[b];
    return x < y ? -1 : x > y ? 1 : (a < b ? -1 : a > b ? 1 : 0);
  });
  var input = document.getElementById("kg-search");
  var status = document.getElementById("kg-search-status");
  var lastQuery = null;
  var position = -1;
  function find(advance) {
    var query = input.value.trim().toLowerCase();
    if (!query) { status.textContent = ""; lastQuery = null; return; }
    var exact = ids.filter(function (id) { return folded[id] === query; });
    var partial = ids.filter(function (id) {
      return folded[id] !== query && folded[id].indexOf(query) !== -1;
    });
    var all = exact.concat(partial);
    var hits = all.filter(function (id) { return !nodeHidden[indexOf[id]]; });
    if (!hits.length) {
      network.unselectAll();
      syncLabels();
      status.textContent = all.length ? all.length + " hidden by filters" : "no match";
      return;
    }
    position = (query === lastQuery && advance) ? (position + 1) % hits.length : 0;
    lastQuery = query;
    select(hits[position], true);
    status.textContent = (position + 1) + " / " + hits.length;
  }
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); find(true); }
  });
  input.addEventListener("input", function () { find(false); });
  document.getElementById("kg-search-button").addEventListener("click", function () { find(true); });

  applyFilters();
})();
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ kg.csp }}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kg (vis-network from pyvis {{ kg.pyvis_version }}, inlined)">
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
<div id="kg-body">
<nav id="kg-filters" aria-label="Legend and filters">
<section id="kg-legend">
<h2>Entity types <span class="kg-all"><button type="button" data-set="all">all</button>
<button type="button" data-set="none">none</button></span></h2>
<ul id="kg-kind-list"></ul>
</section>
<section id="kg-events">
<h2>Event types <span class="kg-all"><button type="button" data-set="all">all</button>
<button type="button" data-set="none">none</button></span></h2>
<ul id="kg-event-list"></ul>
</section>
<section id="kg-relations">
<h2>Relations <span class="kg-all"><button type="button" data-set="all">all</button>
<button type="button" data-set="none">none</button></span></h2>
<ul id="kg-relation-list"></ul>
</section>
<section id="kg-articles">
<h2><label for="kg-article">Article</label></h2>
<select id="kg-article"><option value="">All articles</option></select>
</section>
<section id="kg-dates" class="kg-dates">
<h2>Dates</h2>
<label>from <input id="kg-date-from" type="date"></label>
<label>to <input id="kg-date-to" type="date"></label>
</section>
<label class="kg-option"><input id="kg-orphans" type="checkbox" checked>
<span>Hide nodes whose links are all filtered out</span></label>
<div class="kg-actions"><button id="kg-reset" type="button">Reset filters</button>
<button id="kg-fit" type="button">Fit view</button></div>
<p id="kg-visible" aria-live="polite"></p>
</nav>
<main id="kg-main">
<div id="mynetwork"></div>
{%- if kg.physics %}
<div id="kg-loading">laying out {{ kg.node_count }} nodes…</div>
{%- endif %}
<aside id="kg-panel" aria-label="Facts about the selection" hidden>
<button id="kg-panel-close" type="button" aria-label="Close">×</button>
<div id="kg-panel-body"></div>
</aside>
</main>
</div>
<script type="application/json" id="kg-data">{{ kg.payload }}</script>
<script>{{ kg.app_js }}</script>
</body>
</html>
"""


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
    are coloured by kind and sized by PageRank; the page can search, filter by type,
    relation, article and date, and list every fact about the selected node in a side
    panel (see the module documentation).  If ``path`` is an existing directory,
    ``graph.html`` is written inside it.  The file is written atomically and the output
    is identical for identical input.

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

    shown = sub.number_of_nodes()
    physics = shown <= PHYSICS_MAX_NODES
    payload = _payload(sub, graph, physics)
    total = int(sub.graph.get("total_nodes", shown))
    notes: list[str] = []
    if focus is not None and focus.strip():
        plural = "" if hops == 1 else "s"
        notes.append(f"focus: {_esc(focus.strip())} ({hops} hop{plural})")
    if shown < total:
        notes.append(
            f"showing {shown} of {total} nodes: the {total - shown} least important "
            "(PageRank) are hidden"
        )
    if not physics:
        notes.append("layout precomputed (physics off)")
    if not payload["edge_labels"]:
        notes.append("edge labels: select a node to see those of its links")

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
        "physics": payload["physics"],
        "node_count": shown,
        "payload": _script_json(payload),
        "vis_js": vis_js,
        "vis_css": vis_css,
        "page_css": _PAGE_CSS,
        "app_js": _APP_JS,
        "csp": csp,
        "pyvis_version": _esc(getattr(pyvis, "__version__", "")),
    }
    env = jinja2.Environment(autoescape=False, keep_trailing_newline=True)
    page = env.from_string(_TEMPLATE).render(kg=context)
    _write_atomic(target, page)
    return target
