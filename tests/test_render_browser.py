"""The viewer in a real browser: headless Chromium (Debian's package) driven by Playwright.

Every page is opened offline (``offline=True``) under its own Content-Security-Policy.
Skipped when /usr/bin/chromium is missing; ``.ci/run`` installs it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.render import EDGE_LABELS_MAX, PHYSICS_MAX_NODES, render_html

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed"),
]
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
EVIL_TITLE = '<script>window.__pwned=3</script>Evil "news" & <img src=y onerror="window.__pwned=4">'
READY = "() => window.kgReady === true"
COUNT = "window.kgVisibleCount()"


def _ev(text: str, doc: str, date: str, source: str = "S") -> dict[str, str]:
    return {"text": text, "doc": doc, "date": date, "source": source, "url": "https://ex.org/a"}


def _graph() -> nx.MultiDiGraph:
    mediated = _ev(f"Qatar mediated {XSS}.", "Talks resume", "2023-11-01", "Harbour Line")
    opened = _ev("Egypt opened the Rafah crossing.", "Crossing opens", "2023-11-02", "Ledger")
    crossed = _ev(f"Evil {XSS} crossed at Rafah.", EVIL_TITLE, "2023-11-03", f"Src {XSS}")
    g = nx.MultiDiGraph()
    g.add_node("q", label="Qatar", kind="Country", evidence=[mediated])
    g.add_node("e", label="Egypt", kind="Country", evidence=[opened])
    g.add_node("x", label=f"Evil {XSS}", kind="Group", evidence=[crossed])
    g.add_node("r", label="Rafah Border Crossing", kind="Facility", evidence=[opened])
    g.add_node("o", label="Opening: opened", kind="Event:Opening", evidence=[opened])
    g.add_edge("q", "e", key="1", label="mediated", evidence=[mediated])
    g.add_edge("e", "r", key="2", label="opened", evidence=[opened])
    g.add_edge("x", "r", key="3", label=f"crossed {XSS}", evidence=[crossed])
    g.add_edge("o", "r", key="4", label="place", evidence=[opened])
    return g


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


class Page:
    """One offline page with its console errors and network requests recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.context = browser.new_context(offline=True, viewport={"width": 1300, "height": 850})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_function(READY, timeout=30_000)

    def count(self) -> dict[str, int]:
        result: dict[str, int] = self.page.evaluate(COUNT)
        return result

    def node_point(self, node_id: str) -> tuple[float, float]:
        """Where node ``node_id`` is drawn, in page coordinates."""
        point = self.page.evaluate(
            """(id) => { const n = window.kgNetwork;
                 const p = n.canvasToDOM(n.getPositions([id])[id]);
                 const r = document.getElementById('mynetwork').getBoundingClientRect();
                 return [p.x + r.left, p.y + r.top]; }""",
            node_id,
        )
        return float(point[0]), float(point[1])

    def hover_tooltip(self, node_id: str, attempts: int = 10) -> Any:
        """Hover node ``node_id`` until vis-network shows its tooltip.  The view may still be
        moving (a search focuses the node it found with an animation; on a busy machine it
        ends late), so the node's point is taken again on each try."""
        for _ in range(attempts):
            x, y = self.node_point(node_id)
            self.page.mouse.move(x + 60, y + 60)  # off the node, then onto it
            self.page.mouse.move(x, y)
            try:
                return self.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=1000)
            except playwright_api.TimeoutError:
                continue
        raise AssertionError(f"no tooltip on node {node_id!r} after {attempts} tries")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def page(browser: Any, tmp_path: Path) -> Iterator[Page]:
    opened = Page(browser, render_html(_graph(), tmp_path / "graph.html"))
    yield opened
    opened.close()


def _texts(locator: Any) -> list[str]:
    return [" ".join(text.split()) for text in locator.all_inner_texts()]


def _ink(page: Any) -> int:
    """Non-transparent pixels on the network canvas."""
    value: int = page.evaluate(
        """() => { const c = document.querySelector('#mynetwork canvas');
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }"""
    )
    return value


