"""Check a kg graph against the SHACL shapes in ``ontology/shapes.ttl``.

The shapes state what a correct graph looks like (see DATA-MODEL, "Validation"): every
event has a kg event class, a participant role, one trigger and evidence; every mention has
a context, ``begin < end`` and an ``anchorOf`` that is the text at its offsets; labels are
language-tagged; confidences are decimals in [0, 1]; every claim has a value and evidence.

The kg ontology (``kg.ttl``) is mixed into the data before validation, so event classes and
roles are recognised through ``rdfs:subClassOf`` / ``rdfs:subPropertyOf``; no other
inference is run.  A store is validated as the union of all its graphs.  The data is copied
into a scratch Oxigraph store, so pyshacl runs the shapes' SPARQL constraints in Oxigraph
(rdflib would parse each query again for every node it checks).

>>> from rdflib import Graph
>>> report = validate_graph(Graph())
>>> report.conforms, report.violations
(True, 0)
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from kg.errors import KGError
from kg.resources import ontology_dir
from kg.store import PREFIXES, from_ox, to_ox

if TYPE_CHECKING:
    from kg.store import GraphStore

DEFAULT_LIMIT = 20
"""How many problems :attr:`ValidationReport.text` lists in detail."""


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation."""

    conforms: bool
    violations: int
    """Number of SHACL results of severity ``sh:Violation``."""
    text: str
    """Human-readable summary: counts per problem, then the first problems in detail."""


def default_shapes() -> Path:
    """The shipped shapes file (``shapes.ttl`` next to ``kg.ttl``)."""
    return ontology_dir() / "shapes.ttl"


def validate_store(
    store: GraphStore,
    shapes: Path | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
) -> ValidationReport:
    """Validate the union of all graphs of ``store`` (default graph and every named graph)."""
    data = ox.Store()
    data.bulk_extend(
        ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in store.inner
    )
    return _validate(data, shapes, limit)


def validate_graph(
    graph: Graph,
    shapes: Path | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
) -> ValidationReport:
    """Validate ``graph`` (for a Dataset: the triples its default graph shows).

    The graph is copied, never changed.
    """
    data = ox.Store()
    data.bulk_extend(
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph())  # type: ignore[arg-type]
        for s, p, o in graph.triples((None, None, None))
    )
    return _validate(data, shapes, limit)


