"""Tests for :mod:`kg.render`: the offline HTML graph viewer (no browser needed)."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.render import (
    PALETTE,
    PHYSICS_MAX_NODES,
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
        evidence=[_ev("Egypt opened the crossing.")],
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
    """A path n0 - n1 - ... with a hub h linked to the first half (highest degree)."""
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"urn:n{i:04d}", label=f"Node {i}", kind="Person", evidence=[])
    for i in range(n - 1):
        g.add_edge(f"urn:n{i:04d}", f"urn:n{i + 1:04d}", label="knows", evidence=[])
    return g


def _payload(page: str) -> Any:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match is not None
    return json.loads(match.group(1))


def _render(tmp_path: Path, graph: nx.MultiDiGraph, name: str = "g.html", **kw: Any) -> str:
    out = render_html(graph, tmp_path / name, **kw)
    assert out == tmp_path / name
    return out.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- writing


def test_writes_one_file_with_every_label(tmp_path: Path) -> None:
    graph = _sample()
    page = _render(tmp_path, graph, title="Gaza talks")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Gaza talks</title>" in page
    for _node, label in graph.nodes(data="label"):
        assert html.escape(label) in page
    for _u, _v, label in graph.edges(data="label"):
        assert html.escape(label) in page
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
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_legend_and_colours(tmp_path: Path) -> None:
    page = _render(tmp_path, _sample())
    legend = page[page.index('id="kg-legend"') : page.index("</aside>")]
    for kind in ("Country", "Organization", "Person", "Event:Opening", "Nationality"):
        assert f"{kind}\n" in legend
        assert kind_color(kind) in legend
    assert "Weapon" not in legend
    nodes = {n["id"]: n for n in _payload(page)["nodes"]}
    assert nodes["http://ex.org/qatar"]["color"] == PALETTE["place"]
    assert nodes["http://ex.org/person"]["color"] == PALETTE["person"]
    assert nodes["http://ex.org/opening"]["color"] == PALETTE["event"]
    assert nodes["http://ex.org/hamas"]["color"] == PALETTE["organisation"]
    assert nodes["http://ex.org/pal"]["color"] == PALETTE["group"]
    # size grows with degree
    assert nodes["http://ex.org/opening"]["size"] > nodes["http://ex.org/hamas"]["size"]


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


def test_tooltips_have_label_kind_and_five_evidence(tmp_path: Path) -> None:
    page = _render(tmp_path, _sample())
    data = _payload(page)
    nodes = {n["id"]: n for n in data["nodes"]}
    jane = nodes["http://ex.org/person"]["title"]
    assert "Jane Doe" in jane and "Person" in jane
    assert jane.count("<li>") == 5 and "+3 more" in jane
    assert "Sentence 4 about Jane." in jane and "Sentence 5 about Jane." not in jane
    egypt = nodes["http://ex.org/egypt"]["title"]
    assert "Egypt opened the crossing." in egypt
    assert "Article 2" in egypt and "2024-05-02" in egypt and "Daily" in egypt
    edges = {e["label"]: e for e in data["edges"]}
    assert set(edges) == {"mediated", "party", "opened", "visited", "crossed"}
    assert "Egypt opened the crossing." in edges["party"]["title"]
    assert "Rafah opening" in edges["party"]["title"]
    assert all(e["arrows"] == "to" for e in data["edges"])


def test_xss_is_escaped(tmp_path: Path) -> None:
    page = _render(tmp_path, _xss_graph(), title="<script>alert(0)</script>")
    lowered = page.lower()
    assert "<script>alert" not in lowered
    assert "<img src=x" not in lowered
    assert "onerror=alert" not in lowered.replace("onerror=alert(1)&gt;", "")
    assert "<b onmouseover" not in lowered
    assert html.escape(XSS_NAME) in page
    assert html.escape(XSS_SENTENCE) in page
    # the embedded JSON cannot end its <script> element early
    data_block = page[page.index('id="kg-data">') : page.index("</script>", page.index("kg-data"))]
    assert "</" not in data_block and "<!--" not in data_block
    # every <script> element is one of ours: two inline programs and the JSON block
    # (bodies blanked first: the inlined vis-network code holds a "<script>" string)
    skeleton = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", page, flags=re.S)
    assert len(re.findall(r"<script\b", skeleton, re.I)) == 3
    assert "alert" not in skeleton.split("<body>")[0].replace("&lt;script&gt;alert(0)", "")
    data = _payload(page)
    labels = {n["label"] for n in data["nodes"]}
    assert html.escape(XSS_NAME) in labels and html.escape(CLOSER) in labels
    assert data["edges"][0]["label"] == html.escape("<script>alert(5)</script>")
    legend = page[page.index('id="kg-legend"') : page.index("</aside>")]
    assert html.escape("Person<script>alert(3)</script>") in legend


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
    ids = {n["id"] for n in _payload(page)["nodes"]}
    assert ids == {"http://ex.org/qatar", "http://ex.org/hamas", "http://ex.org/person"}
    assert "focus: qatar (1 hop)" in page


def test_max_nodes_keeps_highest_degree(tmp_path: Path) -> None:
    graph = _chain(10)
    graph.add_node("urn:hub", label="Hub", kind="Organization", evidence=[])
    for i in range(5):
        graph.add_edge("urn:hub", f"urn:n{i:04d}", label="funds", evidence=[])
    sub = select_subgraph(graph, max_nodes=4)
    assert sub.number_of_nodes() == 4
    assert sub.graph["total_nodes"] == 11
    assert "urn:hub" in sub.nodes
    page = _render(tmp_path, graph, max_nodes=4)
    assert "showing 4 of 11 nodes" in page
    assert len(_payload(page)["nodes"]) == 4
    full = _render(tmp_path, graph, name="full.html")
    assert "showing" not in full


def test_focus_nodes_survive_truncation() -> None:
    graph = _chain(30)
    sub = select_subgraph(graph, "Node 0", hops=30, max_nodes=3)
    assert "urn:n0000" in sub.nodes and sub.number_of_nodes() == 3


# --------------------------------------------------------------------------- layout


def test_small_graph_uses_physics(tmp_path: Path) -> None:
    data = _payload(_render(tmp_path, _sample()))
    assert data["physics"] is True
    assert data["options"]["physics"]["solver"] == "barnesHut"
    assert data["options"]["physics"]["stabilization"]["enabled"] is True
    assert all("x" not in n for n in data["nodes"])


def test_large_graph_is_laid_out_in_python(tmp_path: Path) -> None:
    graph = _chain(PHYSICS_MAX_NODES + 20)
    page = _render(tmp_path, graph)
    data = _payload(page)
    assert data["physics"] is False
    assert data["options"]["physics"]["enabled"] is False
    points = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(points) == graph.number_of_nodes()
    assert "laying out" not in page


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
    big = _chain(PHYSICS_MAX_NODES + 5)
    d = render_html(big, tmp_path / "d.html").read_bytes()
    e = render_html(big, tmp_path / "e.html").read_bytes()
    assert d == e


def test_overwrites_atomically(tmp_path: Path) -> None:
    target = tmp_path / "g.html"
    target.write_text("old", encoding="utf-8")
    render_html(_sample(), target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["g.html"]


def test_empty_graph_and_missing_attributes(tmp_path: Path) -> None:
    page = _render(tmp_path, nx.MultiDiGraph(), name="empty.html")
    assert _payload(page)["nodes"] == []
    g = nx.MultiDiGraph()
    g.add_edge("urn:a", "urn:b")  # no label, kind or evidence at all
    g.add_node("urn:c", label="C", kind="Person", evidence=[{"text": None}, "junk"])
    page = _render(tmp_path, g, name="bare.html")
    labels = {n["label"] for n in _payload(page)["nodes"]}
    assert labels == {"urn:a", "urn:b", "C"}


def test_search_box_present(tmp_path: Path) -> None:
    page = _render(tmp_path, _sample())
    assert 'id="kg-search"' in page
    assert "network.focus(" in page and "selectNodes(" in page
    assert 'network.once("stabilizationIterationsDone"' in page
