"""The SPARQL endpoint (kg.serve): the Oxigraph server over a kg store, queried over HTTP."""

from __future__ import annotations

import csv
import io
import json
import shutil
import socket
import sys
import sysconfig
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pyoxigraph as ox
import pytest
from SPARQLWrapper import GET, JSON, POST, POSTDIRECTLY, TURTLE, URLENCODED, SPARQLWrapper

import kg
import kg.serve as serve
from kg.errors import StoreError
from kg.resources import SAMPLE_DIR
from kg.serve import SparqlServer, find_oxigraph, free_port, is_loopback
from kg.store import GraphStore

pytestmark = pytest.mark.slow

KGO = "https://w3id.org/kg-news/ontology#"
MEDIATION_COUNT = f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a <{KGO}Mediation> }}"
CONSTRUCT_LABELS = (
    "CONSTRUCT { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { "
    "?e a <https://schema.org/Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
)
NEW = ("<https://example.org/served>", "<https://example.org/p>", '"inserted"')
ASK_NEW = f"ASK {{ {' '.join(NEW)} }}"
INSERT_NEW = f"INSERT DATA {{ {' '.join(NEW)} }}"


@dataclass(frozen=True)
class Sample:
    folder: Path
    quads: int
    mediations: int  # distinct Mediation events, seen through the union default graph
    person_labels: int  # triples CONSTRUCT_LABELS returns


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Talk to the loopback server directly even when the environment sets a proxy."""
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    """The bundled sample corpus in a store folder (built once, then closed)."""
    folder = tmp_path_factory.mktemp("serve") / "store"
    graph = kg.KnowledgeGraph(folder)
    try:
        report = graph.add_documents([SAMPLE_DIR])
        assert report.added, report.summary()
    finally:
        graph.close()
    store = GraphStore.open(folder, create=False)
    try:
        # The events live in the articles' named graphs, none in the default graph, so
        # seeing them without GRAPH shows the server's default graph is the union.
        kind = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        mediation = ox.NamedNode(f"{KGO}Mediation")
        assert not list(store.inner.quads_for_pattern(None, kind, mediation, ox.DefaultGraph()))
        mediations = next(iter(store.query(MEDIATION_COUNT)))["n"]
        people = list(store.query(CONSTRUCT_LABELS))
        quads = len(store)
    finally:
        store.close()
    return Sample(folder, quads, int(mediations.value), len(people))


@pytest.fixture(scope="module")
def server(sample: Sample) -> Iterator[SparqlServer]:
    """A read-only server (the defaults) over the sample store, shared by the module."""
    with SparqlServer(sample.folder, port=free_port()) as running:
        yield running


@pytest.fixture
def private_store(sample: Sample, tmp_path: Path) -> Path:
    """A copy of the sample store, for a test that needs its own server or writes."""
    return Path(shutil.copytree(sample.folder, tmp_path / "store"))


# ---------------------------------------------------------------------- helpers
@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip()


def http(
    url: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 20,
) -> Reply:
    """One HTTP request; error statuses are returned, not raised."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, exc.headers, exc.read())


def get_query(url: str, query: str, accept: str) -> Reply:
    return http(f"{url}?{urllib.parse.urlencode({'query': query})}", headers={"Accept": accept})


