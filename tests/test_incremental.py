"""The store grows article by article: skip, replace a new version, remove, list."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import KnowledgeGraph
from kg.cli import main

pytestmark = pytest.mark.slow

V1 = """title: Port deal
date: 2024-05-01
url: https://example.org/port-deal

Norway mediated an agreement between Colombia and Venezuela. Spokesman Dara Quill said the
Cucuta crossing would reopen on Friday.
"""
V2 = """title: Port deal (updated)
date: 2024-05-01
url: https://example.org/port-deal

Norway mediated an agreement between Colombia and Ecuador.
"""
OTHER = """title: Other
date: 2024-05-02

Norway opened an embassy in Colombia on Thursday.
"""
ENTITY_LABELS = """SELECT DISTINCT ?l WHERE {
  ?e rdfs:label ?l ; a ?t . FILTER(?t IN (schema:Country, schema:Person, kg:Facility))
} ORDER BY ?l"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _labels(kg: KnowledgeGraph) -> list[str]:
    return [r["l"] for r in kg.query(ENTITY_LABELS)]


def test_new_version_replaces_the_old_graph_and_its_entities(tmp_path: Path) -> None:
    kg = KnowledgeGraph(tmp_path / "store")
    kg.add_documents([_write(tmp_path, "v1.txt", V1), _write(tmp_path, "other.txt", OTHER)])
    assert "Venezuela" in _labels(kg) and "Dara Quill" in _labels(kg)
    report = kg.add_documents([_write(tmp_path, "v2.txt", V2)])
    assert report.replaced == 1 and len(report.added) == 1
    assert [d["title"] for d in kg.documents()] == ["Port deal (updated)", "Other"]
    labels = _labels(kg)
    assert "Ecuador" in labels
    assert "Venezuela" not in labels and "Dara Quill" not in labels  # only v1 mentioned them
    assert {"Norway", "Colombia"} <= set(labels)  # still mentioned by the other article
    assert kg.validate().conforms


def test_remove_takes_the_article_and_what_only_it_contributed(tmp_path: Path) -> None:
    kg = KnowledgeGraph(tmp_path / "store")
    kg.add_documents([_write(tmp_path, "v1.txt", V1), _write(tmp_path, "other.txt", OTHER)])
    before = len(kg.store)
    removed = kg.remove("https://example.org/port-deal")
    assert [d["title"] for d in removed] == ["Port deal"]
    assert len(kg.store) < before
    assert _labels(kg) == ["Colombia", "Norway"]
    other_id = kg.documents()[0]["id"]
    kg.remove(other_id[:8])
    assert kg.documents() == []
    leftover = kg.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o "
        "FILTER NOT EXISTS { GRAPH <https://w3id.org/kg-news/ontology> { ?s ?p ?o } } }"
    )
    assert leftover[0]["n"] == 0


def test_cli_list_and_remove(tmp_path: Path) -> None:
    store = tmp_path / "store"
    runner = CliRunner()
    v1 = _write(tmp_path, "v1.txt", V1)
    assert runner.invoke(main, ["build", str(v1), "--store", str(store), "-q"]).exit_code == 0
    listed = runner.invoke(main, ["list", "--store", str(store), "--format", "csv"])
    lines = listed.output.splitlines()
    assert lines[0] == "id,published,publisher,title,source,url,quads"
    assert "Port deal" in lines[1] and "2024-05-01" in lines[1]
    missing = runner.invoke(main, ["remove", "nosuchdoc", "--store", str(store)])
    assert missing.exit_code == 2 and "nosuchdoc" in missing.output
    gone = runner.invoke(main, ["remove", str(v1), "--store", str(store)])
    assert gone.exit_code == 0 and "removed" in gone.output
    assert runner.invoke(
        main, ["list", "--store", str(store), "--format", "csv"]
    ).output.splitlines() == ["id,published,publisher,title,source,url,quads"]


