"""Tests for the Python API: ``kg.__all__`` and :class:`kg.KnowledgeGraph` in memory."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

import kg
from kg import KnowledgeGraph
from kg.vocab import DEFAULT_BASE

ARTICLE = (
    "title: Truce talks in Oslo\n"
    "date: 2024-03-06\n"
    "\n"
    "Norway mediated a truce between Colombia and Venezuela on Tuesday.\n"
    "\n"
    "Kenya opened the Rafah crossing, and 120 trucks crossed into Egypt, officials said.\n"
)
Q = DEFAULT_BASE + "entity/"


def test_all_is_pinned() -> None:
    assert kg.__all__ == [
        "BuildReport",
        "Document",
        "InputError",
        "KGError",
        "KnowledgeGraph",
        "ModelError",
        "QueryError",
        "RenderError",
        "Rows",
        "StoreError",
        "__version__",
    ]
    for name in kg.__all__:
        assert hasattr(kg, name), name


@pytest.fixture(scope="module")
def graph():
    g = KnowledgeGraph(memory=True)
    report = g.add_text(ARTICLE, source="oslo.txt")
    assert report.ok
    assert report.added == ["oslo.txt"]
    yield g, report
    g.close()


@pytest.mark.slow
def test_add_text_report(graph) -> None:
    _, report = graph
    assert report.skipped == []
    assert report.events >= 3
    assert report.claims == 1
    assert report.triples_after > report.triples_before


@pytest.mark.slow
def test_query_select(graph) -> None:
    g, _ = graph
    rows = g.query("SELECT ?label WHERE { ?x kg:mediated ?y . ?x rdfs:label ?label }")
    assert {r["label"] for r in rows} == {"Norway"}
    assert rows.columns == ["label"]


@pytest.mark.slow
def test_query_with_bound_variable(graph) -> None:
    g, _ = graph
    rows = g.query("SELECT ?e WHERE { ?e rdfs:label ?name }", name=Literal("Kenya", lang="en"))
    assert [r["e"] for r in rows] == [Q + "Q114"]


@pytest.mark.slow
def test_query_ask(graph) -> None:
    g, _ = graph
    assert g.query(f"ASK {{ <{Q}Q114> kg:opened ?x }}") is True
    assert g.query(f"ASK {{ <{Q}Q20> kg:opened ?x }}") is False


@pytest.mark.slow
def test_named_query_mediations(graph) -> None:
    g, _ = graph
    rows = g.named_query("mediations")
    assert {r["mediatorLabel"] for r in rows} == {"Norway"}
    assert {r["eventType"] for r in rows} == {"Mediation", "Agreement"}
    for r in rows:
        assert sorted(r["parties"].split(", ")) == ["Colombia", "Venezuela"]
        assert r["headline"] == "Truce talks in Oslo"
        assert r["mediator"] == Q + "Q20"


@pytest.mark.slow
def test_named_query_parameter(graph) -> None:
    g, _ = graph
    assert len(g.named_query("mediations", mediator=Q + "Q20")) == 2
    assert len(g.named_query("mediations", mediator=Q + "Q114")) == 0


@pytest.mark.slow
def test_to_networkx(graph) -> None:
    g, _ = graph
    nx_graph = g.to_networkx()
    for _, data in nx_graph.nodes(data=True):
        assert {"label", "kind", "evidence"} <= set(data)
        assert isinstance(data["evidence"], list)
    for _, _, data in nx_graph.edges(data=True):
        assert isinstance(data["label"], str) and data["label"]
    nodes = dict(nx_graph.nodes(data=True))
    assert nodes[Q + "Q20"]["label"] == "Norway"
    assert nodes[Q + "Q20"]["kind"] == "Country"
    assert nodes[Q + "Q20"]["evidence"][0]["text"] == (
        "Norway mediated a truce between Colombia and Venezuela on Tuesday."
    )
    assert nodes[Q + "Q20"]["evidence"][0]["doc"] == "Truce talks in Oslo"
    edges = {(u, v, d["label"]) for u, v, d in nx_graph.edges(data=True)}
    crossing = Q + "facility/rafah-border-crossing"
    assert (Q + "Q114", crossing, "opened") in edges
    assert (Q + "Q20", Q + "Q739", "mediated (party)") in edges
    assert (Q + "Q20", Q + "Q717", "mediated (party)") in edges


@pytest.mark.slow
def test_to_networkx_event_view(graph) -> None:
    g, _ = graph
    nx_graph = g.to_networkx(view="events")
    kinds = {d["kind"] for _, d in nx_graph.nodes(data=True)}
    assert {"Event:Mediation", "Event:Opening", "Country"} <= kinds
    roles = {d["label"] for _, _, d in nx_graph.edges(data=True)}
    assert {"mediator", "party", "agent", "patient"} <= roles
    with pytest.raises(ValueError, match="view"):
        g.to_networkx(view="nodes")


@pytest.mark.slow
def test_serialize_turtle_parses(graph) -> None:
    g, _ = graph
    text = g.serialize("turtle")
    parsed = Graph().parse(data=text, format="turtle")
    assert len(parsed) > 20
    assert (URIRef(Q + "Q20"), RDFS.label, Literal("Norway", lang="en")) in parsed


@pytest.mark.slow
def test_stats(graph) -> None:
    g, _ = graph
    stats = g.stats()
    assert stats["documents"] == 1
    assert stats["graphs"] == 1
    assert stats["claims"] == 1
    assert stats["events_by_type"]["Mediation"] == 1
    assert stats["events_by_type"]["Agreement"] == 1
    assert stats["events_by_type"]["Opening"] == 1
    assert stats["entities_by_type"]["Country"] == 5
    assert stats["entities_by_type"]["Facility"] == 1
    assert stats["quads"] == len(g.store)


@pytest.mark.slow
def test_same_text_twice_adds_nothing(graph) -> None:
    g, _ = graph
    before = len(g.store)
    again = g.add_text(ARTICLE, source="copy.txt")
    assert again.added == []
    assert again.skipped == ["copy.txt"]
    assert again.triples_after == again.triples_before == before
    assert len(g.store) == before
    assert g.stats()["documents"] == 1


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_render_exports_the_projection_for_gephi(tmp_path: Path, fmt: str) -> None:
    import networkx as nx

    from kg.resources import SAMPLE_DIR

    graph = KnowledgeGraph(memory=True)
    graph.add_documents([SAMPLE_DIR])
    projection = graph.to_networkx()
    path = graph.render(tmp_path / f"g.{fmt}", format=fmt)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == projection.number_of_nodes()
    assert back.number_of_edges() == projection.number_of_edges()
    labels = {d["label"] for _, d in back.nodes(data=True)}
    assert "Qatar" in labels


# --------------------------------------------------------------------------- the README's example

README = Path(__file__).resolve().parents[1] / "README.md"
_TIMING = re.compile(r"\d+(\.\d+)? s\b|words/s")


def readme_api_example() -> str:
    """The README's Python API block (the ```python block that makes a KnowledgeGraph)."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    found = [b for b in blocks if "KnowledgeGraph(" in b and "named_query(" in b]
    assert len(found) == 1, "README.md should hold one Python API example"
    return found[0]


