"""Tests for :mod:`kg.render`: the offline HTML graph viewer (no browser needed)."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
import time
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest

import kg.render as render
from kg.render import (
    EDGE_LABELS_MAX,
    PALETTE,
    PHYSICS_MAX_NODES,
    importance,
    kind_category,
    kind_color,
    render_html,
    select_subgraph,
)

XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_SENTENCE = "Talks <script>alert(1)</script> resumed in Doha."
CLOSER = "</script><script>alert(2)</script><!--"


def _ev(text: str, doc: str = "Article 1", date: str = "2024-05-01", source: str = "Wire") -> Any:
    return {"text": text, "doc": doc, "date": date, "source": source, "url": ""}


def _sample() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(
        "http://ex.org/qatar",
        label="Qatar",
        kind="Country",
        evidence=[_ev("Qatar mediated the talks.")],
    )
    g.add_node(
        "http://ex.org/egypt",
        label="Egypt",
        kind="Country",
        evidence=[_ev("Egypt opened the crossing.", "Article 2", "2024-05-02", "Daily")],
    )
    g.add_node("http://ex.org/hamas", label="Hamas", kind="Organization", evidence=[])
    g.add_node(
        "http://ex.org/person",
        label="Jane Doe",
        kind="Person",
        evidence=[_ev(f"Sentence {i} about Jane.") for i in range(8)],
    )
    g.add_node(
        "http://ex.org/opening",
        label="Rafah opening",
        kind="Event:Opening",
        evidence=[_ev("The Rafah crossing opened on Monday.")],
    )
    g.add_node("http://ex.org/pal", label="Palestinians", kind="Nationality", evidence=[])
    g.add_edge("http://ex.org/qatar", "http://ex.org/hamas", label="mediated", evidence=[])
    g.add_edge(
        "http://ex.org/opening",
        "http://ex.org/egypt",
        label="party",
        evidence=[_ev("Egypt opened the crossing.", "Article 2", "2024-05-02", "Daily")],
    )
    g.add_edge("http://ex.org/opening", "http://ex.org/egypt", label="opened", evidence=[])
    g.add_edge("http://ex.org/person", "http://ex.org/qatar", label="visited", evidence=[])
    g.add_edge("http://ex.org/pal", "http://ex.org/opening", label="crossed", evidence=[])
    return g


def _xss_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(
        "http://ex.org/x",
        label=XSS_NAME,
        kind="Person<script>alert(3)</script>",
        evidence=[_ev(XSS_SENTENCE, doc=CLOSER, source="<b onmouseover=alert(4)>")],
    )
    g.add_node("http://ex.org/y", label=CLOSER, kind="Organization", evidence=[])
    g.add_edge(
        "http://ex.org/x",
        "http://ex.org/y",
        label="<script>alert(5)</script>",
        evidence=[_ev(XSS_SENTENCE)],
    )
    return g


def _chain(n: int) -> nx.MultiDiGraph:
    """A path n0 - n1 - ... - n(n-1)."""
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"urn:n{i:04d}", label=f"Node {i}", kind="Person", evidence=[])
    for i in range(n - 1):
        g.add_edge(f"urn:n{i:04d}", f"urn:n{i + 1:04d}", label="knows", evidence=[])
    return g


def _powerlaw(n: int, seed: int = 1) -> nx.MultiDiGraph:
    base = nx.powerlaw_cluster_graph(n, 2, 0.1, seed=seed)
    g = nx.MultiDiGraph()
    for node in base.nodes:
        g.add_node(f"urn:p{node:05d}", label=f"P {node}", kind="Person", evidence=[])
    for u, v in base.edges:
        g.add_edge(f"urn:p{u:05d}", f"urn:p{v:05d}", label="knows", evidence=[])
    return g


def _payload(page: str) -> Any:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match is not None
    return json.loads(match.group(1))


def _render(tmp_path: Path, graph: nx.MultiDiGraph, name: str = "g.html", **kw: Any) -> str:
    out = render_html(graph, tmp_path / name, **kw)
    assert out == tmp_path / name
    return out.read_text(encoding="utf-8")


def _positions(data: Any) -> dict[str, tuple[float, float]]:
    return {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}


# --------------------------------------------------------------------------- writing


def test_writes_one_file_with_every_label(tmp_path: Path) -> None:
    graph = _sample()
    page = _render(tmp_path, graph, title="Gaza talks")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Gaza talks</title>" in page
    data = _payload(page)
    assert {n["label"] for n in data["nodes"]} == {label for _n, label in graph.nodes(data="label")}
    relations = [r["name"] for r in data["relations"]]
    assert sorted(relations) == sorted(label for _u, _v, label in graph.edges(data="label"))
    assert len(data["edges"]) == graph.number_of_edges()
    assert "6 nodes · 5 edges" in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.html"]  # no temp file, no lib/


def test_directory_target_and_missing_parent(tmp_path: Path) -> None:
    out = render_html(_sample(), tmp_path)
    assert out == tmp_path / "graph.html" and out.is_file()
    nested = render_html(_sample(), tmp_path / "a" / "b" / "view.html")
    assert nested.is_file()


def test_no_external_resources(tmp_path: Path) -> None:
    page = _render(tmp_path, _sample())
    attr = re.compile(r"""\b(?:src|href|action|data|poster)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
    assert not attr.search(page)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"@import", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", page, re.I)
    assert "bootstrap" not in page.lower() and "cdnjs" not in page and "jsdelivr" not in page
    # vis-network is inlined
    assert "vis-network" in page and "vis.Network" in page


