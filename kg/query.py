"""SPARQL over the store: ad-hoc queries with safely bound parameters, and named queries.

Named queries are ``.rq`` files (shipped in ``kg/queries``, or in a folder of the user's)
whose header declares their parameters::

    # title: Who mediated what, between whom
    # param: mediator iri optional   the mediator's IRI

Parameter values are serialised and escaped by the RDF library and put in place of their
variables, as constants the query planner can look up in an index (see
:func:`kg.store.bind`; where SPARQL allows no constant, a ``VALUES`` block is used instead).
A parameter left unbound stays a free variable, which is how optional parameters work.

>>> q = NamedQuery.parse("x", "# title: T\\n# param: n integer optional  a number\\nSELECT ?n {}")
>>> q.params[0].name, q.params[0].type, q.bind({"n": "3"})["n"]
('n', 'integer', rdflib.term.Literal('3', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')))
"""

from __future__ import annotations

import csv
import io
import json
import numbers
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import QueryError
from kg.remote import RemoteStore
from kg.resources import QUERIES_DIR
from kg.store import PREFIXES, GraphStore

PARAM_TYPES = {"iri", "string", "label", "integer", "decimal", "date", "boolean", "regex"}


def _child(path: str, sparql: str, bindings: dict[str, Any], labels: list[str], conn: Any) -> None:
    try:
        result = run(GraphStore.read_only(path), sparql, bindings, labels=labels)
        conn.send(("ok", (list(result), result.columns) if isinstance(result, Rows) else result))
    except Exception as exc:  # noqa: BLE001 - every error goes back to the parent as data
        conn.send(("error", (type(exc).__name__, str(exc))))
    finally:
        conn.close()