def test_draws_every_node_offline_and_search_selects(page: Page, tmp_path: Path) -> None:
    p = page.page
    assert page.count() == {"nodes": 5, "edges": 4}
    assert p.evaluate(
        "[window.kgNetwork.body.data.nodes.length, window.kgNetwork.body.data.edges.length]"
    ) == [5, 4]
    assert "Showing all 5 nodes and 4 edges." in p.inner_text("#kg-visible")
    p.fill("#kg-search", "Rafah")
    p.click("#kg-search-button")
    assert p.evaluate("window.kgNetwork.getSelectedNodes()") == ["r"]
    assert p.inner_text("#kg-search-status") == "1 / 1"
    assert p.is_visible("#kg-panel")
    assert p.inner_text("#kg-panel h2") == "Rafah Border Crossing"
    assert _ink(p) > 500  # the canvas is not blank
    p.screenshot(path=str(tmp_path / "graph.png"))
    assert (tmp_path / "graph.png").stat().st_size > 10_000
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith("file:")] == []


def test_type_filters_hide_and_show_nodes(page: Page) -> None:
    p = page.page
    kinds = p.locator("#kg-kind-list li")
    assert _texts(kinds) == ["Country (2)", "Facility (1)", "Group (1)"]
    assert _texts(p.locator("#kg-event-list li")) == ["Event:Opening (1)"]
    # un-tick "Country": Qatar and Egypt go, with their two edges
    kinds.nth(0).locator("input").uncheck()
    assert page.count() == {"nodes": 3, "edges": 2}
    assert "Showing 3 of 5 nodes, 2 of 4 edges." in p.inner_text("#kg-visible")
    # un-tick the event type too: the opening goes with its edge
    p.locator("#kg-event-list input").uncheck()
    assert page.count() == {"nodes": 2, "edges": 1}
    # relations: "none" hides every edge, and the nodes left without links
    p.click("#kg-relations button[data-set=none]")
    assert page.count() == {"nodes": 0, "edges": 0}
    p.uncheck("#kg-orphans")  # keep nodes whose links are filtered out
    assert page.count() == {"nodes": 2, "edges": 0}
    p.click("#kg-reset")
    assert page.count() == {"nodes": 5, "edges": 4}
    assert p.is_checked("#kg-orphans")
    # search skips hidden nodes
    p.locator("#kg-kind-list input").nth(0).uncheck()
    p.fill("#kg-search", "qatar")
    p.press("#kg-search", "Enter")
    assert p.inner_text("#kg-search-status") == "1 hidden by filters"
    assert page.errors == []


def test_article_and_date_filters(page: Page) -> None:
    p = page.page
    options = p.locator("#kg-article option").all_inner_texts()
    assert options == [
        "All articles",
        "Talks resume (2023-11-01)",
        "Crossing opens (2023-11-02)",
        f"{EVIL_TITLE} (2023-11-03)",
    ]
    p.select_option("#kg-article", label="Crossing opens (2023-11-02)")
    # the article attests Egypt, Rafah, the opening and two edges (opened, place)
    assert page.count() == {"nodes": 3, "edges": 2}
    p.select_option("#kg-article", "")
    assert page.count() == {"nodes": 5, "edges": 4}
    assert p.get_attribute("#kg-date-from", "min") == "2023-11-01"
    assert p.get_attribute("#kg-date-to", "max") == "2023-11-03"
    p.fill("#kg-date-from", "2023-11-02")
    assert page.count() == {"nodes": 4, "edges": 3}  # Qatar's only sentence is of Nov 1
    p.fill("#kg-date-to", "2023-11-02")
    assert page.count() == {"nodes": 3, "edges": 2}
    p.fill("#kg-date-from", "")
    p.fill("#kg-date-to", "")
    assert page.count() == {"nodes": 5, "edges": 4}
    assert page.errors == []


