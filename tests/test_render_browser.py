"""The viewer in a real browser: headless Chromium (Debian's package) driven by Playwright.

Skipped when /usr/bin/chromium is missing; ``.ci/run`` installs it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest

from kg.render import render_html

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


def _graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    ev = [
        {
            "text": f"Qatar mediated {XSS}.",
            "doc": "A",
            "date": "2023-11-01",
            "source": "S",
            "url": "",
        }
    ]
    g.add_node("q", label="Qatar", kind="Country", evidence=ev)
    g.add_node("e", label="Egypt", kind="Country", evidence=[])
    g.add_node("x", label=f"Evil {XSS}", kind="Group", evidence=ev)
    g.add_node("r", label="Rafah Border Crossing", kind="Facility", evidence=[])
    g.add_edge("q", "e", key="1", label="mediated", evidence=ev)
    g.add_edge("e", "r", key="2", label="opened", evidence=ev)
    g.add_edge("x", "r", key="3", label="crossed", evidence=ev)
    return g


def test_page_draws_every_node_offline_runs_no_injected_script_and_search_works(
    tmp_path: Path,
) -> None:
    page_path = render_html(_graph(), tmp_path / "graph.html")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(offline=True)
        page = context.new_page()
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_path.as_uri())
        page.wait_for_function("window.kgNetwork !== undefined", timeout=15000)
        counts = page.evaluate(
            "[window.kgNetwork.body.data.nodes.length, window.kgNetwork.body.data.edges.length]"
        )
        assert counts == [4, 3]
        assert errors == []
        assert [u for u in requests if not u.startswith("file:")] == []
        assert page.evaluate("window.__pwned === undefined")
        assert XSS.split(">")[0] not in page.inner_html("#kg-search-box")
        page.fill("#kg-search", "Rafah")
        page.click("#kg-search-button")
        selected = page.evaluate("window.kgNetwork.getSelectedNodes()")
        assert selected == ["r"]
        inked = page.evaluate(
            """() => { const c = document.querySelector('canvas');
                 const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                 let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }"""
        )
        assert inked > 500  # the canvas is not blank
        page.screenshot(path=str(tmp_path / "graph.png"))
        browser.close()