def expected_output(code: str) -> list[str]:
    """What the example says it prints: the comment after a ``print(...)`` on its line, and
    comment lines right after a print or a loop body (one per printed line); lines with
    timings are left out."""
    expected: list[str] = []
    after_output = False
    for line in code.splitlines():
        stripped = line.strip()
        if stripped.startswith("# ") and after_output:
            expected.append(stripped[2:])
            continue
        code_part, _, comment = line.partition("  # ")
        printing = code_part.lstrip().startswith("print(")
        if printing and comment:
            expected.append(comment.strip())
        after_output = (printing and not comment) or line.startswith((" ", "\t"))
    return [e for e in expected if not _TIMING.search(e)]


@pytest.mark.slow
def test_readme_python_example_prints_what_it_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = readme_api_example().replace('"/tmp/graph.html"', repr(str(tmp_path / "graph.html")))
    monkeypatch.chdir(Path(__file__).resolve().parents[1])  # kg/data/sample is a relative path
    exec(compile(code, str(README), "exec"), {"__name__": "readme_example"})
    printed = [line.strip() for line in capsys.readouterr().out.splitlines()]
    expected = expected_output(code)
    assert len(expected) >= 8
    missing = [e for e in expected if e not in printed]
    assert not missing, f"README example no longer prints {missing}; it prints {printed}"
    assert (tmp_path / "graph.html").is_file()


# --- found by review: the API's edges -------------------------------------------------------
BODY = "Egypt opened the Rafah crossing on Wednesday for wounded Palestinians, officials said."


def test_an_empty_reference_removes_nothing(tmp_path: Path) -> None:
    """Articles without a URL have an empty one: `kg remove "$ID"` with an empty variable
    used to remove every one of them."""
    from kg.errors import InputError
    from kg.resources import SAMPLE_DIR

    graph = KnowledgeGraph(tmp_path / "store")
    graph.add_documents(SAMPLE_DIR)
    graph.add_text(BODY, source="no-url.txt")
    before = len(graph.documents())
    for ref in ("", "  "):
        with pytest.raises(InputError, match="an empty reference names no article"):
            graph.remove(ref)
    assert graph.local.find_documents("") == []
    assert len(graph.documents()) == before