def test_relations_live_in_the_article_graph_and_go_with_it(tmp_path: Path) -> None:
    text = "Dara Quill, a spokeswoman for the Harbour Authority, said the port would reopen.\n"
    kg = KnowledgeGraph(tmp_path / "store")
    kg.add_documents([_write(tmp_path, "quill.txt", text), _write(tmp_path, "other.txt", OTHER)])
    count = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { { ?r a kg:RelationStatement } "
        "UNION { ?p schema:worksFor ?o } } }"
    )
    assert kg.query(count)[0]["n"] == 2
    kg.remove(str(tmp_path / "quill.txt"))
    assert kg.query(count)[0]["n"] == 0
    assert kg.validate().conforms


SHARED = """SELECT ?node ?label WHERE {
  { ?node a schema:Organization } UNION { ?node a prov:SoftwareAgent }
  ?node rdfs:label ?label .
  FILTER NOT EXISTS { ?node owl:sameAs ?any }
  FILTER(CONTAINS(STR(?node), "/publisher/") || CONTAINS(STR(?node), "/agent/"))
} ORDER BY ?label"""


def _article(title: str, publisher: str, body: str) -> str:
    return f"title: {title}\ndate: 2024-05-03\nsource: {publisher}\n\n{body}\n"


def test_a_publisher_and_kg_are_one_row_each_whatever_the_number_of_articles(
    tmp_path: Path,
) -> None:
    """The union of the graphs is a bag in Oxigraph: a triple in every article's graph would
    come back once per article (and a join of two such triples once per pair)."""
    kg = KnowledgeGraph(tmp_path / "store")
    kg.add_documents(
        [
            _write(tmp_path, "a.txt", _article("A", "Harbour Wire", "Norway opened an embassy.")),
            _write(
                tmp_path, "b.txt", _article("B", "Harbour Wire", "Chad closed a border with Sudan.")
            ),
            _write(
                tmp_path,
                "c.txt",
                _article("C", "Harbour Wire", "Peru signed a trade deal with Chile."),
            ),
        ]
    )
    assert [r["label"] for r in kg.query(SHARED)] == ["Harbour Wire", "kg 0.1.0"]
    assert {d["publisher"] for d in kg.documents()} == {"Harbour Wire"}
    assert kg.validate().conforms


@pytest.mark.parametrize("order", [("lower", "upper"), ("upper", "lower")])
def test_a_publisher_spelled_two_ways_gets_the_best_label_in_either_order(
    tmp_path: Path, order: tuple[str, str]
) -> None:
    texts = {
        "lower": _article("A", "Harbour Wire", "Norway opened an embassy."),
        "upper": _article("B", "HARBOUR WIRE", "Chad closed a border with Sudan."),
    }
    kg = KnowledgeGraph(tmp_path / "store")
    for name in order:  # one build per article: the second finds the first's label
        kg.add_documents([_write(tmp_path, f"{name}.txt", texts[name])])
    assert [r["label"] for r in kg.query(SHARED)] == ["Harbour Wire", "kg 0.1.0"]


def test_removing_the_last_article_of_a_publisher_removes_its_description(
    tmp_path: Path,
) -> None:
    kg = KnowledgeGraph(tmp_path / "store")
    a = _write(tmp_path, "a.txt", _article("A", "Harbour Wire", "Norway opened an embassy."))
    b = _write(tmp_path, "b.txt", _article("B", "Delta Post", "Chad closed a border with Sudan."))
    kg.add_documents([a, b])
    assert [r["label"] for r in kg.query(SHARED)] == ["Delta Post", "Harbour Wire", "kg 0.1.0"]
    kg.remove(str(b))
    assert [r["label"] for r in kg.query(SHARED)] == ["Harbour Wire", "kg 0.1.0"]
    kg.remove(str(a))
    assert kg.query(SHARED) == []
    leftover = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?s), '/publisher/')) }"
    assert kg.query(leftover) == []