def test_csp_allows_only_the_inline_scripts(tmp_path: Path) -> None:
    page = _render(tmp_path, _sample())
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = csp.group(1)
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "unsafe-eval" not in policy
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_page_has_filters_panel_and_hooks(tmp_path: Path) -> None:
    page = _render(tmp_path, _sample())
    for element in (
        'id="kg-search"',
        'id="kg-kind-list"',
        'id="kg-event-list"',
        'id="kg-relation-list"',
        'id="kg-article"',
        'id="kg-date-from"',
        'id="kg-date-to"',
        'id="kg-orphans"',
        'id="kg-reset"',
        'id="kg-panel"',
        'id="kg-visible"',
    ):
        assert element in page
    app = re.findall(r"<script>(.*?)</script>", page, re.S)[1]
    for hook in ("window.kgReady", "window.kgVisibleCount", "window.kgNetwork", "nodes.update("):
        assert hook in app
    assert "network.focus(" in app and "selectNodes(" in app
    assert 'network.once("stabilizationIterationsDone"' in app
    # article text is only ever put into the page as text
    assert "innerHTML" not in app and "insertAdjacentHTML" not in app
    assert "DOMParser" not in app and "document.write" not in app


# --------------------------------------------------------------------------- legend, colours, sizes


def test_legend_and_colours(tmp_path: Path) -> None:
    data = _payload(_render(tmp_path, _sample()))
    kinds = {k["name"]: k for k in data["kinds"]}
    assert [k["name"] for k in data["kinds"]] == [
        "Person",
        "Organization",
        "Country",
        "Event:Opening",
        "Nationality",
    ]
    assert kinds["Country"]["count"] == 2 and kinds["Person"]["count"] == 1
    for name, kind in kinds.items():
        assert kind["color"] == kind_color(name)
        assert kind["event"] == (name == "Event:Opening")
    nodes = {n["id"]: n for n in data["nodes"]}

    def colour(node: str) -> str:
        return str(data["kinds"][nodes[node]["kind"]]["color"])

    assert colour("http://ex.org/qatar") == PALETTE["place"]
    assert colour("http://ex.org/person") == PALETTE["person"]
    assert colour("http://ex.org/opening") == PALETTE["event"]
    assert colour("http://ex.org/hamas") == PALETTE["organisation"]
    assert colour("http://ex.org/pal") == PALETTE["group"]


def test_node_size_follows_pagerank(tmp_path: Path) -> None:
    graph = _sample()
    data = _payload(_render(tmp_path, graph))
    sizes = {n["id"]: n["size"] for n in data["nodes"]}
    scores = importance(graph)
    by_score = sorted(scores, key=lambda n: scores[n])
    assert [sizes[n] for n in by_score] == sorted(sizes.values())
    assert sizes["http://ex.org/opening"] > sizes["http://ex.org/hamas"]
    assert all(8.0 <= s <= 48.0 for s in sizes.values())


