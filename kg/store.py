"""The triple store: embedded Oxigraph, on disk (default ``output/store``) or in memory.

Each article is written in one transaction, so a build that fails or is interrupted leaves
the store as it was before that article.  Queries see the union of all named graphs as
the default graph.  :meth:`GraphStore.dataset` gives the same store through rdflib's API
(``oxrdflib``).

>>> store = GraphStore.memory()
>>> len(store)
0
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from kg.errors import QueryError, StoreError

if TYPE_CHECKING:
    from rdflib import Dataset

    from kg.mapping import Quad, Triple

EXPORT_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
DATASET_FORMATS = {"trig", "nquads", "jsonld"}
PREFIXES = {
    "kg": "https://w3id.org/kg-news/ontology#",
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "itsrdf": "http://www.w3.org/2005/11/its/rdf#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}


def to_ox(term: URIRef | Literal | BNode) -> Any:
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def from_ox(term: Any) -> URIRef | Literal | BNode | None:
    """pyoxigraph term -> rdflib term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def _blank_comments_and_strings(sparql: str) -> str:
    """The query with comments, IRIs and string literals replaced by spaces (same length)."""
    out = list(sparql)
    i, n = 0, len(sparql)
    while i < n:
        ch = sparql[i]
        if ch == "#":
            while i < n and sparql[i] != "\n":
                out[i] = " "
                i += 1
        elif ch == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", sparql[i:]):
            end = i + re.match(r"<[^<>\"{}|^`\\\s]*>", sparql[i:]).end()  # type: ignore[union-attr]
            for j in range(i + 1, end - 1):
                out[j] = " "
            i = end
        elif ch in "\"'":
            quote = sparql[i : i + 3] if sparql[i : i + 3] in ('"""', "'''") else ch
            j = i + len(quote)
            while j < n and sparql[j : j + len(quote)] != quote:
                j += 2 if sparql[j] == "\\" else 1
            for k in range(i + len(quote), min(j, n)):
                out[k] = " "
            i = j + len(quote)
        else:
            i += 1
    return "".join(out)


def _closing_brace(masked: str, start: int) -> int:
    depth = 0
    for i in range(start, len(masked)):
        if masked[i] == "{":
            depth += 1
        elif masked[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(masked)


def bind_values(sparql: str, bindings: Mapping[str, Any]) -> str:
    """Add ``VALUES (?a ?b) { (x y) }`` at the start of the outermost WHERE group.

    >>> print(bind_values('SELECT ?s WHERE { ?s ?p ?name } # where {', {"name": ox.Literal('a"b')}))
    SELECT ?s WHERE { VALUES (?name) { ("a\\"b") } ?s ?p ?name } # where {
    """
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"cannot bind {name!r}: not a SPARQL variable name")
    masked = _blank_comments_and_strings(sparql)
    match = re.search(r"\bWHERE\s*\{", masked, re.I)
    at = match.end() if match else -1
    if match is None:
        form = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", masked, re.I)
        start = masked.find("{", form.end()) if form else -1
        if form is not None and start >= 0 and form[1].upper() == "CONSTRUCT":
            start = masked.find("{", _closing_brace(masked, start) + 1)  # skip the template
        at = start + 1 if start >= 0 else -1
    if at < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(str(v) for v in bindings.values())
    return f"{sparql[:at]} VALUES ({names}) {{ ({values}) }}{sparql[at:]}"


def _is_store_folder(path: Path) -> bool:
    return (path / "CURRENT").is_file() and any(path.glob("OPTIONS-*"))


