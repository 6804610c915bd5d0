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
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

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


_NAMED_NODES: dict[str, Any] = {}
"""IRIs already converted (predicates, classes, the entities of a build recur in every article);
cleared when it reaches :data:`_NAMED_NODES_MAX` entries."""
_NAMED_NODES_MAX = 50_000


def _named_node(iri: str) -> Any:
    node = _NAMED_NODES.get(iri)
    if node is None:
        if len(_NAMED_NODES) >= _NAMED_NODES_MAX:
            _NAMED_NODES.clear()
        node = _NAMED_NODES[iri] = ox.NamedNode(iri)
    return node


def to_ox(term: URIRef | Literal | BNode) -> Any:
    """rdflib term -> pyoxigraph term.

    >>> to_ox(URIRef("https://example.org/a")), to_ox(Literal("2023-11-01", datatype=XSD.date))
    (<NamedNode value=https://example.org/a>, <Literal value=2023-11-01 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>)
    """
    if isinstance(term, URIRef):
        return _named_node(str(term))  # a plain str key: URIRef.__eq__ is Python code
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=_named_node(str(term.datatype)))
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


_IRI_REF = re.compile(r"<[^<>\"{}|^`\\\s]*>")
# An IRI reference and a comparison written without spaces look alike: in
# ``FILTER(?v<?max&&?v>1)`` the text ``<?max&&?v>`` is a valid IRIREF token.  SPARQL's grammar
# tells them apart by position; here, an "IRI" that starts like an expression (a variable, a
# number, ``=``, ``(``, ``!``, ``-``) or holds ``&&`` / ``||`` is taken for the operator.
_LESS_THAN = re.compile(r"<(?:[?$=(!\-0-9]|.*(?:&&|\|\|))")


