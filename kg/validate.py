"""Check a kg graph against the SHACL shapes in ``ontology/shapes.ttl``.

The shapes state what a correct graph looks like (see DATA-MODEL, "Validation"): every
event has a kg event class, a participant role, one trigger and evidence; every mention has
a context, ``begin < end`` and an ``anchorOf`` that is the text at its offsets; labels are
language-tagged; confidences are decimals in [0, 1]; every claim has a value and evidence.

The kg ontology (``kg.ttl``) is mixed into the data before validation, so event classes and
roles are recognised through ``rdfs:subClassOf`` / ``rdfs:subPropertyOf``; no other
inference is run.  A store is validated as the union of all its graphs.

>>> from rdflib import Graph
>>> report = validate_graph(Graph())
>>> report.conforms, report.violations
(True, 0)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.errors import KGError
from kg.resources import ontology_dir
from kg.store import PREFIXES

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
    data = Graph()
    data.parse(data=store.dump("ntriples"), format="nt")
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
    data = Graph()
    for triple in graph.triples((None, None, None)):
        data.add(triple)
    return _validate(data, shapes, limit)


def _parse(path: Path, what: str) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise KGError(f"{path}: {what} file not found") from None
    except (SyntaxError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise KGError(f"{path}: cannot parse the {what} file ({first})") from None
    return graph


def _validate(data: Graph, shapes: Path | None, limit: int) -> ValidationReport:
    """Mix the ontology into ``data`` (owned by the caller of this helper) and run pyshacl."""
    from pyshacl import validate

    shapes_graph = _parse(shapes or default_shapes(), "SHACL shapes")
    triples = len(data)
    for triple in _parse(ontology_dir() / "kg.ttl", "ontology"):
        data.add(triple)
    _conforms, results, _text = validate(
        data,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=False,
        inplace=True,
        allow_warnings=True,
    )
    assert isinstance(results, Graph)
    return _report(results, triples, limit)


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


def _report(results: Graph, triples: int, limit: int) -> ValidationReport:
    problems: list[_Problem] = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = results.value(result, SH.focusNode)
        value = results.value(result, SH.value)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        problems.append(
            _Problem(
                message=messages[0] if messages else "constraint not met",
                focus=_show(focus),
                path=_show(results.value(result, SH.resultPath)),
                value=_show(value) if value != focus else "",
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
    shown = problems[: max(limit, 0)]
    if shown:
        lines.append("First problems:" if len(shown) < len(problems) else "Problems:")
        lines.extend(f"  - {p.line()}" for p in shown)
    if len(shown) < len(problems):
        lines.append(f"  ... and {len(problems) - len(shown)} more")
    return ValidationReport(conforms=False, violations=len(problems), text="\n".join(lines))


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
        if term.datatype is not None:
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