@pytest.mark.parametrize(
    ("kind", "category"),
    [
        ("Person", "person"),
        ("Organization", "organisation"),
        ("Organisation", "organisation"),
        ("Country", "place"),
        ("Place", "place"),
        ("City", "place"),
        ("Event:Opening", "event"),
        ("Event", "event"),
        ("Group", "group"),
        ("Nationality", "group"),
        ("Weapon", "other"),
        ("", "other"),
    ],
)
def test_kind_category(kind: str, category: str) -> None:
    assert kind_category(kind) == category


# --------------------------------------------------------------------------- evidence data


def test_evidence_table_articles_and_dates(tmp_path: Path) -> None:
    data = _payload(_render(tmp_path, _sample()))
    evidence, articles = data["evidence"], data["articles"]
    assert articles == [
        {"title": "Article 1", "date": "2024-05-01", "source": "Wire"},
        {"title": "Article 2", "date": "2024-05-02", "source": "Daily"},
    ]
    assert data["days"] == ["2024-05-01", "2024-05-02"]
    nodes = {n["id"]: n for n in data["nodes"]}
    jane = [evidence[i] for i in nodes["http://ex.org/person"]["ev"]]
    assert [row[0] for row in jane] == [f"Sentence {i} about Jane." for i in range(8)]
    assert all(articles[row[1]]["title"] == "Article 1" for row in jane)
    egypt = [evidence[i] for i in nodes["http://ex.org/egypt"]["ev"]]
    assert egypt == [["Egypt opened the crossing.", 1, "2024-05-02", "Daily", ""]]
    edges = {data["relations"][e["rel"]]["name"]: e for e in data["edges"]}
    assert set(edges) == {"mediated", "party", "opened", "visited", "crossed"}
    # the sentence shared by Egypt and the "party" edge is stored once
    assert edges["party"]["ev"] == nodes["http://ex.org/egypt"]["ev"]
    assert edges["party"]["from"] == "http://ex.org/opening"
    assert edges["opened"]["ev"] == []
    assert len(evidence) == len({tuple(row) for row in evidence})
    assert data["tip_evidence"] == 5