def _parse_shapes(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise KGError(f"{path}: SHACL shapes file not found") from None
    except (SyntaxError, ValueError) as exc:
        raise KGError(f"{path}: cannot parse the SHACL shapes file ({_first_line(exc)})") from None
    # pyshacl checks each SPARQL query with regular expressions before every run, for every
    # focus node, and they are slow on many-line text: put each query on one line (safe when
    # it has no '#' comment, as a SPARQL string cannot hold a raw newline).
    for shape, query in list(graph.subject_objects(SH.select)):
        if isinstance(query, Literal) and "#" not in query:
            one_line = re.sub(r"\s*\n\s*", " ", str(query)).strip()
            graph.set((shape, SH.select, Literal(one_line, datatype=query.datatype)))
    return graph


def _ontology_quads(path: Path) -> list[ox.Quad]:
    try:
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except FileNotFoundError:
        raise KGError(f"{path}: ontology file not found") from None
    except (SyntaxError, ValueError) as exc:
        raise KGError(f"{path}: cannot parse the ontology file ({_first_line(exc)})") from None
    return [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _validate(data: ox.Store, shapes: Path | None, limit: int) -> ValidationReport:
    """Mix the ontology into ``data`` (a scratch store, changed here) and run pyshacl on it."""
    from pyshacl import validate

    shapes_graph = _parse_shapes(shapes or default_shapes())
    triples = len(data)
    data.bulk_extend(_ontology_quads(ontology_dir() / "kg.ttl"))
    _conforms, results, _text = validate(
        _data_graph(data),
        shacl_graph=shapes_graph,
        inference="none",
        inplace=True,
        allow_warnings=True,
    )
    assert isinstance(results, Graph)
    return _report(results, data, triples, limit)


def _data_graph(store: ox.Store) -> Any:
    """pyshacl's Oxigraph-backed data graph, so SPARQL constraints run in Oxigraph.

    pyshacl 0.40 tests the data graph's truth value (``datagraph or shapes_graph``) for every
    result it builds, and on Oxigraph ``len()`` counts every triple each time: quadratic on a
    graph with many problems.  A data graph here is never empty in that sense.  Falls back to
    the plain store (same results, slower) if pyshacl's internals move.
    """
    try:
        from pyshacl.graph_abstraction import OxigraphDataGraph
    except ImportError:  # pragma: no cover - another pyshacl version
        return store

    class _DataGraph(OxigraphDataGraph):
        def __bool__(self) -> bool:
            return True

    return _DataGraph(store)


@dataclass(frozen=True, order=True)
class _Problem:
    message: str
    focus: str
    path: str
    value: str

    def line(self) -> str:
        where = f"{self.focus} {self.path}".rstrip()
        value = f" [value: {self.value}]" if self.value else ""
        return f"{where}: {self.message}{value}"


def _report(results: Graph, data: ox.Store, triples: int, limit: int) -> ValidationReport:
    problems: list[_Problem] = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        if value is not None and value != focus:
            values = _show(value)
        else:
            values = ", ".join(_show(v) for v in _values(data, focus, path))
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        problems.append(
            _Problem(
                message=messages[0] if messages else "constraint not met",
                focus=_show(focus),
                path=_show(path),
                value=values,
            )
        )
    problems.sort()
    if not problems:
        text = f"Conforms: {triples} triples checked, no problems."
        return ValidationReport(conforms=True, violations=0, text=text)
    plural = "s" if len(problems) != 1 else ""
    lines = [f"Does not conform: {len(problems)} violation{plural} in {triples} triples."]
    counts = Counter(p.message for p in problems)
    if len(counts) > 1:
        lines.append("By problem:")
        lines.extend(f"  {n:>6}  {message}" for message, n in counts.most_common())
    # List the first problems of every kind in turn, so one frequent problem does not hide
    # the others.
    rank: Counter[str] = Counter()
    turns: list[tuple[int, _Problem]] = []
    for problem in problems:
        turns.append((rank[problem.message], problem))
        rank[problem.message] += 1
    shown = [problem for _turn, problem in sorted(turns)[: max(limit, 0)]]
    if shown:
        lines.append("First problems:" if len(shown) < len(problems) else "Problems:")
        lines.extend(f"  - {p.line()}" for p in shown)
    if len(shown) < len(problems):
        lines.append(f"  ... and {len(problems) - len(shown)} more")
    return ValidationReport(conforms=False, violations=len(problems), text="\n".join(lines))


def _values(data: ox.Store, focus: Node | None, path: Node | None, most: int = 3) -> list[Node]:
    """The values a result is about when SHACL gives none (counts, SPARQL constraints)."""
    if not isinstance(focus, URIRef | BNode) or not isinstance(path, URIRef):
        return []
    quads = data.quads_for_pattern(to_ox(focus), to_ox(path), None, ox.DefaultGraph())
    values = [from_ox(q.object) for q in islice(quads, most)]
    return [v for v in values if v is not None]


def _show(term: Node | None, width: int = 80) -> str:
    """A short, readable form of a term: prefixed names, shortened long literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return f"<{iri}>"
    if isinstance(term, Literal):
        text = str(term)
        if len(text) > width:
            text = text[: width - 1] + "…"
        shown = repr(text)
        if term.language:
            return f"{shown}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{shown}^^{_show(term.datatype)}"
        return shown
    return "(path expression)" if isinstance(term, BNode) else str(term)


__all__ = [
    "DEFAULT_LIMIT",
    "ValidationReport",
    "default_shapes",
    "validate_graph",
    "validate_store",
]