def count_from_json(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def wrapper(url: str, query: str) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    return client


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


# ---------------------------------------------------------------------- SPARQLWrapper
@pytest.mark.parametrize("method", [GET, POST])
def test_select_json_with_sparqlwrapper(server: SparqlServer, sample: Sample, method: str) -> None:
    client = wrapper(server.url, MEDIATION_COUNT)
    client.setMethod(method)
    client.setReturnFormat(JSON)
    result = client.queryAndConvert()
    assert isinstance(result, dict)
    assert result["head"]["vars"] == ["n"]
    # the Mediation events live in named graphs; no GRAPH clause is needed to see them
    assert int(result["results"]["bindings"][0]["n"]["value"]) == sample.mediations > 0


def test_post_directly_with_sparqlwrapper(server: SparqlServer, sample: Sample) -> None:
    client = wrapper(server.url, MEDIATION_COUNT)
    client.setMethod(POST)
    client.setRequestMethod(POSTDIRECTLY)
    client.setReturnFormat(JSON)
    result = client.queryAndConvert()
    assert isinstance(result, dict)
    assert int(result["results"]["bindings"][0]["n"]["value"]) == sample.mediations
    client.setRequestMethod(URLENCODED)
    assert client.queryAndConvert() == result


def test_ask_with_sparqlwrapper(server: SparqlServer) -> None:
    client = wrapper(server.url, f"ASK {{ ?e a <{KGO}Mediation> }}")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert() == {"head": {}, "boolean": True}
    client.setQuery(ASK_NEW)
    assert client.queryAndConvert() == {"head": {}, "boolean": False}


def test_construct_turtle_with_sparqlwrapper(server: SparqlServer, sample: Sample) -> None:
    client = wrapper(server.url, CONSTRUCT_LABELS)
    client.setReturnFormat(TURTLE)
    body = client.queryAndConvert()
    assert isinstance(body, bytes)
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    assert len(triples) == sample.person_labels > 0


# ---------------------------------------------------------------------- plain HTTP
def test_select_content_negotiation(server: SparqlServer, sample: Sample) -> None:
    n = sample.mediations

    reply = get_query(server.url, MEDIATION_COUNT, "application/sparql-results+json")
    assert (reply.status, reply.content_type) == (200, "application/sparql-results+json")
    assert count_from_json(reply.body) == n

    reply = get_query(server.url, MEDIATION_COUNT, "application/sparql-results+xml")
    assert (reply.status, reply.content_type) == (200, "application/sparql-results+xml")
    ns = "{http://www.w3.org/2005/sparql-results#}"
    literal = ET.fromstring(reply.body).find(f"{ns}results/{ns}result/{ns}binding/{ns}literal")
    assert literal is not None and literal.text == str(n)

    reply = get_query(server.url, MEDIATION_COUNT, "text/csv")
    assert (reply.status, reply.content_type) == (200, "text/csv")
    assert list(csv.reader(io.StringIO(reply.body.decode()))) == [["n"], [str(n)]]

    reply = get_query(server.url, MEDIATION_COUNT, "text/tab-separated-values")
    assert (reply.status, reply.content_type) == (200, "text/tab-separated-values")
    assert reply.body.decode().splitlines() == ["?n", str(n)]


def test_post_form_and_direct(server: SparqlServer, sample: Sample) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    form = http(
        server.url,
        method="POST",
        data=urllib.parse.urlencode({"query": MEDIATION_COUNT}).encode(),
        headers={**accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status == 200 and count_from_json(form.body) == sample.mediations
    direct = http(
        server.url,
        method="POST",
        data=MEDIATION_COUNT.encode(),
        headers={**accept, "Content-Type": "application/sparql-query"},
    )
    assert direct.status == 200 and count_from_json(direct.body) == sample.mediations


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES)],
)
def test_construct_content_negotiation(
    server: SparqlServer, sample: Sample, accept: str, fmt: ox.RdfFormat
) -> None:
    reply = get_query(server.url, CONSTRUCT_LABELS, accept)
    assert (reply.status, reply.content_type) == (200, accept)
    assert len(list(ox.parse(reply.body, format=fmt))) == sample.person_labels


def test_syntax_error_is_a_400(server: SparqlServer) -> None:
    reply = get_query(server.url, "SELECT WHERE {", "application/sparql-results+json")
    assert reply.status == 400


def test_urls_and_description(server: SparqlServer) -> None:
    assert server.url == f"http://127.0.0.1:{server.port}/query"
    assert server.update_url == f"http://127.0.0.1:{server.port}/update"
    assert server.store_url == f"http://127.0.0.1:{server.port}/store"
    assert server.running and server.warning is None
    assert "read-only" in server.describe() and server.url in server.describe()
    command = server.command
    assert command[1] == "serve-read-only" and "--union-default-graph" in command
    assert "--cors" not in command and command[-2:] == ["--timeout-s", "30"]