class GraphStore:
    """An Oxigraph store holding kg's graphs."""

    def __init__(self, inner: ox.Store, path: Path | None) -> None:
        self._store = inner
        self.path = path

    @classmethod
    def memory(cls) -> GraphStore:
        return cls(ox.Store(), None)

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> GraphStore:
        """Open the store in ``path``; create it when ``create`` and the folder is new or empty.

        A folder that holds other files is refused rather than touched.
        """
        folder = Path(path)
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"--store {folder}: is a file, not a store folder")
        if folder.is_dir() and any(folder.iterdir()) and not _is_store_folder(folder):
            raise StoreError(
                f"--store {folder}: folder is not a kg store (it holds other files); "
                "choose an empty or new folder"
            )
        if not folder.exists() or not any(folder.iterdir()):
            if not create:
                raise StoreError(f"--store {folder}: no store here yet; run `kg build` first")
            folder.mkdir(parents=True, exist_ok=True)
        try:
            inner = ox.Store(str(folder))
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreError(
                    f"--store {folder}: store is in use by another kg process; wait for it to finish"
                ) from None
            raise StoreError(
                f"--store {folder}: cannot open store ({text.splitlines()[0]})"
            ) from None
        return cls(inner, folder)

    # ------------------------------------------------------------------ writing
    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Add quads in one transaction (all or nothing). ``None`` as graph = default graph."""
        batch = [
            ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g) if g is not None else ox.DefaultGraph())
            for s, p, o, g in quads
        ]
        try:
            self._store.extend(batch)
        except OSError as exc:
            raise StoreError(f"cannot write to the store: {exc}") from None

    def add_triples(self, triples: Iterable[Triple]) -> None:
        """Add triples to the default graph in one transaction."""
        self.add_quads((s, p, o, None) for s, p, o in triples)

    def ensure_ontology(self, path: Path, graph: str) -> None:
        """Keep the ontology (event classes, roles, labels) in its own named graph, so queries
        can use ``rdfs:subClassOf`` and labels; reloaded when the file changed."""
        import hashlib

        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        g = ox.NamedNode(graph)
        marker = ox.NamedNode("https://w3id.org/kg-news/ontology#documentId")
        current = [
            q.object.value
            for q in self._store.quads_for_pattern(g, marker, None, g)
            if isinstance(q.object, ox.Literal)
        ]
        if current == [digest]:
            return
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, g)
            for t in ox.parse(data, format=ox.RdfFormat.TURTLE)
        ]
        quads.append(ox.Quad(g, marker, ox.Literal(digest), g))
        self._store.clear_graph(g)
        self._store.extend(quads)

    def has_graph(self, graph: URIRef) -> bool:
        return bool(self._store.contains_named_graph(ox.NamedNode(str(graph))))

    def label_of(self, iri: URIRef) -> str | None:
        """The rdfs:label an entity has in the default graph, if any."""
        for quad in self._store.quads_for_pattern(
            ox.NamedNode(str(iri)),
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            None,
            ox.DefaultGraph(),
        ):
            obj = quad.object
            return obj.value if isinstance(obj, ox.Literal) else None
        return None

    def people(self) -> list[tuple[str, str, str]]:
        """(resolver key, label, Wikidata id) of every person already in the store."""
        from kg.gazetteer import normalise

        result = self._store.query(
            "SELECT ?e ?label WHERE { ?e a <https://schema.org/Person> ; "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
        )
        out = []
        for row in result:  # type: ignore[union-attr]
            iri, label = row["e"].value, row["label"].value
            qid = m[0] if (m := re.search(r"Q[0-9]+$", iri)) and "/entity/Q" in iri else ""
            out.append((qid or f"Person|{normalise(label)}", label, qid))
        return out

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self._store)

    def query(self, sparql: str, bindings: Mapping[str, URIRef | Literal] | None = None) -> Any:
        """Run SPARQL over the union of all graphs.

        ``bindings`` are joined in as a ``VALUES`` block at the start of the query's WHERE
        group, each value serialised (and escaped) by the RDF library, so they are visible to
        FILTERs and user text is never spliced in raw.
        """
        if bindings:
            try:
                values = {k: to_ox(v) for k, v in bindings.items()}
            except ValueError as exc:
                raise QueryError(f"cannot bind a parameter: {exc}") from None
            sparql = bind_values(sparql, values)
        try:
            return self._store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from None

    def dump(self, fmt: str) -> bytes:
        """Serialise the whole store; triple formats get the union of all graphs."""
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"--format {fmt}: unknown; choose one of {', '.join(EXPORT_FORMATS)}")
        out = io.BytesIO()
        rdf_format = EXPORT_FORMATS[fmt]
        if fmt in DATASET_FORMATS:
            self._store.dump(out, format=rdf_format, prefixes=PREFIXES if fmt == "trig" else None)
        else:
            triples = self._store.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
            )
            self._store_from(triples).dump(
                out, format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=PREFIXES
            )
        return out.getvalue()

    @staticmethod
    def _store_from(triples: Any) -> ox.Store:
        tmp = ox.Store()
        tmp.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        return tmp

    def dataset(self) -> Dataset:
        """The store as an rdflib ``Dataset`` (oxrdflib), default graph = union of graphs."""
        from oxrdflib import OxigraphStore
        from rdflib import Dataset

        return Dataset(store=OxigraphStore(store=self._store), default_union=True)

    @property
    def inner(self) -> ox.Store:
        """The underlying pyoxigraph store."""
        return self._store

    def close(self) -> None:
        self.flush()
        del self._store


__all__ = ["EXPORT_FORMATS", "PREFIXES", "GraphStore", "from_ox", "to_ox"]