def test_evidence_without_dates_or_titles(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("urn:a", label="A", kind="Person", evidence=[{"text": "A spoke.", "url": "u:1"}])
    g.add_node("urn:b", label="B", kind="Person", evidence=[{"text": "B spoke."}])
    data = _payload(_render(tmp_path, g))
    assert data["days"] == []
    assert [a["title"] for a in data["articles"]] == ["(untitled article)", "u:1"]


# --------------------------------------------------------------------------- escaping


def test_xss_is_escaped(tmp_path: Path) -> None:
    page = _render(tmp_path, _xss_graph(), title="<script>alert(0)</script>", focus="<img")
    lowered = page.lower()
    assert "<script>alert" not in lowered
    assert "<img src=x" not in lowered and "<img" not in lowered.replace("&lt;img", "")
    assert "<b onmouseover" not in lowered
    assert "&lt;script&gt;alert(0)&lt;/script&gt;" in page  # title, as text
    # the embedded JSON cannot end its <script> element early: it holds no < > & at all
    start = page.index('id="kg-data">') + len('id="kg-data">')
    data_block = page[start : page.index("</script>", start)]
    assert not set("<>&") & set(data_block)
    # outside <script> elements, article text occurs only HTML-escaped (title, focus note)
    markup = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", lowered, flags=re.S)
    assert "onerror" not in markup and "onmouseover" not in markup
    assert "&lt;img" in markup  # the focus note
    # every <script> element is one of ours: two inline programs and the JSON block
    # (bodies blanked first: the inlined vis-network code holds a "<script>" string)
    skeleton = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", page, flags=re.S)
    assert len(re.findall(r"<script\b", skeleton, re.I)) == 3
    assert "alert" not in skeleton.replace("&lt;script&gt;alert(0)", "")
    # the JSON gives the page script the original strings, which it shows as text
    data = _payload(page)
    assert {n["label"] for n in data["nodes"]} == {XSS_NAME, CLOSER}
    assert data["relations"][0]["name"] == "<script>alert(5)</script>"
    assert "Person<script>alert(3)</script>" in {k["name"] for k in data["kinds"]}
    assert CLOSER in {a["title"] for a in data["articles"]}
    assert XSS_SENTENCE in {row[0] for row in data["evidence"]}
    assert "<b onmouseover=alert(4)>" in {row[3] for row in data["evidence"]}


def test_script_json_escapes_markup_characters() -> None:
    value = {"a": "</script><!-- & \u2028 \u2029 >", "b": [1, 2.5, None, True]}
    text = render._script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


# --------------------------------------------------------------------------- importance


def test_importance_matches_networkx_pagerank() -> None:
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    graph = _powerlaw(120, seed=5)
    graph.add_edge("urn:p00001", "urn:p00002", label="again", evidence=[])  # parallel edge
    graph.add_edge("urn:p00003", "urn:p00003", label="self", evidence=[])  # self-loop
    graph.add_node("urn:lonely", label="Lonely", kind="Person", evidence=[])
    scores = importance(graph)
    simple = nx.Graph(graph.to_undirected())
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    reference = _pagerank_python(simple)
    assert set(scores) == set(graph.nodes)
    assert max(abs(scores[n] - reference[n]) for n in graph.nodes) < 1e-9
    assert math.isclose(sum(scores.values()), 1.0)


def test_importance_ignores_insertion_order_and_direction() -> None:
    graph = _sample()
    flipped = nx.MultiDiGraph()
    flipped.add_nodes_from(reversed(list(graph.nodes(data=True))))
    flipped.add_edges_from((v, u, d) for u, v, d in reversed(list(graph.edges(data=True))))
    assert importance(graph) == importance(flipped)
    assert importance(nx.MultiDiGraph()) == {}


def test_importance_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _sample()
    expected = importance(graph)

    def no_scipy(*_args: Any, **_kw: Any) -> Any:
        raise ModuleNotFoundError("No module named 'scipy'")

    monkeypatch.setattr(render.nx, "pagerank", no_scipy)
    assert importance(graph) == expected  # the numpy power iteration

    def diverges(*_args: Any, **_kw: Any) -> Any:
        raise nx.PowerIterationFailedConvergence(100)

    monkeypatch.setattr(render.nx, "pagerank", diverges)
    degree = importance(graph)
    # four simple edges (the two opening-egypt edges count once): degrees sum to 8
    assert degree["http://ex.org/opening"] == pytest.approx(2 / 8)
    assert degree["http://ex.org/hamas"] == pytest.approx(1 / 8)
    assert sum(degree.values()) == pytest.approx(1.0)


# --------------------------------------------------------------------------- selection


def test_focus_and_hops() -> None:
    graph = _chain(10)
    assert sorted(select_subgraph(graph, "Node 5", hops=0).nodes) == ["urn:n0005"]
    one = select_subgraph(graph, "node 5", hops=1)
    assert sorted(one.nodes) == ["urn:n0004", "urn:n0005", "urn:n0006"]
    assert one.number_of_edges() == 2
    assert one.graph["focus_nodes"] == ["urn:n0005"]
    assert select_subgraph(graph, "Node 5", hops=3).number_of_nodes() == 7
    # direction is ignored: from the last node we walk backwards
    assert select_subgraph(graph, "Node 9", hops=2).number_of_nodes() == 3


def test_focus_exact_match_beats_substring() -> None:
    graph = _chain(12)
    # "Node 1" equals one label exactly although it is a substring of Node 10, Node 11
    assert select_subgraph(graph, "NODE 1", hops=0).graph["focus_nodes"] == ["urn:n0001"]
    # "ode 1" is only a substring: Node 1, Node 10, Node 11
    sub = select_subgraph(graph, "ode 1", hops=0)
    assert sub.graph["focus_nodes"] == ["urn:n0001", "urn:n0010", "urn:n0011"]


def test_unknown_focus_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no node matches 'Atlantis'"):
        select_subgraph(_sample(), "Atlantis")
    with pytest.raises(ValueError, match="no node matches"):
        render_html(_sample(), tmp_path / "x.html", focus="Atlantis")
    assert not list(tmp_path.iterdir())


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        select_subgraph(_sample(), "Qatar", hops=-1)
    with pytest.raises(ValueError):
        select_subgraph(_sample(), max_nodes=0)


def test_focus_render(tmp_path: Path) -> None:
    page = _render(tmp_path, _sample(), focus="qatar", hops=1)
    data = _payload(page)
    ids = {n["id"] for n in data["nodes"]}
    assert ids == {"http://ex.org/qatar", "http://ex.org/hamas", "http://ex.org/person"}
    assert [n["id"] for n in data["nodes"] if n.get("focus")] == ["http://ex.org/qatar"]
    assert "focus: qatar (1 hop)" in page


def _star_and_bridge() -> nx.MultiDiGraph:
    """A star (3 leaves) and a bridge between 3 hubs (9 leaves each): both of degree 3."""
    g = nx.MultiDiGraph()
    for i in range(3):
        g.add_edge("urn:z-star", f"urn:leaf{i}", label="knows", evidence=[])
    for h in range(3):
        g.add_edge("urn:a-bridge", f"urn:hub{h}", label="knows", evidence=[])
        for j in range(9):
            g.add_edge(f"urn:hub{h}", f"urn:hub{h}-leaf{j}", label="knows", evidence=[])
    return g


def test_max_nodes_keeps_highest_pagerank(tmp_path: Path) -> None:
    graph = _star_and_bridge()
    assert graph.degree("urn:z-star") == graph.degree("urn:a-bridge") == 3
    sub = select_subgraph(graph, max_nodes=4)
    # by degree (ties by id) the bridge would win; PageRank prefers the star
    assert sorted(sub.nodes) == ["urn:hub0", "urn:hub1", "urn:hub2", "urn:z-star"]
    assert sub.graph["total_nodes"] == graph.number_of_nodes()
    page = _render(tmp_path, graph, max_nodes=4)
    total = graph.number_of_nodes()
    assert f"showing 4 of {total} nodes: the {total - 4} least important (PageRank)" in page
    data = _payload(page)
    assert len(data["nodes"]) == 4
    more = {n["id"]: n.get("more", 0) for n in data["nodes"]}
    assert more == {"urn:hub0": 10, "urn:hub1": 10, "urn:hub2": 10, "urn:z-star": 3}
    full = _render(tmp_path, graph, name="full.html")
    assert "showing" not in full
    assert all("more" not in n for n in _payload(full)["nodes"])


def test_focus_nodes_survive_truncation() -> None:
    graph = _chain(30)
    sub = select_subgraph(graph, "Node 0", hops=30, max_nodes=3)
    assert "urn:n0000" in sub.nodes and sub.number_of_nodes() == 3


# --------------------------------------------------------------------------- layout


def test_small_graph_uses_physics(tmp_path: Path) -> None:
    page = _render(tmp_path, _sample())
    data = _payload(page)
    assert data["physics"] is True
    assert data["options"]["physics"]["solver"] == "barnesHut"
    assert data["options"]["physics"]["stabilization"]["enabled"] is True
    assert all("x" not in n for n in data["nodes"])
    assert data["edge_labels"] is True
    assert "laying out 6 nodes" in page


def test_large_graph_is_laid_out_in_python(tmp_path: Path) -> None:
    graph = _chain(PHYSICS_MAX_NODES + 20)
    page = _render(tmp_path, graph)
    data = _payload(page)
    assert data["physics"] is False
    assert data["options"]["physics"]["enabled"] is False
    points = set(_positions(data).values())
    assert len(points) == graph.number_of_nodes()
    assert "laying out" not in page
    assert "layout precomputed (physics off)" in page


def test_layout_places_neighbours_close_and_components_apart() -> None:
    graph = _powerlaw(400, seed=2)
    for c in range(30):  # small separate components: pairs and triangles
        for i in range(2 + c % 2):
            graph.add_edge(f"urn:c{c}-{i}", f"urn:c{c}-{(i + 1) % (2 + c % 2)}")
    graph.add_node("urn:alone")
    pos = render._layout(graph)
    assert set(pos) == {str(n) for n in graph.nodes}
    xy = np.array(list(pos.values()))
    assert np.isfinite(xy).all() and len({tuple(p) for p in xy}) == len(xy)
    edge = np.mean([math.dist(pos[u], pos[v]) for u, v in graph.edges() if u != v])
    rng = np.random.default_rng(0)
    names = sorted(pos)
    pairs = rng.integers(0, len(names), size=(2000, 2))
    random_pair = np.mean([math.dist(pos[names[a]], pos[names[b]]) for a, b in pairs])
    assert edge < 0.5 * random_pair
    # the bounding boxes of the components do not overlap
    boxes = []
    for members in nx.connected_components(graph.to_undirected()):
        pts = np.array([pos[m] for m in members])
        boxes.append((*pts.min(axis=0), *pts.max(axis=0)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]
    # no two nodes on top of each other: nearest neighbours are tens of pixels apart
    nearest = [
        min(math.dist(xy[i], xy[j]) for j in range(len(xy)) if j != i)
        for i in range(0, len(xy), 20)
    ]
    assert np.median(nearest) > 20


def test_layout_of_5000_nodes_is_fast() -> None:
    graph = _powerlaw(5000)
    started = time.perf_counter()
    pos = render._layout(graph)
    elapsed = time.perf_counter() - started
    assert len(pos) == 5000
    assert len(set(pos.values())) == 5000
    assert elapsed < 30.0, f"layout of 5,000 nodes took {elapsed:.1f} s"


def test_many_edges_label_only_the_selection(tmp_path: Path) -> None:
    graph = _powerlaw(EDGE_LABELS_MAX // 2 + 10)
    assert graph.number_of_edges() > EDGE_LABELS_MAX
    page = _render(tmp_path, graph, max_nodes=10_000)
    assert _payload(page)["edge_labels"] is False
    assert "edge labels: select a node" in page


def test_deterministic(tmp_path: Path) -> None:
    graph = _sample()
    a = render_html(graph, tmp_path / "a.html").read_bytes()
    b = render_html(graph, tmp_path / "b.html").read_bytes()
    assert a == b
    # insertion order does not matter
    shuffled = nx.MultiDiGraph()
    shuffled.add_nodes_from(reversed(list(graph.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(graph.edges(data=True))))
    c = render_html(shuffled, tmp_path / "c.html").read_bytes()
    assert a == c
    big = _powerlaw(PHYSICS_MAX_NODES + 50)
    d = render_html(big, tmp_path / "d.html", max_nodes=200).read_bytes()
    big_shuffled = nx.MultiDiGraph()
    big_shuffled.add_nodes_from(reversed(list(big.nodes(data=True))))
    big_shuffled.add_edges_from(reversed(list(big.edges(data=True))))
    e = render_html(big_shuffled, tmp_path / "e.html", max_nodes=200).read_bytes()
    assert d == e
    f = render_html(big, tmp_path / "f.html").read_bytes()
    g = render_html(big_shuffled, tmp_path / "g.html").read_bytes()
    assert f == g


def test_overwrites_atomically(tmp_path: Path) -> None:
    target = tmp_path / "g.html"
    target.write_text("old", encoding="utf-8")
    render_html(_sample(), target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["g.html"]


def test_empty_graph_and_missing_attributes(tmp_path: Path) -> None:
    data = _payload(_render(tmp_path, nx.MultiDiGraph(), name="empty.html"))
    assert data["nodes"] == [] and data["edges"] == [] and data["physics"] is False
    g = nx.MultiDiGraph()
    g.add_edge("urn:a", "urn:b")  # no label, kind or evidence at all
    g.add_node("urn:c", label="C", kind="Person", evidence=[{"text": None}, "junk"])
    data = _payload(_render(tmp_path, g, name="bare.html"))
    assert {n["label"] for n in data["nodes"]} == {"urn:a", "urn:b", "C"}
    assert [k["name"] for k in data["kinds"]] == ["Person", "Thing"]
    assert data["relations"] == [{"name": "", "count": 1}]
    assert all(n["ev"] == [] for n in data["nodes"]) and data["evidence"] == []


def test_html_title_and_notes_are_escaped(tmp_path: Path) -> None:
    page = _render(tmp_path, _sample(), title='A & B "<i>"', focus="Qatar", hops=1)
    assert "<title>A &amp; B &quot;&lt;i&gt;&quot;</title>" in page
    assert html.escape('A & B "<i>"') in page.split("<h1>")[1]