_QUERY_FORM = re.compile(r"(?<![?$\w])(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
"""The query form's keyword (not a variable named ``?select``); search a masked query."""


def query_form(sparql: str) -> str:
    r"""SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these keywords outside comments,
    strings and IRIs ("" when there is none).

    >>> query_form("# SELECT in a comment\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    found = _QUERY_FORM.search(_blank_comments_and_strings(sparql))
    return found[1].upper() if found else ""


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
        elif ch == "<" and (iri := _IRI_REF.match(sparql, i)) and not _LESS_THAN.match(iri[0]):
            end = iri.end()
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


def replace_update(
    old_graphs: list[str],
    quads: Iterable[Quad],
    touched: set[str],
    relabel: Iterable[str] = (),
    *,
    unlabel: Iterable[str] = (),
    detached: Iterable[str] = (),
) -> str:
    """One SPARQL update that drops ``old_graphs``, removes the ``rdfs:label`` of the entities
    in ``relabel`` and of the nodes in ``unlabel`` (``quads`` bring their new one), inserts
    ``quads``, refreshes the merged entities in ``touched`` and ``relabel``, and removes the
    default-graph description of each node in ``detached`` (publishers, kg's agent) that no
    article graph points to any more (IRIs in ``<...>`` form); empty when there is nothing
    to do."""
    ops = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in old_graphs]
    relabelled = sorted(set(relabel))
    dropped_labels = sorted(set(relabelled) | set(unlabel))
    if dropped_labels:
        ops.append(_DROP_LABELS.replace("$ENTITIES", " ".join(dropped_labels)))
    if relabelled:
        touched = touched | set(relabelled)
    data = insert_data(quads)
    if data:
        ops.append(data)
    if touched:
        values = " ".join(sorted(touched))
        ops.append(_REFRESH_ALIASES.replace("$ENTITIES", values))
        ops.append(_DROP_ORPHANS.replace("$ENTITIES", values))
    nodes = sorted(set(detached))
    if nodes:
        ops.append(_DROP_UNREFERENCED.replace("$NODES", " ".join(nodes)))
    return " ;\n".join(ops)


def _quad_text(quad: Any) -> str:
    """A pyoxigraph quad as SPARQL data (``GRAPH <g> { s p o . }`` for a named graph)."""
    triple = f"{quad.subject} {quad.predicate} {quad.object} ."
    if isinstance(quad.graph_name, ox.DefaultGraph):
        return triple
    return f"GRAPH {quad.graph_name} {{ {triple} }}"


def prefix_declarations() -> str:
    """``PREFIX`` lines for kg's standard prefixes, for engines that do not predefine them."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def insert_data(quads: Iterable[Quad]) -> str:
    """A SPARQL ``INSERT DATA`` for ``quads``, every term serialised (and escaped) by pyoxigraph.

    >>> from rdflib import URIRef, Literal
    >>> print(insert_data([(URIRef("http://a"), URIRef("http://b"), Literal('say "hi"'), None)]))
    INSERT DATA { <http://a> <http://b> "say \\"hi\\"" .
    }
    """
    by_graph: dict[str, list[str]] = {}
    for s, p, o, g in quads:
        key = "" if g is None else str(to_ox(g))
        by_graph.setdefault(key, []).append(f"{to_ox(s)} {to_ox(p)} {to_ox(o)} .")
    if not by_graph:
        return ""
    parts = ["\n".join(by_graph.pop("", []))]
    parts += [f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items()]
    return "INSERT DATA { " + "\n".join(p for p in parts if p) + "\n}"


def _outer_group(masked: str) -> tuple[str, int]:
    """The query's form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``; "" if none) and where
    the ``{`` of its outer WHERE group is in ``masked`` (-1: none).

    The WHERE keyword is optional, so the group is the first ``{`` after the form outside
    parentheses (a projection's ``EXISTS { }`` is inside them), after a CONSTRUCT's template.

    >>> _outer_group("SELECT ?s { { SELECT ?s WHERE { ?s ?p ?o } } }")
    ('SELECT', 10)
    >>> _outer_group("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    ('CONSTRUCT', 29)
    """
    form = _QUERY_FORM.search(masked)
    if form is None:
        return "", -1
    kind, depth = form[1].upper(), 0
    for i in range(form.end(), len(masked)):
        if masked[i] == "(":
            depth += 1
        elif masked[i] == ")":
            depth -= 1
        elif masked[i] == "{" and depth <= 0:
            if kind == "CONSTRUCT" and not re.search(
                r"(?<![?$\w])WHERE\s*$", masked[form.end() : i], re.I
            ):
                return kind, masked.find("{", _closing_brace(masked, i) + 1)  # skip the template
            return kind, i
    return kind, -1


def bind_values(sparql: str, bindings: Mapping[str, Any]) -> str:
    """Add ``VALUES (?a ?b) { (x y) }`` at the start of the outermost WHERE group.

    >>> print(bind_values('SELECT ?s WHERE { ?s ?p ?name } # where {', {"name": ox.Literal('a"b')}))
    SELECT ?s WHERE { VALUES (?name) { ("a\\"b") } ?s ?p ?name } # where {
    """
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"cannot bind {name!r}: not a SPARQL variable name")
    start = _outer_group(_blank_comments_and_strings(sparql))[1]
    if start < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    at = start + 1
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(str(v) for v in bindings.values())
    return f"{sparql[:at]} VALUES ({names}) {{ ({values}) }}{sparql[at:]}"


def bind(sparql: str, bindings: Mapping[str, Any]) -> str:
    """Bind parameters: each term put in place of its variable where SPARQL allows a constant,
    else (``SELECT *``, an ``AS ?x`` or ``VALUES ?x`` target) joined in by :func:`bind_values`.

    Like Jena's ``ParameterizedSparqlString``: the terms are serialised and escaped by the RDF
    library (never user text spliced in), and only whole variable tokens outside strings, IRIs
    and comments are replaced.  Constants matter for speed: Oxigraph plans a constant pattern as
    an index look-up, while a ``VALUES`` row is joined after the pattern has been scanned.  A
    bare variable in the outer projection becomes ``(term AS ?var)``, so the column stays.

    >>> print(bind('SELECT ?x ?name WHERE { ?x ?p ?name } # ?name', {"name": ox.Literal('a"b')}))
    SELECT ?x ("a\\"b" AS ?name) WHERE { ?x ?p "a\\"b" } # ?name
    >>> print(bind('SELECT * WHERE { ?x ?p ?name }', {"name": ox.Literal("a")}))
    SELECT * WHERE { VALUES (?name) { ("a") } ?x ?p ?name }
    """
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"cannot bind {name!r}: not a SPARQL variable name")
    masked = _blank_comments_and_strings(sparql)
    projections = _projection_spans(masked)
    form = _QUERY_FORM.search(masked)
    outer = 0 if form is not None and form[1].upper() == "SELECT" else -1
    if any(
        masked[a:b].strip() == "*" or masked[a:b].strip().endswith(" *") for a, b in projections
    ):
        return bind_values(sparql, bindings) if bindings else sparql
    group_bys = [
        (m.end(), g.start() if (g := _CLAUSE_END.search(masked, m.end())) else len(masked))
        for m in re.finditer(r"(?<![?$\w])(GROUP|ORDER)\s+BY\b", masked, re.I)
    ]
    edits: list[tuple[int, int, str]] = []
    late: dict[str, Any] = {}
    for name, term in bindings.items():
        found = list(re.finditer(rf"(?<![\w?$])[?$]{name}(?![\w])", masked))
        if not found:  # a misspelt parameter would otherwise change nothing, silently
            raise QueryError(f"cannot bind ?{name}: the query has no variable ?{name}")
        targets = [
            m
            for m in found
            if re.search(
                r"((?<![?$\w])AS|(?<![?$\w])VALUES\s*\(?[^{]*)\s*$",
                masked[max(0, m.start() - 200) : m.start()],
                re.I,
            )
        ]
        assigned = [
            m for m in targets if re.search(r"(?<![?$\w])AS\s*$", masked[: m.start()], re.I)
        ]
        for m in assigned:
            # The VALUES block goes at the top of the outer WHERE group, where SPARQL does not
            # let a BIND of that group, or an expression of the outer SELECT, assign ?name again.
            where = masked.find("{", projections[outer][1]) if outer == 0 and projections else -1
            in_outer_select = outer == 0 and projections[0][0] <= m.start() < projections[0][1]
            in_outer_group = where >= 0 and _brace_depth(masked, where, m.start()) == 1
            if in_outer_select or in_outer_group:
                raise QueryError(
                    f"cannot bind ?{name}: the query assigns it itself (AS ?{name}); "
                    "rename the parameter or the assigned variable"
                )
        if targets:
            # still joined in at the top (which keeps the meaning), but a ``VALUES ?x {...}``
            # list is narrowed to the bound term so the planner starts from it
            late[name] = term
            edits += _narrowed_values(sparql, masked, name, term, targets, projections, outer)
            continue
        for m in found:
            at = m.start()
            inside = [i for i, (a, b) in enumerate(projections) if a <= at < b]
            bound = re.search(r"(?<![?$\w])BOUND\s*\(\s*$", masked[max(0, at - 40) : at], re.I)
            close = re.match(r"\s*\)", masked[m.end() :])
            if bound and close:
                # BOUND(?name) of a bound parameter is true (a constant is no variable)
                edits.append((at - len(bound[0]), m.end() + close.end(), "true"))
                continue
            if inside and _depth(masked, projections[inside[0]][0], at) == 0:
                # the outer projection keeps the column; a sub-SELECT's needs no variable
                # that no longer occurs in its pattern, unless it would project nothing
                a, b = projections[inside[0]]
                rest = re.sub(rf"[?$](?:{'|'.join(bindings)})(?![\w])", "", masked[a:b])
                keep = inside[0] == outer or not rest.strip()
                text = f"({term} AS ?{name})" if keep else ""
            elif any(a <= at < b and _depth(masked, a, at) == 0 for a, b in group_bys):
                text = f"({term})"
            else:
                text = str(term)
            edits.append((m.start(), m.end(), text))
    for start, end, text in sorted(edits, reverse=True):
        sparql = sparql[:start] + text + sparql[end:]
    return bind_values(sparql, late) if late else sparql