def test_clicking_a_node_lists_its_facts(page: Page) -> None:
    p = page.page
    x, y = page.node_point("r")
    p.mouse.click(x, y)
    p.wait_for_selector("#kg-panel:not([hidden])")
    panel = p.inner_text("#kg-panel")
    assert p.inner_text("#kg-panel h2") == "Rafah Border Crossing"
    assert "Facility" in panel
    assert "Evidence (1)" in panel and "Links (3)" in panel
    # every edge in and out: other node, relation, evidence with article, date, source
    links = p.locator("#kg-panel .kg-link").all_inner_texts()
    assert len(links) == 3
    joined = "\n".join(links)
    for text in ("Egypt", "opened", "place", "Opening: opened", f"crossed {XSS}", f"Evil {XSS}"):
        assert text in joined
    assert "Egypt opened the Rafah crossing." in joined
    assert "Crossing opens · 2023-11-02 · Ledger" in joined
    assert f"{EVIL_TITLE} · 2023-11-03 · Src {XSS}" in joined
    assert "https://ex.org/a" in joined
    # following a link selects the other node
    p.locator("#kg-panel .kg-goto", has_text="Egypt").click()
    assert p.inner_text("#kg-panel h2") == "Egypt"
    assert p.evaluate("window.kgNetwork.getSelectedNodes()") == ["e"]
    assert "Links (2)" in p.inner_text("#kg-panel")
    p.click("#kg-panel-close")
    assert p.is_hidden("#kg-panel")
    assert page.errors == []


def test_injected_markup_stays_text_everywhere(page: Page) -> None:
    p = page.page
    # the side panel, the filters, the tooltip and the search all show the markup as text
    p.fill("#kg-search", "evil")
    p.press("#kg-search", "Enter")
    assert p.inner_text("#kg-panel h2") == f"Evil {XSS}"
    assert f"Evil {XSS} crossed at Rafah." in p.inner_text("#kg-panel")
    assert f"crossed {XSS}" in p.locator("#kg-relation-list").inner_text()
    assert f"{EVIL_TITLE} (2023-11-03)" in p.locator("#kg-article").inner_text()
    tooltip = page.hover_tooltip("q")
    assert f"Qatar mediated {XSS}." in tooltip.inner_text()
    assert "Talks resume · 2023-11-01 · Harbour Line" in tooltip.inner_text()
    # nothing ran and no element was made from article text
    assert p.evaluate("window.__pwned") is None
    assert p.evaluate("document.querySelectorAll('img').length") == 0
    assert p.evaluate("document.scripts.length") == 3
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith("file:")] == []


def test_large_graph_precomputed_layout_and_selected_edge_labels(
    browser: Any, tmp_path: Path
) -> None:
    n = PHYSICS_MAX_NODES + 100
    base = nx.powerlaw_cluster_graph(n, 3, 0.1, seed=4)
    g = nx.MultiDiGraph()
    for node in base.nodes:
        kind = ("Person", "Country", "Event:Attack")[node % 3]
        g.add_node(f"urn:{node}", label=f"N{node}", kind=kind, evidence=[])
    for u, v in base.edges:
        g.add_edge(f"urn:{u}", f"urn:{v}", label="knows", evidence=[])
    assert g.number_of_edges() > EDGE_LABELS_MAX
    opened = Page(browser, render_html(g, tmp_path / "big.html", max_nodes=n - 50))
    try:
        p = opened.page
        drawn = opened.count()
        assert drawn["nodes"] == n - 50
        assert p.evaluate("window.kgNetwork.physics.physicsEnabled") is False
        assert "showing 350 of 400 nodes" in p.inner_text("#kg-header")
        labelled = "window.kgEdges.get().filter(e => e.label).length"
        assert p.evaluate(labelled) == 0
        p.evaluate("window.kgSelect('urn:0')")
        degree = len(p.evaluate("window.kgNetwork.getConnectedEdges('urn:0')"))
        assert degree > 0 and p.evaluate(labelled) == degree
        assert "to nodes not drawn" in p.inner_text("#kg-panel")
        p.locator("#kg-kind-list input").nth(0).uncheck()
        assert opened.count()["nodes"] < drawn["nodes"]
        assert _ink(p) > 500
        assert opened.errors == []
    finally:
        opened.close()
