"""Write the graph to, and query, any SPARQL 1.1 endpoint (Fuseki, GraphDB, QLever, Virtuoso,
Oxigraph server) through the SPARQL 1.1 Protocol: ``INSERT DATA`` / ``DROP GRAPH`` updates and
``SELECT`` / ``ASK`` queries over HTTP.

Each article is sent as one update request, so an endpoint that runs an update as one
transaction (Oxigraph and Fuseki do) gets every article whole or not at all.

>>> RemoteStore("http://127.0.0.1:7878/update").query_url
'http://127.0.0.1:7878/query'
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import URIRef

from kg.errors import QueryError, StoreError
from kg.store import (
    Lookups,
    bind,
    insert_data,
    prefix_declarations,
    query_form,
    replace_update,
    to_ox,
)

if TYPE_CHECKING:
    from kg.mapping import Quad

USER_AGENT = "kg/0.1.0"


def python_value_json(term: Mapping[str, str] | None) -> Any:
    """A SPARQL JSON results term as a plain Python value (the same conversions as for the
    embedded store: IRIs as str, numbers, booleans and dates typed)."""
    from kg.query import python_value

    if term is None:
        return None
    if term["type"] == "uri":
        return term["value"]
    if term["type"] == "bnode":
        return "_:" + term["value"]
    if "xml:lang" in term:
        return term["value"]
    datatype = term.get("datatype")
    literal = (
        ox.Literal(term["value"], datatype=ox.NamedNode(datatype))
        if datatype
        else ox.Literal(term["value"])
    )
    return python_value(literal)


_OLD_LAYOUT = "ASK { GRAPH ?g { ?a prov:wasAssociatedWith ?x . ?x ?p ?o } }"
_MOVE_SHARED = """
INSERT { GRAPH ?g { ?d kg:publisherName ?name } }
WHERE { GRAPH ?g { ?d schema:publisher ?x . ?x rdfs:label ?name } } ;
DELETE { GRAPH ?g { ?x ?p ?o } } INSERT { ?x ?p ?o }
WHERE { GRAPH ?g { ?s schema:publisher|prov:wasAssociatedWith ?x . ?x ?p ?o } }
"""


class _MalformedQueryError(Exception):
    """The query endpoint answered 400 Bad Request: the query, not the endpoint, is wrong."""


class RemoteStore(Lookups):
    """A SPARQL 1.1 endpoint used the way kg uses its embedded store."""

    def __init__(
        self, update_url: str, query_url: str | None = None, *, timeout: float = 60
    ) -> None:
        for url in (update_url, query_url):
            if url is not None and urllib.parse.urlparse(url).scheme not in {"http", "https"}:
                raise StoreError(f"--endpoint {url}: not an http(s) URL")
        self.update_url = update_url
        if query_url is None:
            query_url = (
                update_url[: -len("/update")] + "/query"
                if update_url.endswith("/update")
                else update_url
            )
        self.query_url = query_url
        self.timeout = timeout
        self.path: Path | None = None

    # ------------------------------------------------------------------ HTTP
    def _post(self, url: str, body: bytes, content_type: str, accept: str) -> bytes:
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": content_type, "Accept": accept, "User-Agent": USER_AGENT},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data: bytes = response.read()
                return data
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            first = detail[0][:200] if detail else exc.reason
            if exc.code == 400 and url == self.query_url:
                raise _MalformedQueryError(first) from None
            raise StoreError(
                f"--endpoint {self.update_url}: the endpoint refused the request at {url} "
                f"(HTTP {exc.code}: {first})"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(
                f"--endpoint {self.update_url}: cannot reach the endpoint at {url} ({reason})"
            ) from None

    def update(self, sparql: str) -> None:
        self._post(
            self.update_url,
            (prefix_declarations() + sparql).encode("utf-8"),
            "application/sparql-update",
            "*/*",
        )

    def select(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Any:
        """Run a query; SELECT gives a list of dicts of Python values, ASK a bool, CONSTRUCT
        and DESCRIBE a list of (subject, predicate, object) triples.  A query the endpoint
        rejects as malformed (HTTP 400) is a :class:`~kg.errors.QueryError`."""
        if bindings:
            sparql = bind(sparql, {k: to_ox(v) for k, v in bindings.items()})
        # kg's prefixes go on the query's first line, so the endpoint's line numbers in an
        # error message are the user's
        prologue = prefix_declarations().replace("\n", " ")
        body = urllib.parse.urlencode({"query": prologue + sparql}).encode("utf-8")
        graph_form = query_form(sparql) in {"CONSTRUCT", "DESCRIBE"}
        try:
            raw = self._post(
                self.query_url,
                body,
                "application/x-www-form-urlencoded",
                "application/n-triples" if graph_form else "application/sparql-results+json",
            )
        except _MalformedQueryError as exc:
            raise QueryError(f"SPARQL syntax error (from the endpoint): {exc}") from None
        if graph_form:
            from kg.query import python_value

            try:
                triples = ox.parse(raw, format=ox.RdfFormat.N_TRIPLES)
                return [
                    (t.subject.value, t.predicate.value, python_value(t.object)) for t in triples
                ]
            except SyntaxError:
                raise QueryError(
                    f"--endpoint {self.query_url}: the answer is not N-Triples"
                ) from None
        try:
            result = json.loads(raw)
        except json.JSONDecodeError:
            raise QueryError(
                f"--endpoint {self.query_url}: the answer is not SPARQL JSON results"
            ) from None
        if "boolean" in result:
            return bool(result["boolean"])
        from kg.query import Rows

        columns = list(result["head"].get("vars", []))
        rows = [
            {c: python_value_json(b.get(c)) for c in columns} for b in result["results"]["bindings"]
        ]
        return Rows(rows, columns)

    # ------------------------------------------------------------------ what the pipeline uses
    def __len__(self) -> int:
        """Quads in the named graphs, plus the default graph's triples that are in none:
        right whether the endpoint's default graph is its own graph or the union of all
        (as on ``kg serve``, where counting both would count every named quad twice)."""
        rows = self.select(
            "SELECT (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION "
            "{ ?s ?p ?o FILTER NOT EXISTS { GRAPH ?named { ?s ?p ?o } } } }"
        )
        return int(rows[0]["n"])

    def has_graph(self, graph: URIRef) -> bool:
        return bool(self.select(f"ASK {{ GRAPH {to_ox(graph)} {{ ?s ?p ?o }} }}"))

    def add_quads(self, quads: Iterable[Quad]) -> None:
        data = insert_data(quads)
        if data:
            self.update(data)

    def label_of(self, iri: URIRef) -> str | None:
        rows = self.select(f"SELECT ?l WHERE {{ {to_ox(iri)} rdfs:label ?l }} LIMIT 1")
        return str(rows[0]["l"]) if rows else None

    def _rows(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
        result = self.select(sparql, bindings)
        return [{k: str(v) for k, v in row.items() if v is not None} for row in result]

    def replace_documents(
        self,
        old_graphs: Iterable[str],
        quads: Iterable[Quad] = (),
        relabel: Iterable[str] = (),
        *,
        unlabel: Iterable[str] = (),
    ) -> None:
        graphs = list(old_graphs)
        touched: set[str] = set()
        detached: set[str] = set()
        for g in graphs:
            rows = self.select(
                f"SELECT DISTINCT ?e WHERE {{ GRAPH {ox.NamedNode(g)} {{ ?m itsrdf:taIdentRef ?e }} }}"
            )
            touched |= {f"<{r['e']}>" for r in rows}
            rows = self.select(
                f"SELECT DISTINCT ?x WHERE {{ GRAPH {ox.NamedNode(g)} "
                "{ ?s schema:publisher|prov:wasAssociatedWith ?x } FILTER(isIRI(?x)) }"
            )
            detached |= {f"<{r['x']}>" for r in rows}
        update = replace_update(graphs, quads, touched, relabel, unlabel=unlabel, detached=detached)
        if update:
            self.update(update)

    def move_shared_descriptions(self, label_key: Callable[[str], Any]) -> int:
        """As :meth:`kg.store.GraphStore.move_shared_descriptions`, in one update; a publisher
        spelled two ways in the old graphs keeps both labels (``label_key`` is not used)."""
        if not self.select(_OLD_LAYOUT):
            return 0
        self.update(_MOVE_SHARED)
        return 1

    def ensure_ontology(self, path: Path, graph: str) -> None:
        import hashlib

        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        g = ox.NamedNode(graph)
        marker = ox.NamedNode("https://w3id.org/kg-news/ontology#documentId")
        if self.select(f'ASK {{ GRAPH {g} {{ {g} {marker} "{digest}" }} }}'):
            return
        triples = [
            f"{t.subject} {t.predicate} {t.object} ."
            for t in ox.parse(data, format=ox.RdfFormat.TURTLE)
        ]
        triples.append(f'{g} {marker} "{digest}" .')
        self.update(
            f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n" + "\n".join(triples) + "\n} }"
        )

    def flush(self) -> None:
        """Nothing to flush: every request is complete when it returns."""

    def close(self) -> None:
        """Nothing to close."""


__all__ = ["RemoteStore"]
