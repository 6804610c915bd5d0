"""The build: streaming, worker processes, stage timings, reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import KnowledgeGraph
from kg.pipeline import estimate_articles
from kg.resources import SAMPLE_DIR

pytestmark = pytest.mark.slow


def _quads(graph: KnowledgeGraph) -> set[str]:
    return set(graph.serialize("nquads").splitlines())


def test_the_graph_is_the_same_whatever_the_number_of_workers() -> None:
    one = KnowledgeGraph(memory=True)
    one.add_documents([SAMPLE_DIR], workers=1, batch_size=1)
    two = KnowledgeGraph(memory=True)
    report = two.add_documents([SAMPLE_DIR], workers=2, batch_size=1)
    assert len(report.added) == 4 and report.ok
    assert report.seconds["parse"] > 0 and report.seconds["store"] > 0
    assert _quads(one) == _quads(two)


def test_the_graph_does_not_depend_on_the_order_of_input_files() -> None:
    files = sorted(SAMPLE_DIR.iterdir())
    forward = KnowledgeGraph(memory=True)
    forward.add_documents(files)
    backward = KnowledgeGraph(memory=True)
    backward.add_documents(list(reversed(files)))
    assert _quads(forward) == _quads(backward)


def test_estimate_counts_files_and_jsonl_lines(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "a"}\n\n{"text": "b"}\n{"text": "c"}\n', encoding="utf-8")
    assert estimate_articles([SAMPLE_DIR, feed]) == 4 + 3


def test_a_dask_local_cluster_gives_the_same_graph() -> None:
    pytest.importorskip("dask.distributed")
    one = KnowledgeGraph(memory=True)
    one.add_documents([SAMPLE_DIR], batch_size=1)
    on_dask = KnowledgeGraph(memory=True)
    report = on_dask.add_documents([SAMPLE_DIR], batch_size=1, dask="local:2")
    assert len(report.added) == 4 and report.ok
    assert _quads(one) == _quads(on_dask)


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    from click.testing import CliRunner

    from kg.cli import main

    store = tmp_path / "store"
    result = CliRunner().invoke(
        main, ["build", str(SAMPLE_DIR), "--store", str(store), "--dask", "tcp://127.0.0.1:9", "-q"]
    )
    assert result.exit_code == 2
    assert "cannot reach the scheduler" in result.output
    assert not store.exists()


def test_a_long_build_flushes_the_store_as_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg import pipeline
    from kg.store import GraphStore

    flushes: list[int] = []
    real_flush = GraphStore.flush

    def counting_flush(self: GraphStore) -> None:
        flushes.append(len(self))
        real_flush(self)

    monkeypatch.setattr(pipeline, "FLUSH_QUADS", 100)
    monkeypatch.setattr(GraphStore, "flush", counting_flush)
    graph = KnowledgeGraph(tmp_path / "store")
    report = graph.add_documents([SAMPLE_DIR], batch_size=1)
    assert report.ok and len(report.added) == 4
    # every article writes more than 100 quads: one flush after each, and one at the end
    assert len(flushes) == 5 and flushes == sorted(flushes)
    graph.close()


def test_an_unknown_model_fails_before_workers_start(tmp_path: Path) -> None:
    from kg.errors import ModelError

    graph = KnowledgeGraph(memory=True, model="no_such_model")
    with pytest.raises(ModelError, match="no_such_model"):
        graph.add_documents([SAMPLE_DIR], workers=2, batch_size=1)
    assert len(graph.store) == 0  # nothing written, not even the ontology


def test_worker_processes_load_the_users_gazetteer(tmp_path: Path) -> None:
    # A made-up organisation with a made-up Wikidata id, in two articles of our own.
    table = tmp_path / "names.tsv"
    table.write_text(
        "label\ttype\tqid\taliases\nVennmoor Water Trust\tOrganization\tQ987654324\tVWT\n",
        encoding="utf-8",
    )
    texts = [
        "The Vennmoor Water Trust opened a clinic in Cairo on Monday, officials said.\n",
        "Egypt said on Tuesday that the VWT would send more engineers to the border.\n",
    ]
    for i, text in enumerate(texts):
        (tmp_path / f"a{i}.txt").write_text(text, encoding="utf-8")
    articles = sorted(tmp_path.glob("a*.txt"))
    graph = KnowledgeGraph(memory=True, gazetteer=[table])
    report = graph.add_documents(articles, workers=1, batch_size=1)  # one worker process
    assert len(report.added) == 2 and report.ok
    found = graph.query(
        "SELECT DISTINCT ?e WHERE { ?e owl:sameAs <http://www.wikidata.org/entity/Q987654324> }"
    )
    assert len(found) == 1
    here = KnowledgeGraph(memory=True, gazetteer=[table])
    here.add_documents(articles, batch_size=2)  # one batch: parsed in this process
    assert _quads(here) == _quads(graph)


def test_labels_and_surnames_do_not_depend_on_the_order_of_articles() -> None:
    from kg.model import Document

    documents = [
        Document("Mr Lindqvist told reporters in Stockholm that the talks would go on.", "a.txt"),
        Document(
            "Swedish envoy Oskar Lindqvist spoke in Cairo on Monday. Lindqvist said aid would flow.",
            "b.txt",
        ),
        Document("The Norrland Trading Company said its profits rose.", "c.txt"),
        Document(
            "NORRLAND TRADING COMPANY said on Friday that profits rose, and the Norrland "
            "Trading company agreed.",
            "d.txt",
        ),
    ]
    graphs = []
    for order in (documents, documents[::-1]):
        graph = KnowledgeGraph(memory=True)
        graph.add_documents(order)
        graphs.append(_quads(graph))
    assert graphs[0] == graphs[1]
    organisation = "entity/organization/norrland-trading-company>"
    labels = [q for q in graphs[0] if organisation in q and "#label>" in q]
    assert len(labels) == 1 and '"Norrland Trading Company"@en' in labels[0]
    # A bare surname joins a person named in full only by an earlier build, whatever the order
    # of this one's articles.
    assert any("entity/person/lindqvist>" in q for q in graphs[0])


def test_a_bare_surname_joins_the_person_an_earlier_build_named_in_full() -> None:
    from kg.model import Document

    graph = KnowledgeGraph(memory=True)
    graph.add_documents(
        [Document("Swedish envoy Oskar Lindqvist spoke in Cairo on Monday.", "b.txt")]
    )
    graph.add_documents(
        [Document("Mr Lindqvist told reporters in Stockholm that the talks would go on.", "a.txt")]
    )
    quads = _quads(graph)
    assert not any("entity/person/lindqvist>" in q for q in quads)
    assert any("entity/person/oskar-lindqvist>" in q and '"Lindqvist"@en' in q for q in quads)


def test_an_article_too_long_for_the_model_costs_only_itself_in_a_small_build(
    tmp_path: Path,
) -> None:
    """A build of under two batches parses in this process; an article spaCy refuses (over
    ``nlp.max_length`` characters) is reported and the others are built."""
    long = tmp_path / "long.txt"
    long.write_text(" ".join(["Egypt opened the Rafah crossing on Wednesday."] * 23_000))
    assert len(long.read_text()) > 1_000_000
    report = KnowledgeGraph(memory=True).add_documents([long, *sorted(SAMPLE_DIR.iterdir())[:2]])
    assert len(report.added) == 2
    assert len(report.problems) == 1 and report.problems[0].startswith(str(long))
    assert "E088" in report.problems[0]


def test_an_unreadable_feed_does_not_break_the_estimate(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "1", "text": "Egypt opened the crossing."}\n')
    feed.chmod(0)
    try:
        try:
            feed.open("rb").close()
            pytest.skip("this user can read a file without permissions (root)")
        except PermissionError:
            pass
        assert estimate_articles([feed]) == 1
    finally:
        feed.chmod(0o644)


def test_the_summary_counts_the_entities_the_articles_mention() -> None:
    report = KnowledgeGraph(memory=True).add_documents([SAMPLE_DIR])
    assert 0 < report.entities < report.mentions
    assert f"{report.entities} entities" in report.summary()


@pytest.mark.parametrize("address", ["local:0", "local:abc", "local:-1"])
def test_a_local_dask_cluster_needs_a_number_of_workers(address: str) -> None:
    from kg.errors import InputError

    with pytest.raises(InputError, match="local:N needs a number of workers N of at least 1"):
        KnowledgeGraph(memory=True).add_documents([SAMPLE_DIR], dask=address)


def test_a_figure_too_big_for_a_float_does_not_stop_the_build(tmp_path: Path) -> None:
    """It used to become infinity, and writing it crashed the whole build (exit 70)."""
    huge = tmp_path / "a-huge.txt"
    huge.write_text("Officials said 1" + "0" * 309 + " people crossed the border on Monday.\n")
    normal = tmp_path / "b-normal.txt"
    normal.write_text("Egypt opened the Rafah crossing on Monday, officials said.\n")
    report = KnowledgeGraph(memory=True).add_documents([huge, normal])
    assert str(normal) in report.added
    assert report.ok or all(str(huge) in p for p in report.problems)
