"""Writing to and querying a SPARQL 1.1 endpoint: the Oxigraph server started by the tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from kg import KnowledgeGraph
from kg.cli import main
from kg.errors import StoreError
from kg.remote import RemoteStore
from kg.resources import SAMPLE_DIR
from kg.store import GraphStore

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not OXIGRAPH.exists() and not shutil.which("oxigraph"),
        reason="oxigraph server not installed",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(
    location: Path, *, read_only: bool = False, union: bool = False
) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    binary = str(OXIGRAPH) if OXIGRAPH.exists() else "oxigraph"
    command = "serve-read-only" if read_only else "serve"
    union_flag = ["--union-default-graph"] if union else []
    proc = subprocess.Popen(
        [binary, command, "--location", str(location), "--bind", f"127.0.0.1:{port}", *union_flag],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1):
                return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("oxigraph server did not start")


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[str]:
    proc, base = _start(tmp_path / "server-store")
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_build_to_an_endpoint_equals_the_local_build(server: str, tmp_path: Path) -> None:
    local = KnowledgeGraph(tmp_path / "local")
    local.add_documents([SAMPLE_DIR])
    remote = KnowledgeGraph(endpoint=f"{server}/update")
    report = remote.add_documents([SAMPLE_DIR])
    assert report.ok and len(report.added) == 4
    assert len(remote.store) == len(local.store)
    again = remote.add_documents([SAMPLE_DIR])
    assert again.added == [] and len(again.skipped) == 4
    rows = remote.named_query("mediations")
    assert {r["mediatorLabel"] for r in rows} == {"Qatar"}
    assert remote.query("ASK { ?x kg:mediated ?y }") is False  # default graph only on this server
    assert remote.query("ASK { GRAPH ?g { ?x kg:mediated ?y } }") is True


def test_a_better_label_replaces_the_one_an_endpoint_holds(server: str, tmp_path: Path) -> None:
    from kg.model import Document

    shouting = Document("NORRLAND TRADING COMPANY said on Friday that profits rose.", "d.txt")
    plain = Document("The Norrland Trading Company said its profits rose.", "c.txt")
    remote = KnowledgeGraph(endpoint=f"{server}/update")
    remote.add_documents([shouting])
    remote.add_documents([plain])
    local = KnowledgeGraph(tmp_path / "local")
    local.add_documents([plain, shouting])
    query = (
        "SELECT ?label WHERE { ?e a schema:Organization ; rdfs:label ?label . "
        'FILTER(CONTAINS(LCASE(STR(?label)), "norrland")) }'
    )
    expected = [{"label": "Norrland Trading Company"}]
    assert [dict(r) for r in remote.query(query)] == expected
    assert [dict(r) for r in local.query(query)] == expected
    assert len(remote.store) == len(local.store)


def test_cli_build_and_query_through_the_endpoint(server: str) -> None:
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(SAMPLE_DIR), "--endpoint", f"{server}/update", "-q"])
    assert built.exit_code == 0, built.output
    result = runner.invoke(
        main,
        [
            "query",
            "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a schema:NewsArticle } }",
            "--endpoint",
            f"{server}/update",
            "--format",
            "csv",
        ],
    )
    assert result.output.splitlines() == ["n", "4"]


def test_an_endpoint_that_refuses_the_write(tmp_path: Path) -> None:
    GraphStore.open(tmp_path / "ro").close()  # a read-only server needs an existing store
    proc, base = _start(tmp_path / "ro", read_only=True)
    try:
        with pytest.raises(StoreError, match="refused"):
            RemoteStore(f"{base}/update").add_quads(
                [(URIRef("http://a"), URIRef("http://b"), URIRef("http://c"), None)]
            )
        result = CliRunner().invoke(
            main, ["build", str(SAMPLE_DIR), "--endpoint", f"{base}/update", "-q"]
        )
        assert result.exit_code == 3
        assert "refused" in result.output and "Traceback" not in result.output
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_an_endpoint_that_cannot_be_reached() -> None:
    url = f"http://127.0.0.1:{_free_port()}/update"
    result = CliRunner().invoke(main, ["build", str(SAMPLE_DIR), "--endpoint", url, "-q"])
    assert result.exit_code == 3
    assert "cannot reach" in result.output
    bad = CliRunner().invoke(main, ["build", str(SAMPLE_DIR), "--endpoint", "ftp://x/update", "-q"])
    assert bad.exit_code == 3 and "not an http(s) URL" in bad.output


def test_a_publisher_is_described_once_on_the_endpoint_and_goes_with_its_last_article(
    server: str,
) -> None:
    from kg.mapping import Iris
    from kg.model import Document
    from kg.vocab import DEFAULT_BASE

    loud = Document("Chad closed a border on Friday.", "b.txt", publisher="HARBOUR WIRE")
    plain = Document("Norway opened an embassy on Monday.", "a.txt", publisher="Harbour Wire")
    remote = KnowledgeGraph(endpoint=f"{server}/update")
    remote.add_documents([loud])
    remote.add_documents([plain])
    publishers = (
        "SELECT ?label WHERE { ?p a schema:Organization ; rdfs:label ?label . "
        'FILTER(CONTAINS(STR(?p), "/publisher/")) }'
    )
    assert [dict(r) for r in remote.query(publishers)] == [{"label": "Harbour Wire"}]
    iris = Iris(DEFAULT_BASE)
    remote.store.replace_documents([str(iris.graph(loud.id))])  # what a new version does
    assert [dict(r) for r in remote.query(publishers)] == [{"label": "Harbour Wire"}]
    remote.store.replace_documents([str(iris.graph(plain.id))])
    assert remote.query(publishers) == []
    assert remote.query("ASK { ?s ?p ?o FILTER(CONTAINS(STR(?s), '/agent/')) }") is False


def test_an_endpoint_written_by_an_earlier_kg_is_brought_into_shape(server: str) -> None:
    store = RemoteStore(f"{server}/update")
    store.update(
        "INSERT DATA { GRAPH <https://e.org/g> { <https://e.org/x> prov:wasAssociatedWith "
        '<https://e.org/agent> . <https://e.org/agent> rdfs:label "kg 0.1.0"@en . '
        "<https://e.org/d> schema:publisher <https://e.org/pub> . "
        '<https://e.org/pub> rdfs:label "Harbour Wire"@en } }'
    )
    assert store.move_shared_descriptions(str) == 1
    assert store.select("ASK { <https://e.org/agent> rdfs:label ?l }") is True
    assert store.select("ASK { GRAPH ?g { ?d kg:publisherName ?n } }") is True
    assert store.select("ASK { GRAPH ?g { <https://e.org/agent> ?p ?o } }") is False
    assert store.move_shared_descriptions(str) == 0


def test_an_endpoint_whose_default_graph_is_the_union_counts_each_quad_once(
    tmp_path: Path,
) -> None:
    """As ``kg serve --writable`` sets it up: the default graph is the union of all graphs."""
    proc, base = _start(tmp_path / "union-store", union=True)
    try:
        local = KnowledgeGraph(tmp_path / "local")
        local.add_documents([SAMPLE_DIR])
        remote = KnowledgeGraph(endpoint=f"{base}/update")
        report = remote.add_documents([SAMPLE_DIR])
        assert len(remote.store) == len(local.store) == report.triples_after
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_query_through_the_endpoint_construct_describe_and_syntax_errors(server: str) -> None:
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(SAMPLE_DIR), "--endpoint", f"{server}/update", "-q"])
    assert built.exit_code == 0, built.output
    endpoint = ["--endpoint", f"{server}/update"]
    construct = runner.invoke(
        main,
        [
            "query",
            "CONSTRUCT { ?x kg:mediated ?y } WHERE { GRAPH ?g { ?x kg:mediated ?y } }",
            *endpoint,
        ],
    )
    assert construct.exit_code == 0, construct.output
    lines = construct.output.strip().splitlines()
    assert lines and all(line.split("\t")[1].endswith("#mediated") for line in lines)
    describe = runner.invoke(
        main, ["query", "DESCRIBE <https://w3id.org/kg-news/id/entity/Q79>", *endpoint]
    )
    assert describe.exit_code == 0, describe.output
    broken = runner.invoke(main, ["query", "SELECT ?x WHERE {\n  ?x ?y }", *endpoint])
    assert broken.exit_code == 2, broken.output
    assert "SPARQL syntax error" in broken.output and "2:" in broken.output  # the user's line