def paginate(sparql: str, limit: int | None, offset: int = 0) -> str:
    """The SELECT query with ``LIMIT limit OFFSET offset`` added to its outer query: one page.

    The clauses go after the outer WHERE group and its solution modifiers (GROUP BY, HAVING,
    ORDER BY), before a trailing ``VALUES`` block; a query's own outer LIMIT or OFFSET is an
    error (say which page in one place).  Pages tile the rows when the query's ORDER BY sets
    an order for every row (the shipped named queries end theirs on the rows' IRIs).

    >>> print(paginate("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s # LIMIT 5", 10, 20))
    SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 10 OFFSET 20 # LIMIT 5
    >>> print(paginate("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 3 } }", 2))
    SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 3 } } LIMIT 2
    """
    offset = 0 if offset is None else offset
    for name, value in (("limit", limit), ("offset", offset)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise QueryError(f"{name}={value!r}: a page's {name} is a whole number")
    if (limit is not None and limit < 0) or offset < 0:
        raise QueryError("--limit and --offset must be 0 or more")
    if limit is None and not offset:
        return sparql
    masked = _blank_comments_and_strings(sparql)
    kind, start = _outer_group(masked)
    if kind != "SELECT":
        raise QueryError("a page (--limit, --offset) can only be taken of a SELECT query")
    if start < 0:
        raise QueryError("cannot take a page: the query has no WHERE clause")
    close = _closing_brace(masked, start)
    tail = masked[close + 1 :]
    if re.search(r"(?<![?$\w])(LIMIT|OFFSET)\b", tail, re.I):
        raise QueryError("the query has its own LIMIT or OFFSET: drop it or drop --limit/--offset")
    values = re.search(r"(?<![?$\w])VALUES\b", tail, re.I)
    # before a trailing VALUES block, else after the last token (a last-line comment stays last)
    body = tail[: values.start()] if values else tail
    end = close + 1 + len(body.rstrip())
    page = (f" LIMIT {limit}" if limit is not None else "") + (
        f" OFFSET {offset}" if offset else ""
    )
    return f"{sparql[:end]}{page}{sparql[end:]}"


def _narrowed_values(
    sparql: str,
    masked: str,
    name: str,
    term: Any,
    targets: list[re.Match[str]],
    projections: list[tuple[int, int]],
    outer: int,
) -> list[tuple[int, int, str]]:
    """Edits that cut each one-variable ``VALUES ?name { ... }`` list down to ``term`` (or to
    nothing when the list lacks it).  A list inside a sub-SELECT that does not project the
    variable, or one holding literals or unknown prefixes, is left alone."""
    edits = []
    for m in targets:
        header = re.match(rf"[?$]{name}\s*\{{", masked[m.start() :])
        if not re.search(
            r"(?<![?$\w])VALUES\s*$", masked[max(0, m.start() - 20) : m.start()], re.I
        ):
            continue
        if header is None:
            continue
        start = m.start() + header.end()
        end = _closing_brace(masked, start - 1)
        for i, (a, b) in enumerate(projections):
            group_end = _closing_brace(masked, b) if masked.find("{", b) >= 0 else len(masked)
            inside_group = b <= m.start() < group_end
            projected = re.search(rf"(?<![\w?$])[?$]{name}(?![\w])", masked[a:b])
            if i != outer and inside_group and not projected:
                break
        else:
            listed = []
            for token in sparql[start:end].split():
                prefix, colon, local = token.partition(":")
                if token.startswith("<") and token.endswith(">"):
                    listed.append(token)
                elif colon and prefix in PREFIXES and re.fullmatch(r"[\w.-]*", local):
                    listed.append(f"<{PREFIXES[prefix]}{local}>")
                else:
                    break
            else:
                edits.append((start, end, f" {term} " if str(term) in listed else " "))
    return edits


_CLAUSE_END = re.compile(r"(?<![?$\w])(HAVING|ORDER|LIMIT|OFFSET|VALUES)\b|\}", re.I)


def _projection_spans(masked: str) -> list[tuple[int, int]]:
    """Where each ``SELECT`` clause's projection lies: from after SELECT (and its modifier) to
    its WHERE or ``{``."""
    spans = []
    for m in re.finditer(r"(?<![?$\w])SELECT\b(\s+(DISTINCT|REDUCED)\b)?", masked, re.I):
        end = re.compile(r"(?<![?$\w])WHERE\b|\{", re.I).search(masked, m.end())
        spans.append((m.end(), end.start() if end else len(masked)))
    return spans


def _depth(masked: str, start: int, at: int) -> int:
    return masked.count("(", start, at) - masked.count(")", start, at)


def _brace_depth(masked: str, start: int, at: int) -> int:
    return masked.count("{", start, at) - masked.count("}", start, at)


_TA_IDENT_REF = ox.NamedNode("http://www.w3.org/2005/11/its/rdf#taIdentRef")
_XSD_ANY_URI = ox.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI")
_DOCUMENT_FIELDS = (
    "id",
    "graph",
    "doc",
    "title",
    "published",
    "publisher",
    "url",
    "identifier",
    "source",
)
_DOCUMENTS_QUERY = """
SELECT ?id ?graph ?doc ?title ?published ?publisher ?url ?identifier ?source WHERE {
  GRAPH ?graph { ?doc a schema:NewsArticle ; kg:documentId ?id ; kg:sourceFile ?source .
    OPTIONAL { ?doc schema:headline ?title }
    OPTIONAL { ?doc schema:datePublished ?published }
    OPTIONAL { ?doc kg:publisherName ?publisher }
    OPTIONAL { ?doc schema:url ?url }
    OPTIONAL { ?doc schema:identifier ?identifier } }
} ORDER BY ?published ?source ?id
"""
_REFRESH_ALIASES = """
DELETE { ?e skos:altLabel ?old } WHERE { VALUES ?e { $ENTITIES } ?e skos:altLabel ?old } ;
INSERT { ?e skos:altLabel ?alias } WHERE {
  VALUES ?e { $ENTITIES }
  ?e rdfs:label ?label .
  GRAPH ?g { ?m itsrdf:taIdentRef ?e ; nif:anchorOf ?text . FILTER NOT EXISTS { ?m kg:nominal true } }
  BIND(STRLANG(REPLACE(STR(?text), "[ \\t\\n\\r]+", " "), "en") AS ?alias)
  FILTER(STR(?alias) != STR(?label))
}
"""
_DROP_LABELS = """
DELETE { ?e rdfs:label ?label } WHERE { VALUES ?e { $ENTITIES } ?e rdfs:label ?label }
"""
_DROP_ORPHANS = """
DELETE { ?e ?p ?o } WHERE {
  VALUES ?e { $ENTITIES }
  ?e ?p ?o .
  FILTER NOT EXISTS { GRAPH ?g { ?m itsrdf:taIdentRef ?e } }
}
"""
_DROP_UNREFERENCED = """
DELETE { ?x ?p ?o } WHERE {
  VALUES ?x { $NODES }
  ?x ?p ?o .
  FILTER NOT EXISTS { GRAPH ?g { ?s ?link ?x } }
}
"""
_PUBLISHER_NAME = ox.NamedNode("https://w3id.org/kg-news/ontology#publisherName")
_SHARED_LINKS = (
    ox.NamedNode("https://schema.org/publisher"),
    ox.NamedNode("http://www.w3.org/ns/prov#wasAssociatedWith"),
)
"""The links from an article's graph to a node described once in the default graph (its
publisher, kg's agent): when a graph is dropped, the nodes it linked to lose their description
if no other graph links to them."""


class TripleStore(Protocol):
    """What a build needs from a store: the embedded :class:`GraphStore` or a remote endpoint
    (:class:`kg.remote.RemoteStore`)."""

    def __len__(self) -> int: ...
    def has_graph(self, graph: URIRef) -> bool: ...
    def add_quads(self, quads: Iterable[Quad]) -> None: ...
    def label_of(self, iri: URIRef) -> str | None: ...
    def people(self) -> list[tuple[str, str, str]]: ...
    def versions_of(
        self, url: str, identifier: str, doc_id: str, publisher: str = ""
    ) -> list[str]: ...
    def replace_documents(
        self,
        old_graphs: Iterable[str],
        quads: Iterable[Quad] = (),
        relabel: Iterable[str] = (),
        *,
        unlabel: Iterable[str] = (),
    ) -> None: ...
    def ensure_ontology(self, path: Path, graph: str) -> None: ...
    def move_shared_descriptions(self, label_key: Callable[[str], Any]) -> int: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...


def _check_folder(folder: Path, *, create: bool) -> Path:
    """Refuse a file or a folder holding other files; create a new store folder if asked."""
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
    return folder


def _is_store_folder(path: Path) -> bool:
    return (path / "CURRENT").is_file() and any(path.glob("OPTIONS-*"))


class Lookups:
    """The look-ups a build makes, written once for the embedded store and for a remote
    endpoint over their ``_rows(sparql, bindings)``: rows of plain string values."""

    def _rows(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
        raise NotImplementedError

    def people(self) -> list[tuple[str, str, str]]:
        """(resolver key, label, Wikidata id) of every person already in the store."""
        from kg.gazetteer import normalise

        out = []
        for row in self._rows("SELECT ?e ?label WHERE { ?e a schema:Person ; rdfs:label ?label }"):
            iri, label = row["e"], row["label"]
            qid = m[1] if (m := re.search(r"/entity/(Q[0-9]+)$", iri)) else ""
            out.append((qid or f"Person|{normalise(label)}", label, qid))
        return out

    def versions_of(self, url: str, identifier: str, doc_id: str, publisher: str = "") -> list[str]:
        """Graphs of other versions of an article: other text, and the same URL, or the same
        external id from the same publisher (IRI; "" for none): feeds number their records
        from 1 alike, so an id alone does not tell one article from another."""
        found: set[str] = set()
        for prop, value in (("url", url), ("identifier", identifier)):
            if not value:
                continue
            term = Literal(value, datatype=XSD.anyURI) if prop == "url" else Literal(value)
            rows = self._rows(
                f"SELECT ?g ?id ?pub WHERE {{ GRAPH ?g {{ ?d schema:{prop} ?v ; kg:documentId ?id "
                "OPTIONAL { ?d schema:publisher ?pub } } }",
                {"v": term},
            )
            found |= {
                r["g"]
                for r in rows
                if r["id"] != doc_id and (prop == "url" or r.get("pub", "") == publisher)
            }
        return sorted(found)


class GraphStore(Lookups):
    """An Oxigraph store holding kg's graphs."""

    def __init__(self, inner: ox.Store, path: Path | None, *, read_only: bool = False) -> None:
        self._store = inner
        self.path = path
        self._read_only = read_only

    @classmethod
    def memory(cls) -> GraphStore:
        return cls(ox.Store(), None)

    @classmethod
    def read_only(cls, path: str | Path) -> GraphStore:
        """Open a store for reading only; works while another process writes to it."""
        folder = _check_folder(Path(path), create=False)
        try:
            return cls(ox.Store.read_only(str(folder)), folder, read_only=True)
        except OSError as exc:
            raise StoreError(
                f"--store {folder}: cannot open store ({str(exc).splitlines()[0]})"
            ) from None

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> GraphStore:
        """Open the store in ``path``; create it when ``create`` and the folder is new or empty.

        A folder that holds other files is refused rather than touched.
        """
        folder = _check_folder(Path(path), create=create)
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
        self._writable()
        default = ox.DefaultGraph()
        batch = [
            ox.Quad(to_ox(s), to_ox(p), to_ox(o), default if g is None else to_ox(g))
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

        self._writable()
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

    def move_shared_descriptions(self, label_key: Callable[[str], Any]) -> int:
        """Stores written by earlier development versions of kg describe an article's
        publisher and kg's agent in every article's graph.  Move those descriptions to the
        default graph, once each, and give each article its ``kg:publisherName`` (the label
        its graph gave the publisher), in one transaction; the publisher keeps the label that
        sorts first by ``label_key``.  Returns how many nodes were moved: 0, after one cheap
        look, for a store already in shape."""

        def described(link: Any) -> Iterator[tuple[Any, list[Any]]]:
            for quad in self._store.quads_for_pattern(None, link, None, None):
                if isinstance(quad.graph_name, ox.NamedNode) and isinstance(
                    quad.object, ox.NamedNode
                ):
                    yield (
                        quad,
                        list(
                            self._store.quads_for_pattern(quad.object, None, None, quad.graph_name)
                        ),
                    )

        # every build writes the same layout, so the first link shows the store's
        first = next(described(_SHARED_LINKS[1]), None)
        if first is None or not first[1]:
            return 0
        labels = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
        moved: dict[Any, list[Any]] = {}
        insert: set[Any] = set()
        for link in _SHARED_LINKS:
            for quad, quads in described(link):
                moved.setdefault(quad.object, []).extend(quads)
                if link == _SHARED_LINKS[0]:  # the article's own spelling of its publisher
                    insert.update(
                        ox.Quad(quad.subject, _PUBLISHER_NAME, q.object, quad.graph_name)
                        for q in quads
                        if q.predicate == labels
                    )
        delete = {q for quads in moved.values() for q in quads}
        default = ox.DefaultGraph()
        for node, quads in moved.items():
            names = sorted(
                {q.object for q in quads if q.predicate == labels}
                | {q.object for q in self._store.quads_for_pattern(node, labels, None, default)},
                key=lambda o: label_key(str(getattr(o, "value", o))),
            )
            for q in quads:
                if q.predicate != labels:
                    insert.add(ox.Quad(q.subject, q.predicate, q.object, default))
            for name in names[1:]:
                delete.add(ox.Quad(node, labels, name, default))
            if names:
                insert.add(ox.Quad(node, labels, names[0], default))
        delete -= insert
        update = []
        if delete:
            update.append("DELETE DATA { " + " ".join(_quad_text(q) for q in delete) + " }")
        if insert:
            update.append("INSERT DATA { " + " ".join(_quad_text(q) for q in insert) + " }")
        try:
            self._store.update(" ;\n".join(update))
        except OSError as exc:
            raise StoreError(f"cannot update the store: {exc}") from None
        return len(moved)

    # ------------------------------------------------------------------ documents
    def documents(self) -> list[dict[str, Any]]:
        """Every article in the store: id, graph, title, date, publisher, url, source, quads."""
        rows = self._store.query(
            _DOCUMENTS_QUERY, use_default_graph_as_union=False, prefixes=PREFIXES
        )
        out = []
        for row in rows:  # type: ignore[union-attr]
            item = {v: (row[v].value if row[v] is not None else "") for v in _DOCUMENT_FIELDS}
            graph = ox.NamedNode(item["graph"])
            item["quads"] = sum(1 for _ in self._store.quads_for_pattern(None, None, None, graph))
            out.append(item)
        return out

    def find_documents(self, ref: str) -> list[dict[str, Any]]:
        """Articles whose id (or an id prefix of 6+ characters), source file, URL or external
        id is ``ref``; none for an empty ``ref`` (articles without a URL have an empty one)."""
        if not ref.strip():
            return []
        docs = self.documents()
        exact = [
            d
            for d in docs
            if ref in {d["id"], d["source"], d["url"], d["identifier"], d["doc"], d["graph"]}
        ]
        if exact:
            return exact
        if len(ref) >= 6 and re.fullmatch(r"[0-9a-f]+", ref):
            return [d for d in docs if d["id"].startswith(ref)]
        return []

    def replace_documents(
        self,
        old_graphs: Iterable[str],
        quads: Iterable[Quad] = (),
        relabel: Iterable[str] = (),
        *,
        unlabel: Iterable[str] = (),
    ) -> None:
        """In one transaction: drop the graphs of ``old_graphs``, add ``quads``, and bring the
        merged entities those graphs mentioned up to date (aliases recomputed from the mentions
        that remain; an entity no article mentions any more is removed).  The entities in
        ``relabel`` (``<iri>``) lose their label for the one ``quads`` gives them, and their
        aliases are recomputed too; the nodes in ``unlabel`` (a publisher) only lose their
        label.  A publisher, or kg's agent, that no article graph points to any more loses its
        description."""
        self._writable()
        graphs = list(old_graphs)
        touched: set[str] = set()
        detached: set[str] = set()
        for g in graphs:
            graph = ox.NamedNode(g)
            for quad in self._store.quads_for_pattern(None, _TA_IDENT_REF, None, graph):
                touched.add(str(quad.object))
            for link in _SHARED_LINKS:
                for quad in self._store.quads_for_pattern(None, link, None, graph):
                    detached.add(str(quad.object))
        update = replace_update(graphs, quads, touched, relabel, unlabel=unlabel, detached=detached)
        if not update:
            return
        try:
            self._store.update(update, prefixes=PREFIXES)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot update the store: {exc}") from None

    def versions_of(self, url: str, identifier: str, doc_id: str, publisher: str = "") -> list[str]:
        """Graphs of other versions of an article: other text, and the same URL, or the same
        external id from the same publisher (IRI; "" for none).

        The same answer as :meth:`Lookups.versions_of`'s query, read from the indexes
        directly: a build asks it for every article (a query is parsed and planned each time).
        """
        found: set[str] = set()
        document_id = ox.NamedNode(PREFIXES["kg"] + "documentId")
        publisher_link = ox.NamedNode(PREFIXES["schema"] + "publisher")
        for prop, value in (("url", url), ("identifier", identifier)):
            if not value:
                continue
            term = ox.Literal(value, datatype=_XSD_ANY_URI) if prop == "url" else ox.Literal(value)
            predicate = ox.NamedNode(PREFIXES["schema"] + prop)
            for quad in self._store.quads_for_pattern(None, predicate, term, None):
                graph = quad.graph_name
                if not isinstance(graph, ox.NamedNode):
                    continue  # the query's GRAPH ?g: named graphs only
                if prop == "identifier":
                    publishers = {
                        str(getattr(q.object, "value", ""))
                        for q in self._store.quads_for_pattern(
                            quad.subject, publisher_link, None, graph
                        )
                    }
                    if publishers != ({publisher} if publisher else set()):
                        continue
                for row in self._store.quads_for_pattern(quad.subject, document_id, None, graph):
                    obj = row.object
                    if isinstance(obj, ox.Triple) or obj.value != doc_id:
                        found.add(graph.value)
        return sorted(found)

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

    def _rows(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
        result = self.query(sparql, bindings)
        return [
            {v.value: row[v].value for v in result.variables if row[v] is not None}
            for row in result
        ]

    def flush(self) -> None:
        if self.path is not None and not self._read_only:
            try:
                self._store.flush()
            except OSError as exc:  # the disk is full, the folder is gone
                raise StoreError(f"--store {self.path}: cannot write to the store: {exc}") from None

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self._store)

    def query(self, sparql: str, bindings: Mapping[str, URIRef | Literal] | None = None) -> Any:
        """Run SPARQL over the union of all graphs.

        ``bindings`` are bound by :func:`bind`: each value serialised (and escaped) by the RDF
        library and put in place of its variable, so user text is never spliced in raw.
        """
        if bindings:
            try:
                values = {k: to_ox(v) for k, v in bindings.items()}
            except ValueError as exc:
                raise QueryError(f"cannot bind a parameter: {exc}") from None
            sparql = bind(sparql, values)
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
        """Flush and close; closing twice is fine, using the store after it is an error."""
        if "_store" not in self.__dict__:
            return
        try:
            self.flush()
        finally:
            del self._store

    def __getattr__(self, name: str) -> Any:
        if name == "_store":  # only looked up here once close() removed it
            raise StoreError("the store is closed; open it again (KnowledgeGraph(...))")
        raise AttributeError(name)

    def _writable(self) -> None:
        if self._read_only:
            raise StoreError(
                f"--store {self.path}: opened read-only (read_only=True); "
                "open it without read_only to change it"
            )


__all__ = [
    "EXPORT_FORMATS",
    "PREFIXES",
    "GraphStore",
    "bind",
    "bind_values",
    "from_ox",
    "paginate",
    "to_ox",
]