def test_a_store_written_by_an_earlier_kg_is_brought_into_shape_by_the_next_build(
    tmp_path: Path,
) -> None:
    """Earlier development versions described the publisher and kg's agent in every
    article's graph."""
    import pyoxigraph as ox

    kg = KnowledgeGraph(tmp_path / "store")
    kg.add_documents(
        [
            _write(tmp_path, "a.txt", _article("A", "Harbour Wire", "Norway opened an embassy.")),
            _write(
                tmp_path, "b.txt", _article("B", "HARBOUR WIRE", "Chad closed a border with Sudan.")
            ),
        ]
    )
    inner = kg.store.inner
    shared = [
        q
        for q in inner.quads_for_pattern(None, None, None, ox.DefaultGraph())
        if "/publisher/" in q.subject.value or "/agent/" in q.subject.value
    ]
    assert len(shared) == 4
    # the old layout: each article's graph describes its publisher (as it spells it) and kg
    old = []
    for doc in kg.documents():
        graph = ox.NamedNode(doc["graph"])
        spelling = "HARBOUR WIRE" if doc["title"] == "B" else "Harbour Wire"
        for q in shared:
            obj = q.object
            if q.predicate.value.endswith("#label") and "/publisher/" in q.subject.value:
                obj = ox.Literal(spelling, language="en")
            old.append(ox.Quad(q.subject, q.predicate, obj, graph))
    inner.extend(old)
    for q in shared:
        inner.remove(q)
    name = ox.NamedNode("https://w3id.org/kg-news/ontology#publisherName")
    for q in list(inner.quads_for_pattern(None, name, None, None)):
        inner.remove(q)
    assert len(kg.query(SHARED)) == 8  # type x label, once per pair of graphs
    kg.add_documents(
        [
            _write(
                tmp_path,
                "c.txt",
                _article("C", "Delta Post", "Peru signed a trade deal with Chile."),
            )
        ]
    )
    assert [r["label"] for r in kg.query(SHARED)] == ["Delta Post", "Harbour Wire", "kg 0.1.0"]
    assert not [q for q in old if q in inner]
    # each article keeps its own spelling, in its graph
    assert {d["title"]: d["publisher"] for d in kg.documents()} == {
        "A": "Harbour Wire",
        "B": "HARBOUR WIRE",
        "C": "Delta Post",
    }


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_an_entitys_aliases_do_not_depend_on_the_order_of_the_articles(
    tmp_path: Path, order: tuple[int, int]
) -> None:
    """The model reads a line in capitals re-cased ("FEDERAL RESERVE" as "Federal reserve");
    the aliases are the spellings the articles write, whichever article came first."""
    texts = [
        "FEDERAL RESERVE WEEKLY REPORT 1 - MAR 4\n Bank borrowings......612 vs......433\n",
        "Banks borrowed less in the week to Wednesday, the Federal Reserve said on Thursday.\n",
    ]
    paths = [_write(tmp_path, f"{i}.txt", t) for i, t in enumerate(texts)]
    kg = KnowledgeGraph(tmp_path / "store")
    for i in order:  # one build each: the second article finds the first's entity
        kg.add_documents([paths[i]])
    rows = kg.query(
        "SELECT ?p ?o WHERE { ?e rdfs:label ?l ; ?p ?o . FILTER(isLiteral(?o)) "
        'FILTER(CONTAINS(LCASE(STR(?l)), "federal")) } ORDER BY ?p ?o'
    )
    names = [(r["p"].rsplit("#", 1)[1], r["o"]) for r in rows]
    assert names == [("label", "Federal Reserve"), ("altLabel", "FEDERAL RESERVE")]


def test_two_feeds_numbering_their_records_alike_are_not_versions_of_each_other(
    tmp_path: Path,
) -> None:
    feed_a = _write(
        tmp_path,
        "a.jsonl",
        '{"id": "1", "source": "Feed A", "text": "Egypt opened the Rafah crossing on Monday."}\n',
    )
    feed_b = _write(
        tmp_path,
        "b.jsonl",
        '{"id": "1", "source": "Feed B", "text": "Qatar mediated talks on Friday, officials said."}\n',
    )
    kg = KnowledgeGraph(tmp_path / "store")
    report = kg.add_documents([feed_a, feed_b])
    assert len(report.added) == 2 and report.replaced == 0
    assert {d["publisher"] for d in kg.documents()} == {"Feed A", "Feed B"}
    newer = _write(
        tmp_path,
        "a2.jsonl",
        '{"id": "1", "source": "Feed A", "text": "Egypt reopened the Rafah crossing on Tuesday."}\n',
    )
    assert kg.add_documents([newer]).replaced == 1  # the same feed's record 1: a new version
    assert len(kg.documents()) == 2