def test_one_path_is_one_input_not_a_list_of_characters(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(BODY)
    report = KnowledgeGraph(memory=True).add_documents(str(article))
    assert report.added == [str(article)] and report.problems == []


@pytest.mark.parametrize(
    "published",
    [
        datetime(2023, 11, 1, 12, 30),
        "2023-11-01",
        date(2023, 11, 1),
    ],
)
def test_add_text_takes_a_date_a_datetime_or_an_iso_string(published: object) -> None:
    graph = KnowledgeGraph(memory=True)
    report = graph.add_text(BODY, published=published)
    assert report.ok, report.problems
    assert [d["published"] for d in graph.documents()] == ["2023-11-01"]
    assert graph.validate().conforms


def test_add_text_refuses_a_date_it_cannot_read() -> None:
    from kg.errors import InputError

    with pytest.raises(InputError, match="expected a date"):
        KnowledgeGraph(memory=True).add_text(BODY, published="yesterday-ish")


@pytest.mark.parametrize("text", ["", "hi", "title: Only a header\ndate: 2023-11-01\n\n"])
def test_text_without_an_article_is_refused(text: str) -> None:
    from kg.errors import InputError

    with pytest.raises(InputError, match="no article text"):
        KnowledgeGraph(memory=True).add_text(text)


def test_a_placeholder_publication_date_does_not_fail_the_article() -> None:
    """0001-01-01 is what many feeds write for 'unknown'; relative dates cannot be resolved
    against it, and must not overflow."""
    for day in (date(1, 1, 1), date(9999, 12, 31)):
        report = KnowledgeGraph(memory=True).add_text(
            "Egypt opened the crossing yesterday and will close it on Friday, officials said.",
            published=day,
        )
        assert report.ok, report.problems


def test_a_closed_or_read_only_graph_says_so(tmp_path: Path) -> None:
    from kg.errors import StoreError

    graph = KnowledgeGraph(tmp_path / "store")
    graph.add_text(BODY)
    graph.close()
    graph.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        graph.documents()
    with KnowledgeGraph(tmp_path / "store", read_only=True) as snapshot:
        assert len(snapshot.documents()) == 1
        with pytest.raises(StoreError, match="opened read-only"):
            snapshot.add_text("Chad closed its border with Sudan on Monday, officials said.")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_files_stay_xml_when_an_article_holds_control_characters(
    tmp_path: Path, fmt: str
) -> None:
    import networkx as nx

    graph = KnowledgeGraph(memory=True)
    report = graph.add_text(
        "Egypt\x1b opened the Rafah crossing on Wednesday, the \x07Qatar Foreign Ministry said."
    )
    assert report.ok, report.problems
    path = graph.render(tmp_path / f"g.{fmt}", format=fmt)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == graph.to_networkx().number_of_nodes()


def test_the_timeline_lists_dated_events_first_oldest_first(tmp_path: Path) -> None:
    graph = KnowledgeGraph(memory=True)
    graph.add_text(
        "Egypt opened the Rafah crossing on 3 November 2023. Egypt closed the crossing on "
        "1 November 2023. Egypt said it would reopen the crossing.",
        published=date(2023, 11, 5),
    )
    rows = graph.named_query("timeline", name="Egypt")
    dates = [r["date"] for r in rows]
    assert dates and dates[0] is not None
    dated = [d for d in dates if d is not None]
    assert dates[: len(dated)] == sorted(dated)  # the dated ones first, oldest first


def test_bindings_and_pages_of_the_wrong_kind_say_so() -> None:
    from rdflib import BNode

    from kg.errors import QueryError

    graph = KnowledgeGraph(memory=True)
    graph.add_text(BODY)
    with pytest.raises(QueryError, match="cannot bind a blank node"):
        graph.query("SELECT ?x WHERE { ?x ?p ?o }", o=BNode())
    for page in ({"limit": "5"}, {"limit": True}, {"offset": 1.5}):
        with pytest.raises(QueryError, match="is a whole number"):
            graph.query("SELECT ?x WHERE { ?x ?p ?o }", **page)  # type: ignore[arg-type]
    assert len(graph.query("SELECT ?x WHERE { ?x ?p ?o }", limit=2, offset=None)) == 2  # type: ignore[arg-type]


def test_a_numpy_integer_binds_as_an_integer() -> None:
    numpy = pytest.importorskip("numpy")
    graph = KnowledgeGraph(memory=True)
    rows = graph.query("SELECT ?n WHERE { BIND(?v + 1 AS ?n) }", v=numpy.int64(41))
    assert rows[0]["n"] == 42


def test_render_into_a_folder_asks_for_a_file_name(tmp_path: Path) -> None:
    from kg.errors import OutputError

    graph = KnowledgeGraph(memory=True)
    graph.add_text(BODY)
    with pytest.raises(OutputError, match="is a folder"):
        graph.render(str(tmp_path) + "/")
    assert not (tmp_path / "graph.html").exists()