def run_with_timeout(
    path: Path,
    sparql: str,
    bindings: Mapping[str, Any] | None,
    timeout: float,
    labels: Collection[str] = (),
) -> Rows | bool | list[tuple[Any, Any, Any]]:
    """Run a query on the store folder ``path`` in a child process that is stopped after
    ``timeout`` seconds (the embedded engine has no timeout of its own); ``labels`` as for
    :func:`run`."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(str(path), sparql, dict(bindings or {}), list(labels), child)
    )
    proc.start()
    child.close()
    if not parent.poll(timeout):
        proc.kill()
        proc.join()
        raise QueryError(f"the query timed out after {timeout:g} s; narrow it or raise --timeout")
    status, payload = parent.recv()
    proc.join()
    if status == "error":
        name, message = payload
        if name == "StoreError":
            from kg.errors import StoreError

            raise StoreError(message)
        raise QueryError(message)
    if isinstance(payload, tuple) and len(payload) == 2 and isinstance(payload[1], list):
        return Rows(payload[0], payload[1])
    result: bool | list[tuple[Any, Any, Any]] = payload
    return result


class Rows(list[dict[str, Any]]):
    """Result rows of a SELECT: a list of dicts, with the column order in ``columns``."""

    def __init__(self, rows: list[dict[str, Any]], columns: list[str]) -> None:
        super().__init__(rows)
        self.columns = columns

    def to_csv(self, delimiter: str = ",") -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self:
            writer.writerow(["" if row.get(c) is None else row[c] for c in self.columns])
        return out.getvalue()

    def to_json(self) -> str:
        return json.dumps(list(self), ensure_ascii=False, indent=2, default=str)

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame (install the extra: ``pip install 'kg[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError:
            raise QueryError("to_dataframe needs pandas: pip install 'kg[pandas]'") from None
        return pd.DataFrame(list(self), columns=self.columns)


_INTEGERS = frozenset(str(t) for t in (XSD.integer, XSD.nonNegativeInteger, XSD.int, XSD.long))
_FLOATS = frozenset({str(XSD.double), str(XSD.float)})
_PLAIN = frozenset({str(XSD.string), "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"})
_DECIMAL, _BOOLEAN, _DATE = str(XSD.decimal), str(XSD.boolean), str(XSD.date)


def python_value(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value: IRIs as str, typed literals converted.

    >>> python_value(ox.Literal("3", datatype=ox.NamedNode(str(XSD.integer))))
    3
    >>> python_value(ox.Literal("2.50", datatype=ox.NamedNode(str(XSD.decimal))))
    2.5
    >>> python_value(ox.Literal("Gaza", language="en")), python_value(ox.NamedNode("https://a.b/c"))
    ('Gaza', 'https://a.b/c')
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        value = term.value
        dt = term.datatype.value if term.datatype else ""
        if dt in _PLAIN:  # strings: most values of most rows
            return value
        try:
            if dt in _INTEGERS:
                return int(value)
            if dt == _DECIMAL:
                number = Decimal(value)
                return int(number) if number == number.to_integral_value() else float(number)
            if dt in _FLOATS:
                return float(value)
            if dt == _BOOLEAN:
                return value in {"true", "1"}
            if dt == _DATE:
                return date.fromisoformat(value)
        except ValueError:
            return value
        return value
    return term.value if hasattr(term, "value") else str(term)


def run(
    store: GraphStore | RemoteStore,
    sparql: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    labels: Collection[str] = (),
) -> Rows | bool | list[tuple[Any, Any, Any]]:
    """Run a query; SELECT gives :class:`Rows`, ASK a bool, CONSTRUCT/DESCRIBE triples.

    ``labels`` names bindings that are names (``label`` parameters): the query matches them
    exactly, an index look-up, so on the embedded store a name no label or alias has exactly is
    first replaced by the one it matches ignoring case ("egypt" finds "Egypt").
    """
    bound = {k: to_term(v) for k, v in (bindings or {}).items()}
    if labels and isinstance(store, GraphStore):
        bound = _match_labels(store, bound, labels)
    if isinstance(store, RemoteStore):
        remote: Rows | bool = store.select(sparql, bound)
        return remote
    result = store.query(sparql, bound)
    if isinstance(result, ox.QueryBoolean | bool):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        indexed = list(enumerate(columns))  # a solution is read faster by position than by name
        rows = [{c: python_value(sol[i]) for i, c in indexed} for sol in result]
        return Rows(rows, columns)
    return [(t.subject.value, t.predicate.value, python_value(t.object)) for t in result]


_HAS_NAME = "ASK { VALUES ?p { rdfs:label skos:altLabel } ?x ?p ?name }"
_NAME_IGNORING_CASE = """SELECT ?n WHERE {
  VALUES ?p { rdfs:label skos:altLabel } ?x ?p ?n . FILTER(LCASE(STR(?n)) = ?lower)
} ORDER BY ?n LIMIT 1"""


def _match_labels(
    store: GraphStore, bound: dict[str, URIRef | Literal], labels: Collection[str]
) -> dict[str, URIRef | Literal]:
    out = dict(bound)
    for name in labels:
        value = out.get(name)
        if not isinstance(value, Literal) or bool(store.query(_HAS_NAME, {"name": value})):
            continue
        lower = Literal(str(value).lower())
        for solution in store.query(_NAME_IGNORING_CASE, {"lower": lower}):
            found = solution["n"]
            out[name] = Literal(found.value, lang=found.language)
    return out


def to_term(value: Any) -> URIRef | Literal:
    """A Python value as an RDF term for binding: rdflib terms pass through, str is a string
    literal (use ``URIRef`` for an IRI), numbers, dates and booleans get their XSD type."""
    if isinstance(value, BNode):
        raise QueryError(
            "cannot bind a blank node: its label means nothing outside the graph it came from; "
            "bind an IRI or a literal"
        )
    if isinstance(value, URIRef | Literal):
        return value
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int | float | Decimal | date):
        return Literal(value)
    if isinstance(value, numbers.Integral):  # numpy and pandas integers
        return Literal(int(value))
    if isinstance(value, numbers.Real):
        return Literal(float(value))
    if isinstance(value, str):
        return Literal(value)
    raise QueryError(f"cannot bind a value of type {type(value).__name__}")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    description: str
    default: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    """A query read from an ``.rq`` file with its declared parameters."""

    name: str
    title: str
    sparql: str
    params: tuple[Param, ...] = field(default=())
    path: Path | None = None

    @classmethod
    def parse(cls, name: str, text: str, path: Path | None = None) -> NamedQuery:
        title = ""
        params: list[Param] = []
        for line in text.splitlines():
            m = re.match(r"#\s*title:\s*(.+)", line)
            if m:
                title = m[1].strip()
            m = re.match(
                r"#\s*param:\s*(\w+)\s+(\w+)\s+(required|optional)(?:=(\S+))?\s*(.*)", line
            )
            if m:
                if m[2] not in PARAM_TYPES:
                    raise QueryError(f"{path or name}: parameter {m[1]} has unknown type {m[2]}")
                params.append(Param(m[1], m[2], m[3] == "required", m[5].strip(), m[4]))
        return cls(name, title or name, text, tuple(params), path)

    @property
    def labels(self) -> list[str]:
        """The names of the ``label`` parameters (see :func:`run`)."""
        return [p.name for p in self.params if p.type == "label"]

    def bind(self, values: Mapping[str, str]) -> dict[str, URIRef | Literal]:
        """Check and type the parameter values (strings from the command line)."""
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            raise QueryError(
                f"query {self.name}: unknown parameter {unknown[0]!r}; "
                f"it takes {', '.join(sorted(known)) or 'no parameters'}"
            )
        out: dict[str, URIRef | Literal] = {}
        for p in self.params:
            raw = values.get(p.name, p.default)
            if raw is None:
                if p.required:
                    raise QueryError(
                        f"query {self.name}: missing parameter --param {p.name}=... ({p.description})"
                    )
                continue
            out[p.name] = _typed(p, raw, self.name)
        return out


def _typed(p: Param, raw: str, query: str) -> URIRef | Literal:
    try:
        if p.type == "iri":
            prefix, _, local = raw.partition(":")
            if prefix in PREFIXES and not local.startswith("//"):
                raw = PREFIXES[prefix] + local  # a prefixed name: kg:Opening, schema:Person
            if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", raw):
                raise ValueError("not an absolute IRI")
            return URIRef(raw)
        if p.type == "integer":
            return Literal(int(raw))
        if p.type == "decimal":
            return Literal(Decimal(raw))
        if p.type == "date":
            return Literal(date.fromisoformat(raw))
        if p.type == "boolean":
            if raw.lower() not in {"true", "false"}:
                raise ValueError("expected true or false")
            return Literal(raw.lower() == "true")
        if p.type == "label":
            return Literal(raw, lang="en")
        if p.type == "regex" and not _valid_regex(raw):
            raise ValueError(
                "the query engine cannot compile it (no look-around or back-references)"
            )
        return Literal(raw)
    except (ValueError, ArithmeticError, re.error) as exc:
        raise QueryError(
            f"query {query}: --param {p.name}={raw!r} is not a valid {p.type} ({exc})"
        ) from None


def _valid_regex(pattern: str) -> bool:
    """Whether the store's engine (Oxigraph, Rust's regex syntax) compiles ``pattern``: it,
    not Python's ``re``, runs the query, and REGEX with a pattern it cannot compile is an
    error that leaves the filter false for every row, so the query would return nothing.

    >>> _valid_regex(r"\\p{L}ounded"), _valid_regex("wound(?=ed)")
    (True, False)
    """
    probe = ox.Store()
    literal = ox.Literal(pattern)
    result = probe.query(f'SELECT ?ok WHERE {{ BIND(REGEX("", {literal}) AS ?ok) }}')
    assert isinstance(result, ox.QuerySolutions)
    return any(row["ok"] is not None for row in result)


def named_queries(extra_dirs: list[Path] | None = None) -> dict[str, NamedQuery]:
    """All named queries: kg's own, then those in ``extra_dirs`` (which may override)."""
    found: dict[str, NamedQuery] = {}
    for folder in [QUERIES_DIR, *(extra_dirs or [])]:
        if not folder.is_dir():
            raise QueryError(f"--queries {folder}: not a folder")
        for path in sorted(folder.glob("*.rq")):
            found[path.stem] = NamedQuery.parse(path.stem, path.read_text(encoding="utf-8"), path)
    return found


def get_named(name: str, extra_dirs: list[Path] | None = None) -> NamedQuery:
    queries = named_queries(extra_dirs)
    if name not in queries:
        raise QueryError(
            f"--named {name}: no such query; available: {', '.join(sorted(queries))} (kg query --list)"
        )
    return queries[name]


__all__ = [
    "NamedQuery",
    "Param",
    "Rows",
    "get_named",
    "named_queries",
    "python_value",
    "run",
    "run_with_timeout",
    "to_term",
]