# ---------------------------------------------------------------------- read-only / writable
def test_read_only_refuses_updates(server: SparqlServer) -> None:
    count_all = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = count_from_json(get_query(server.url, count_all, "application/json").body)
    update = http(
        server.update_url,
        method="POST",
        data=INSERT_NEW.encode(),
        headers={"Content-Type": "application/sparql-update"},
    )
    assert update.status == 403, update  # refused, not 2xx
    assert b"read-only" in update.body
    graph_store = http(
        f"{server.store_url}?default",
        method="POST",
        data=" ".join((*NEW, ".")).encode(),
        headers={"Content-Type": "application/n-triples"},
    )
    assert graph_store.status == 403
    reply = get_query(server.url, ASK_NEW, "application/sparql-results+json")
    assert json.loads(reply.body)["boolean"] is False
    assert count_from_json(get_query(server.url, count_all, "application/json").body) == before


def test_writable_accepts_updates(private_store: Path) -> None:
    with SparqlServer(private_store, port=free_port(), writable=True) as server:
        assert server.command[1] == "serve"
        update = http(
            server.update_url,
            method="POST",
            data=INSERT_NEW.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
        assert 200 <= update.status < 300
        reply = get_query(server.url, ASK_NEW, "application/sparql-results+json")
        assert json.loads(reply.body)["boolean"] is True
    store = GraphStore.open(private_store, create=False)
    try:
        assert bool(store.query(ASK_NEW))  # written to disk
    finally:
        store.close()


# ---------------------------------------------------------------------- CORS
PREFLIGHT = {
    "Origin": "http://example.org",
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type",
}


def test_cors_preflight(private_store: Path) -> None:
    with SparqlServer(private_store, port=free_port(), cors=True) as server:
        reply = http(server.url, method="OPTIONS", headers=PREFLIGHT)
        assert 200 <= reply.status < 300
        assert reply.headers.get("Access-Control-Allow-Origin") in ("*", "http://example.org")
        simple = get_query(server.url, "ASK {}", "application/sparql-results+json")
        assert simple.status == 200


def test_no_cors_by_default(server: SparqlServer) -> None:
    reply = http(server.url, method="OPTIONS", headers=PREFLIGHT)
    assert reply.headers.get("Access-Control-Allow-Origin") is None
    reply = http(
        f"{server.url}?query=ASK%7B%7D",
        headers={"Origin": "http://example.org", "Accept": "application/sparql-results+json"},
    )
    assert reply.status == 200 and reply.headers.get("Access-Control-Allow-Origin") is None


# ---------------------------------------------------------------------- timeout
def test_long_query_is_cancelled(private_store: Path) -> None:
    # ~2,700 triples cubed: hours of work without the limit.
    cross_join = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with SparqlServer(private_store, port=free_port(), timeout=1) as server:
        assert server.command[-2:] == ["--timeout-s", "1"]
        started = time.monotonic()
        reply = get_query(server.url, cross_join, "application/sparql-results+json")
        assert time.monotonic() - started < 15
        # Oxigraph streams results: the status may already be 200 when the query is
        # cancelled, and the body then ends with the error instead of the results.
        if reply.status == 200:
            assert b"cancelled" in reply.body
            with pytest.raises(json.JSONDecodeError):
                json.loads(reply.body)
        else:
            assert reply.status >= 400
        assert get_query(server.url, "ASK {}", "application/json").status == 200


# ---------------------------------------------------------------------- errors
def test_port_in_use(private_store: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(StoreError, match=rf"port {port} on 127.0.0.1 is in use.*--port"):
            SparqlServer(private_store, port=port).start()


def test_port_taken_by_the_other_server(server: SparqlServer, private_store: Path) -> None:
    with pytest.raises(StoreError, match=f"port {server.port} .*in use"):
        SparqlServer(private_store, port=server.port).start()


def test_server_error_is_reported(private_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the server itself fails to start, its own error line becomes the message."""
    monkeypatch.setattr(serve, "_check_port", lambda host, port: None)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(StoreError, match=rf"port {port} on 127.0.0.1 is in use"):
            SparqlServer(private_store, port=port).start()
    assert port_is_free(port)


def test_not_a_store(tmp_path: Path) -> None:
    other = tmp_path / "notes"
    other.mkdir()
    (other / "readme.txt").write_text("not a store")
    with pytest.raises(StoreError, match="not a kg store"):
        SparqlServer(other, port=free_port()).start()
    with pytest.raises(StoreError, match="no store here"):
        SparqlServer(tmp_path / "missing", port=free_port()).start()
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("writable", [False, True])
def test_store_in_use(private_store: Path, writable: bool) -> None:
    store = GraphStore.open(private_store, create=False)
    try:
        with pytest.raises(StoreError, match="in use"):
            SparqlServer(private_store, port=free_port(), writable=writable).start()
    finally:
        store.close()


def test_store_in_use_reported_by_the_server(
    private_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writable server locks the store itself; its lock error is reported as 'in use'."""
    store = GraphStore.open(private_store, create=False)

    class NoCheck:
        @staticmethod
        def open(path: Path, *, create: bool) -> NoCheck:
            return NoCheck()

        def close(self) -> None:
            pass

    monkeypatch.setattr(serve, "GraphStore", NoCheck)
    try:
        with pytest.raises(StoreError, match="store is in use"):
            SparqlServer(private_store, port=free_port(), writable=True).start()
    finally:
        store.close()


def test_read_only_server_holds_the_store(server: SparqlServer, sample: Sample) -> None:
    """While the read-only server runs, writers are refused (its data cannot change under it)."""
    with pytest.raises(StoreError, match="in use"):
        GraphStore.open(sample.folder, create=False)


def test_bad_arguments(sample: Sample) -> None:
    with pytest.raises(ValueError, match="--port"):
        SparqlServer(sample.folder, port=0)
    with pytest.raises(ValueError, match="--timeout"):
        SparqlServer(sample.folder, timeout=-1)
    assert SparqlServer(sample.folder, timeout=0).command[-1] == "--union-default-graph"
    assert SparqlServer(sample.folder, timeout=2.5).command[-1] == "3"


def test_public_bind_warns(sample: Sample) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    public = SparqlServer(sample.folder, bind="0.0.0.0", port=7000)
    assert public.warning is not None and "0.0.0.0" in public.warning
    assert public.url == "http://127.0.0.1:7000/query"
    assert "0.0.0.0:7000" in public.command
    v6 = SparqlServer(sample.folder, bind="::1", port=7000)
    assert v6.url == "http://[::1]:7000/query" and "[::1]:7000" in v6.command


def test_find_oxigraph() -> None:
    assert Path(find_oxigraph()).name.startswith("oxigraph")


def test_oxigraph_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sample: Sample) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setattr(sysconfig, "get_path", lambda name: str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StoreError, match="pip install oxigraph"):
        SparqlServer(sample.folder, port=free_port()).start()


# ---------------------------------------------------------------------- stopping
def test_stop_frees_port_and_store(private_store: Path) -> None:
    before = GraphStore.open(private_store, create=False)
    quads = len(before)
    before.close()
    server = SparqlServer(private_store, port=free_port())
    server.start()
    assert get_query(server.url, "ASK {}", "application/json").status == 200
    server.stop()
    server.stop()  # twice is fine
    assert not server.running
    assert port_is_free(server.port)
    with pytest.raises(urllib.error.URLError):
        urllib.request.build_opener(urllib.request.ProxyHandler({})).open(server.url, timeout=2)
    store = GraphStore.open(private_store, create=False)
    try:
        assert len(store) == quads
        assert next(iter(store.query(MEDIATION_COUNT)))["n"].value != "0"
    finally:
        store.close()
    with server:  # and it can start again
        assert get_query(server.url, "ASK {}", "application/json").status == 200


def test_wait_returns_after_the_server_is_stopped(private_store: Path) -> None:
    import threading

    server = SparqlServer(private_store, port=free_port()).start()
    threading.Timer(0.3, server.stop).start()
    started = time.monotonic()
    server.wait()
    assert time.monotonic() - started < 10 and not server.running


@pytest.mark.parametrize(
    "command",
    [
        ["list", "--format", "csv"],
        ["stats", "--json"],
        ["validate"],
        ["export", "--format", "nquads"],
    ],
)
def test_reading_commands_work_while_the_store_is_served(
    server: SparqlServer, sample: Sample, command: list[str]
) -> None:
    """The server holds the store's lock; commands that only read open a snapshot."""
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, [*command, "--store", str(sample.folder)])
    assert result.exit_code == 0, result.output
    assert "in use" not in result.output
