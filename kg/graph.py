"""The Python API: :class:`KnowledgeGraph`.

>>> from kg import KnowledgeGraph
>>> kg = KnowledgeGraph(memory=True)
>>> report = kg.add_documents(["kg/data/sample"])                  # doctest: +SKIP
>>> kg.query("SELECT ?label WHERE { ?x kg:mediated ?y . ?x rdfs:label ?label }")  # doctest: +SKIP
[{'label': 'Qatar'}, ...]
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, OutputError, RenderError, StoreError
from kg.model import Document
from kg.nlp import DEFAULT_MODEL
from kg.pipeline import BATCH_SIZE, BuildReport, BuildSettings, build
from kg.query import NamedQuery, Rows, get_named, named_queries, run
from kg.remote import RemoteStore
from kg.store import GraphStore, paginate
from kg.vocab import DEFAULT_BASE

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset

    from kg.validate import ValidationReport

DEFAULT_STORE = Path("output/store")


def write_atomically(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file, so a failure leaves no partial file."""
    target = Path(path)
    try:
        if target.is_dir():
            raise IsADirectoryError(21, "is a folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"-o {target}: cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"-o {target}: cannot write here ({exc.strerror or exc})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold, even escaped; an article's text may have them."""


def _xml_value(value: Any) -> str | int | float:
    import json

    if not isinstance(value, str | int | float):
        value = json.dumps(value, ensure_ascii=False)
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def graph_file(graph: nx.MultiDiGraph, format: str) -> bytes:
    """A projection as GraphML or GEXF; list attributes (evidence) become JSON strings, and
    characters XML cannot hold (control characters from an article's text) become U+FFFD."""
    import io

    import networkx as nx

    flat = nx.MultiDiGraph()
    for node, attrs in graph.nodes(data=True):
        flat.add_node(_xml_value(node), **{k: _xml_value(v) for k, v in attrs.items()})
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        flat.add_edge(
            _xml_value(u),
            _xml_value(v),
            key=str(_xml_value(str(key))),
            **{k: _xml_value(x) for k, x in attrs.items()},
        )
    out = io.BytesIO()
    if format == "graphml":
        nx.write_graphml(flat, out)
    else:
        nx.write_gexf(flat, out)
    return out.getvalue()


def _as_date(value: Any, source: str) -> date | None:
    """A publication date given to :meth:`KnowledgeGraph.add_text`: a ``date``, a
    ``datetime`` (its day) or an ISO ``YYYY-MM-DD`` string; None for none."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise InputError(source, f"published={value!r}: expected a date, a datetime or YYYY-MM-DD")


class KnowledgeGraph:
    """A knowledge graph of news articles, backed by an Oxigraph store.

    ``KnowledgeGraph()`` opens (or creates) the store in ``output/store``;
    ``KnowledgeGraph("path")`` another folder; ``KnowledgeGraph(memory=True)`` keeps
    everything in memory.  ``gazetteer=["my-names.tsv"]`` adds your own alias tables (see
    :func:`kg.gazetteer.read_user_table`): their names are recognised and linked to their
    Wikidata ids, and win over kg's own; a bad table raises
    :class:`~kg.errors.InputError` before the store is opened.
    """

    def __init__(
        self,
        store: str | Path | None = DEFAULT_STORE,
        *,
        memory: bool = False,
        base_iri: str = DEFAULT_BASE,
        model: str = DEFAULT_MODEL,
        create: bool = True,
        endpoint: str | None = None,
        query_endpoint: str | None = None,
        gazetteer: Iterable[str | Path] = (),
        read_only: bool = False,
    ) -> None:
        from kg.gazetteer import Gazetteer

        tables = tuple(str(Path(p).resolve()) for p in gazetteer)
        Gazetteer.load(tables)  # a bad table fails before the store is touched
        self.store: GraphStore | RemoteStore
        if endpoint is not None:
            self.store = RemoteStore(endpoint, query_endpoint)
        elif memory or store is None:
            self.store = GraphStore.memory()
        elif read_only:  # a snapshot, readable while a build or `kg serve` holds the store
            self.store = GraphStore.read_only(store)
        else:
            self.store = GraphStore.open(store, create=create)
        self.settings = BuildSettings(model=model, base_iri=base_iri, gazetteer=tables)

    @property
    def local(self) -> GraphStore:
        """The embedded store; export, validation and removal need it."""
        if isinstance(self.store, RemoteStore):
            raise StoreError(
                f"--endpoint {self.store.update_url}: this needs the embedded store; "
                "query the endpoint with `kg query` or use the endpoint's own tools"
            )
        return self.store

    @classmethod
    def build(
        cls,
        inputs: Iterable[str | Path | Document] | str | Path | Document,
        store: str | Path | None = DEFAULT_STORE,
        **options: Any,
    ) -> KnowledgeGraph:
        """Open a store and add ``inputs`` (files, folders, globs, JSONL, Documents) to it."""
        graph = cls(store, **options)
        graph.add_documents(inputs)
        return graph

    def add_documents(
        self,
        inputs: Iterable[str | Path | Document] | str | Path | Document,
        *,
        progress: bool = False,
        workers: int = 1,
        batch_size: int = BATCH_SIZE,
        dask: str | None = None,
    ) -> BuildReport:
        """Add articles; those already present (same text) are skipped. Returns a report.

        ``workers`` processes parse and extract (each loads the model once); with ``dask``
        (a scheduler address, or ``"local:N"``) a Dask cluster does. The graph is the same
        whatever runs the extraction.  One path or document may be given on its own
        (``add_documents("news/")``); a string is never taken as a list of characters."""
        if isinstance(inputs, str | Path | Document):
            inputs = [inputs]
        settings = BuildSettings(
            model=self.settings.model,
            base_iri=self.settings.base_iri,
            progress=progress,
            workers=workers,
            batch_size=batch_size,
            dask=dask,
            gazetteer=self.settings.gazetteer,
        )
        return build(inputs, self.store, settings)

    def add_text(
        self, text: str, *, title: str = "", source: str = "<text>", **meta: Any
    ) -> BuildReport:
        """Add one article given as a string (metadata lines at its start are read too)."""
        from dataclasses import replace

        from kg.ingest import parse_text

        document = parse_text(text, source)
        if title:
            document = replace(document, title=title)
        if "published" in meta:
            meta["published"] = _as_date(meta["published"], source)
        if meta:
            document = replace(document, **meta)
        return self.add_documents([document])

    def documents(self) -> list[dict[str, Any]]:
        """The articles in the store, oldest first, with id, title, date, publisher, url,
        source file and number of quads."""
        return self.local.documents()

    def remove(self, ref: str, *more: str) -> list[dict[str, Any]]:
        """Remove the article ``ref`` (id or id prefix, source file, URL or external id), and
        those of ``more``, with their contribution to merged entities, in one transaction:
        a ref that matches nothing, or several articles, removes nothing at all. Returns
        what was removed."""
        found: dict[str, dict[str, Any]] = {}
        for one in (ref, *more):
            if not one.strip():  # `kg remove "$ID"` with an empty variable
                raise InputError(repr(one), "an empty reference names no article")
            matches = self.local.find_documents(one)
            if not matches:
                raise InputError(
                    one, "no article in the store has this id, source, or URL (kg list)"
                )
            ids = {d["id"] for d in matches}
            named = {d["source"] for d in matches} | {d["url"] for d in matches}
            if len(ids) > 1 and one not in named:
                raise InputError(one, f"matches {len(ids)} articles; give more of the id")
            found.update((d["graph"], d) for d in matches)
        self.store.replace_documents(list(found))
        return list(found.values())

    # ------------------------------------------------------------------ querying
    def query(
        self, sparql: str, /, *, limit: int | None = None, offset: int = 0, **bindings: Any
    ) -> Any:
        """Run SPARQL over all graphs. Keyword arguments bind variables safely
        (``kg.query("SELECT ?e WHERE { ?e rdfs:label ?name }", name=Literal("Egypt", lang="en"))``).
        SELECT gives a list of dict rows, ASK a bool, CONSTRUCT a list of triples.
        ``limit`` and ``offset`` take one page of a SELECT (see :func:`kg.store.paginate`)."""
        return run(self.store, paginate(sparql, limit, offset), bindings)

    def named_query(
        self,
        query_name: str,
        /,
        queries_dir: str | Path | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        **params: str,
    ) -> Rows:
        """Run a named query (see :meth:`named_queries`) with string parameters; ``limit``
        and ``offset`` take one page of its rows (``offset=100, limit=100``: rows 101-200)."""
        extra = [Path(queries_dir)] if queries_dir else None
        query = get_named(query_name, extra)
        sparql = paginate(query.sparql, limit, offset)
        result = run(self.store, sparql, query.bind(params), labels=query.labels)
        assert isinstance(result, Rows)
        return result

    @staticmethod
    def named_queries(queries_dir: str | Path | None = None) -> dict[str, NamedQuery]:
        return named_queries([Path(queries_dir)] if queries_dir else None)

    # ------------------------------------------------------------------ outputs
    def serialize(self, format: str = "trig") -> str:
        """The whole graph as text: trig, nquads, turtle, ntriples or jsonld."""
        return self.local.dump(format).decode("utf-8")

    def export(self, path: str | Path, format: str = "trig") -> Path:
        return write_atomically(path, self.local.dump(format))

    def dataset(self) -> Dataset:
        """The store as an rdflib Dataset (through oxrdflib)."""
        return self.local.dataset()

    def to_networkx(self, *, view: str = "entities") -> nx.MultiDiGraph:
        """The graph for drawing: entities as nodes and events collapsed into labelled edges
        ("mediated", "opened"), or with ``view="events"`` events as nodes with role edges."""
        from kg.projection import project

        return project(self.store, view=view)

    def render(
        self,
        path: str | Path = "output/graph.html",
        *,
        focus: str | None = None,
        hops: int = 2,
        max_nodes: int = 500,
        view: str = "entities",
        format: str = "html",
    ) -> Path:
        """Write the interactive, self-contained HTML view, or with ``format="graphml"`` or
        ``"gexf"`` the same projection for Gephi or Cytoscape (evidence as a JSON string)."""
        from kg.render import render_html, select_subgraph

        if str(path).endswith(("/", os.sep)) or Path(path).is_dir():
            raise OutputError(
                f"-o {path}: is a folder; give the file to write, e.g. {Path(path) / 'graph.html'}"
            )
        if not isinstance(hops, int) or isinstance(hops, bool) or hops < 0:
            raise RenderError(f"--hops {hops!r}: a whole number of 0 or more")
        graph = self.to_networkx(view=view)
        if graph.number_of_nodes() == 0:
            raise RenderError("the graph is empty: build some articles first")
        try:
            if format in {"graphml", "gexf"}:
                sub = select_subgraph(graph, focus, hops=hops, max_nodes=max_nodes)
                return write_atomically(path, graph_file(sub, format))
            if format != "html":
                raise RenderError(f"--format {format}: choose html, graphml or gexf")
            return render_html(graph, path, focus=focus, hops=hops, max_nodes=max_nodes)
        except ValueError as exc:
            raise RenderError(f"--focus {focus!r}: {exc}" if focus else str(exc)) from None
        except OSError as exc:
            raise OutputError(f"-o {path}: cannot write here ({exc.strerror or exc})") from None

    def validate(self) -> ValidationReport:
        """Check the graph against ``ontology/shapes.ttl``."""
        from kg.validate import validate_store

        return validate_store(self.local)

    def stats(self) -> dict[str, Any]:
        """Counts of documents, entities by type, events by type, and quads."""
        from kg.projection import stats

        return stats(self.store)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


__all__ = ["KnowledgeGraph", "write_atomically"]
