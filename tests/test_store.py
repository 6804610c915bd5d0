"""The Oxigraph store: opening, locking, atomic writes, bound queries, dumps."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef, namespace
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from kg.errors import KGError, QueryError, StoreError
from kg.store import EXPORT_FORMATS, GraphStore, bind, bind_values, from_ox, paginate, to_ox

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated.*:DeprecationWarning")

EX = Namespace("https://example.org/")
G1, G2 = URIRef("https://example.org/graph/1"), URIRef("https://example.org/graph/2")


def sample_quads() -> list[tuple[URIRef, URIRef, URIRef | Literal, URIRef | None]]:
    return [
        (EX.qatar, RDFS.label, Literal("Qatar", lang="en"), G1),
        (EX.egypt, RDFS.label, Literal("Egypt", lang="en"), G1),
        (EX.egypt, EX.population, Literal(105_000_000), G1),
        (EX.egypt, EX.note, Literal('He said "yes"\nthen left # } {'), G2),
        (EX.qatar, EX.mediated, EX.deal, G2),
        (EX.deal, RDFS.label, Literal("deal"), None),
        (EX.qatar, RDFS.label, Literal("Qatar", lang="en"), G2),  # same triple, other graph
    ]


@pytest.fixture
def store() -> Iterator[GraphStore]:
    s = GraphStore.memory()
    s.add_quads(sample_quads())
    yield s


def select(store: GraphStore, sparql: str, **bindings: URIRef | Literal) -> list[dict[str, str]]:
    result = store.query(sparql, bindings or None)
    return [
        {v.value: sol[v].value for v in result.variables if sol[v] is not None} for sol in result
    ]


# --------------------------------------------------------------------------- open / close


def test_memory_store_starts_empty() -> None:
    s = GraphStore.memory()
    assert len(s) == 0 and s.path is None
    s.close()


def test_open_creates_and_reopen_keeps_data(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "store"
    s = GraphStore.open(folder)
    assert s.path == folder
    s.add_quads(sample_quads())
    n = len(s)
    s.close()
    assert n == 7
    again = GraphStore.open(folder, create=False)
    try:
        assert len(again) == n
        assert again.has_graph(G1) and again.has_graph(G2)
        assert again.label_of(EX.deal) == "deal"
    finally:
        again.close()


def test_open_empty_existing_folder(tmp_path: Path) -> None:
    s = GraphStore.open(tmp_path)
    assert len(s) == 0
    s.close()
    assert (tmp_path / "CURRENT").is_file()


def test_open_without_create_refuses_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here yet"):
        GraphStore.open(tmp_path / "missing", create=False)
    assert not (tmp_path / "missing").exists()


def test_non_store_folder_refused_and_untouched(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("my notes")
    (tmp_path / "sub").mkdir()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(StoreError, match="not a kg store") as info:
        GraphStore.open(tmp_path)
    assert str(tmp_path) in str(info.value)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert (tmp_path / "notes.txt").read_text() == "my notes"


def test_file_instead_of_folder_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.txt"
    path.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        GraphStore.open(path)
    assert path.read_text() == "x"


def test_store_in_use_by_another_process(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    GraphStore.open(folder).close()
    holder = textwrap.dedent(
        f"""
        import sys, time
        from kg.store import GraphStore
        store = GraphStore.open({str(folder)!r})
        print("ready", flush=True)
        sys.stdin.read()
        store.close()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="in use") as info:
            GraphStore.open(folder)
        assert str(folder) in str(info.value)
    finally:
        proc.communicate(timeout=30)
    assert proc.returncode == 0
    GraphStore.open(folder).close()  # free again once the other process has finished


# --------------------------------------------------------------------------- writing


def test_add_quads_named_and_default_graphs(store: GraphStore) -> None:
    assert len(store) == 7
    default = list(store.inner.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert len(default) == 1
    # Queries see the union of all graphs as the default graph.
    rows = select(store, "SELECT DISTINCT ?s WHERE { ?s rdfs:label ?l }")
    assert {r["s"] for r in rows} == {str(EX.qatar), str(EX.egypt), str(EX.deal)}


@pytest.mark.parametrize(
    "bad",
    [
        Literal("x", lang="abcdefghij"),  # rdflib accepts it, Oxigraph refuses (subtag > 8)
        URIRef("https://example.org/has space"),
    ],
    ids=["language-tag", "iri-with-space"],
)
def test_add_quads_is_all_or_nothing(store: GraphStore, bad: URIRef | Literal) -> None:
    before = len(store)
    batch = [
        (EX.a, RDFS.label, Literal("first"), G1),
        (EX.b, RDFS.label, bad, G1) if isinstance(bad, Literal) else (bad, RDFS.label, EX.c, G1),
        (EX.c, RDFS.label, Literal("last"), G1),
    ]
    with pytest.raises((ValueError, KGError)):
        store.add_quads(batch)
    assert len(store) == before
    assert store.label_of(EX.a) is None


def test_add_quads_failing_iterable_adds_nothing(store: GraphStore) -> None:
    def gen() -> Iterator[tuple[URIRef, URIRef, Literal, URIRef]]:
        yield (EX.a, RDFS.label, Literal("first"), G1)
        raise RuntimeError("extractor crashed half-way")

    before = len(store)
    with pytest.raises(RuntimeError):
        store.add_quads(gen())
    assert len(store) == before


def test_add_triples_goes_to_default_graph() -> None:
    s = GraphStore.memory()
    s.add_triples([(EX.a, RDFS.label, Literal("A", lang="en"))])
    assert s.label_of(EX.a) == "A"
    assert not s.has_graph(G1)


def test_term_conversion_round_trip() -> None:
    terms: list[URIRef | Literal | BNode] = [
        EX.x,
        BNode("b1"),
        Literal("plain"),
        Literal("tagged", lang="en"),
        Literal(3),
        Literal("2023-11-01", datatype=namespace.XSD.date),
    ]
    for term in terms:
        back = from_ox(to_ox(term))
        if isinstance(term, Literal) and term.datatype is None and term.language is None:
            assert back == Literal("plain", datatype=namespace.XSD.string)
        else:
            assert back == term
    assert from_ox(None) is None


# --------------------------------------------------------------------------- bound queries


def test_binding_visible_inside_filter(store: GraphStore) -> None:
    """Regression: pyoxigraph's ``substitutions`` did not reach variables inside FILTER."""
    sparql = "SELECT ?s WHERE { ?s rdfs:label ?l . FILTER(LCASE(STR(?l)) = LCASE(?name)) }"
    rows = select(store, sparql, name=Literal("EGYPT"))
    assert rows == [{"s": str(EX.egypt)}]
    rows = select(store, sparql, name=Literal("nobody"))
    assert rows == []


def test_binding_of_filter_only_variable_with_regex(store: GraphStore) -> None:
    sparql = "SELECT DISTINCT ?s WHERE { ?s rdfs:label ?l FILTER(REGEX(?l, ?pattern, 'i')) }"
    rows = select(store, sparql, pattern=Literal("^qat"))
    assert rows == [{"s": str(EX.qatar)}]


def test_binding_iri_and_typed_literal(store: GraphStore) -> None:
    rows = select(store, "SELECT ?l WHERE { ?s rdfs:label ?l }", s=EX.deal)
    assert rows == [{"l": "deal"}]
    rows = select(store, "SELECT ?s WHERE { ?s ?p ?n }", n=Literal(105_000_000))
    assert rows == [{"s": str(EX.egypt)}]


def test_binding_escapes_quotes_newlines_braces_and_hash(store: GraphStore) -> None:
    value = Literal('He said "yes"\nthen left # } {')
    rows = select(store, "SELECT ?s WHERE { ?s ?p ?v }", v=value)
    assert rows == [{"s": str(EX.egypt)}]
    sparql = bind_values("SELECT ?s WHERE { ?s ?p ?v }", {"v": to_ox(value)})
    assert "\n" not in sparql
    assert r'"He said \"yes\"\nthen left # } {"' in sparql


def test_injection_attempt_stays_a_literal(store: GraphStore) -> None:
    evil = Literal('x" ) } } ; DROP ALL ; SELECT * WHERE { ?a ?b "')
    assert select(store, "SELECT ?s WHERE { ?s rdfs:label ?l }", l=evil) == []
    assert len(store) == 7


def test_binding_multiple_variables(store: GraphStore) -> None:
    rows = select(store, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", s=EX.qatar, p=EX.mediated)
    assert rows == [{"g": str(G2)}]


@pytest.mark.parametrize(
    "marked",
    [
        "# a comment WHERE { ?x ?y ?z }\nSELECT ?s WHERE {@ ?s rdfs:label ?l }",
        'SELECT ?s WHERE {@ ?s rdfs:label ?l . FILTER(?l != "WHERE { no") }',
        "SELECT ?s WHERE {@ ?s rdfs:label ?l . FILTER(?l != 'where {') }",
        'SELECT ?s WHERE {@ ?s rdfs:label ?l . FILTER(?l != """x\nWHERE {""") }',
        'SELECT ?s\n# WHERE {\nWHERE {@ ?s rdfs:label ?l . FILTER(?l != "#")  # }\n}',
        "SELECT ?s {@ ?s rdfs:label ?l }",
        "PREFIX ex: <https://example.org/where#>\nSELECT ?s where{@ ?s rdfs:label ?l }",
    ],
    ids=[
        "comment",
        "double-quoted",
        "single-quoted",
        "long-string",
        "hash-in-string",
        "no-where",
        "prefix-iri",
    ],
)
def test_values_go_into_the_real_where_group(store: GraphStore, marked: str) -> None:
    """``@`` marks where the VALUES block belongs; comments and strings are skipped."""
    sparql = marked.replace("@", "")
    bound = bind_values(sparql, {"l": to_ox(Literal("deal"))})
    assert bound == marked.replace("@", ' VALUES (?l) { ("deal") }')
    assert select(store, sparql, l=Literal("deal")) == [{"s": str(EX.deal)}]


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        ("SELECT ?s WHERE { ?s rdfs:label ?l }", 'SELECT ?s WHERE { ?s rdfs:label "deal" }'),
        (
            "SELECT ?s ?l WHERE { ?s rdfs:label ?l }",
            'SELECT ?s ("deal" AS ?l) WHERE { ?s rdfs:label "deal" }',
        ),
        (
            "SELECT ?s (COUNT(?x) AS ?n) WHERE { ?s rdfs:label ?l ; ?p ?x } GROUP BY ?s ?l",
            'SELECT ?s (COUNT(?x) AS ?n) WHERE { ?s rdfs:label "deal" ; ?p ?x } GROUP BY ?s ("deal")',
        ),
        (
            "SELECT ?s ?l WHERE { { SELECT ?s ?l WHERE { ?s rdfs:label ?l } } }",
            'SELECT ?s ("deal" AS ?l) WHERE { { SELECT ?s  WHERE { ?s rdfs:label "deal" } } }',
        ),
        ('SELECT ?s WHERE { ?s rdfs:label ?l2 . FILTER(?l2 != "?l") }', None),
    ],
    ids=["pattern", "projection", "group-by", "sub-select", "other-names-and-strings"],
)
def test_bind_puts_constants_where_sparql_allows_them(
    store: GraphStore, sparql: str, expected: str | None
) -> None:
    if expected is None:  # ?l2 and the string "?l" are not ?l: nothing to bind is an error
        with pytest.raises(QueryError, match=r"the query has no variable \?l"):
            bind(sparql, {"l": to_ox(Literal("deal"))})
        return
    bound = bind(sparql, {"l": to_ox(Literal("deal"))})
    assert bound == expected
    if expected is not None:
        rows = select(store, sparql, l=Literal("deal"))
        assert rows and all(r["s"] == str(EX.deal) for r in rows)
        assert all(r.get("l", "deal") == "deal" for r in rows)


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { ?s rdfs:label ?l }",
        "SELECT ?s WHERE { { SELECT ?s (STR(?x) AS ?l) WHERE { ?s rdfs:label ?x } } }",
        'SELECT ?s WHERE { VALUES ?l { "deal" "x" } ?s rdfs:label ?l }',
    ],
    ids=["select-star", "as-target", "values-header"],
)
def test_bind_falls_back_to_values_where_no_constant_is_allowed(
    store: GraphStore, sparql: str
) -> None:
    bound = bind(sparql, {"l": to_ox(Literal("deal"))})
    assert 'VALUES (?l) { ("deal") }' in bound
    assert [r["s"] for r in select(store, sparql, l=Literal("deal"))] == [str(EX.deal)]


def test_bind_narrows_a_values_list_to_the_bound_term(store: GraphStore) -> None:
    sparql = "SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { VALUES ?t { rdfs:label <urn:x> } ?s ?t ?o } } }"
    bound = bind(sparql, {"t": to_ox(RDFS.label)})
    assert f"VALUES ?t {{ <{RDFS.label}> }}" in bound  # the planner starts from one row
    assert f"VALUES (?t) {{ (<{RDFS.label}>) }}" in bound  # and the meaning is kept
    assert "VALUES ?t { }" in bind(sparql, {"t": to_ox(URIRef("urn:other"))})
    assert select(store, sparql, t=URIRef("urn:other")) == []
    assert {r["t"] for r in select(store, sparql, t=RDFS.label)} == {str(RDFS.label)}
    hidden = "SELECT ?s WHERE { { SELECT ?s WHERE { VALUES ?t { rdfs:label } ?s ?t ?o } } }"
    assert "VALUES ?t { rdfs:label }" in bind(hidden, {"t": to_ox(URIRef("urn:other"))})


def test_bind_escapes_injection_in_every_position(store: GraphStore) -> None:
    evil = Literal('x" AS ?s) } } ; DROP ALL ; SELECT * WHERE { ?a ?b "')
    sparql = "SELECT ?s ?l WHERE { ?s rdfs:label ?l } GROUP BY ?s ?l"
    assert select(store, sparql, l=evil) == []
    assert len(store) == 7


def test_ask_with_binding(store: GraphStore) -> None:
    assert bool(store.query("ASK { ?s rdfs:label ?l }", {"l": Literal("deal")})) is True
    assert bool(store.query("ASK { ?s rdfs:label ?l }", {"l": Literal("nope")})) is False


def test_bad_variable_name_refused() -> None:
    with pytest.raises(QueryError, match="not a SPARQL variable name"):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"a b": ox.Literal("x")})


def test_query_without_group_refused() -> None:
    with pytest.raises(QueryError, match="no WHERE clause"):
        bind_values("LOAD <https://example.org/x>", {"a": ox.Literal("x")})


def test_sparql_syntax_error(store: GraphStore) -> None:
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        store.query("SELECT ?x WHERE { ?x ?y }")


def test_predefined_prefixes(store: GraphStore) -> None:
    for prefix in ("kg", "schema", "sem", "nif", "prov", "skos", "owl", "xsd", "wd", "itsrdf"):
        assert not store.query(f"ASK {{ ?s {prefix}:nothing ?o }}")


# --------------------------------------------------------------------------- dumps


def plain(graph: Graph) -> Graph:
    """rdflib graph with ``xsd:string`` literals made plain (Oxigraph writes either way)."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == namespace.XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


def union_graph(store: GraphStore) -> Graph:
    g = Graph()
    for q in store.inner:
        s, p, o = from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)
        assert s is not None and p is not None and o is not None
        g.add((s, p, o))
    return plain(g)


def test_dump_unknown_format(store: GraphStore) -> None:
    with pytest.raises(StoreError, match="--format xml: unknown"):
        store.dump("xml")


def plain_term(term: object) -> object:
    if isinstance(term, Literal) and term.datatype == namespace.XSD.string:
        return Literal(str(term))
    return term


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_dataset_formats_round_trip(store: GraphStore, fmt: str) -> None:
    ds = Dataset()
    ds.parse(data=store.dump(fmt), format="json-ld" if fmt == "jsonld" else fmt)
    default = ds.default_graph.identifier
    got = {
        (s, p, plain_term(o), None if g == default else g)
        for s, p, o, g in ds.quads((None, None, None, None))
    }
    assert got == set(sample_quads())
    assert len(got) == len(store) == 7


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_triple_formats_merge_graphs(store: GraphStore, fmt: str) -> None:
    g = Graph()
    g.parse(data=store.dump(fmt), format=fmt)
    assert len(g) == 6  # the Qatar label is in two graphs
    assert isomorphic(plain(g), union_graph(store))


def test_turtle_uses_kg_prefixes(store: GraphStore) -> None:
    assert b"@prefix rdfs:" in store.dump("turtle") or b"PREFIX rdfs:" in store.dump("turtle")


def test_every_export_format_listed() -> None:
    assert set(EXPORT_FORMATS) == {"trig", "nquads", "turtle", "ntriples", "jsonld"}


def test_dataset_view_through_rdflib(store: GraphStore) -> None:
    ds = store.dataset()
    labels = {str(o) for o in ds.objects(EX.qatar, RDFS.label)}
    assert labels == {"Qatar"}


@pytest.mark.slow
def test_sample_store_dumps_round_trip(sample_store: Path) -> None:
    s = GraphStore.open(sample_store, create=False)
    try:
        n = len(s)
        expected = union_graph(s)
        for fmt in ("trig", "nquads", "jsonld"):
            ds = Dataset()
            ds.parse(data=s.dump(fmt), format="json-ld" if fmt == "jsonld" else fmt)
            assert len(list(ds.quads((None, None, None, None)))) == n, fmt
        turtle = Graph().parse(data=s.dump("turtle"), format="turtle")
        assert isomorphic(plain(turtle), expected)
        copy = GraphStore.memory()
        copy.inner.load(s.dump("trig"), format=ox.RdfFormat.TRIG)
        assert len(copy) == n
    finally:
        s.close()


# --------------------------------------------------------------------------- paginate


@pytest.mark.parametrize(
    ("query", "limit", "offset", "expected"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o }", 5, 0, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"),
        ("SELECT ?s { ?s ?p ?o }\n", None, 7, "SELECT ?s { ?s ?p ?o } OFFSET 7\n"),
        (
            "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ORDER BY DESC(?n)",
            2,
            4,
            "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ORDER BY DESC(?n)"
            " LIMIT 2 OFFSET 4",
        ),
        (
            "SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <x:a> }",
            1,
            0,
            "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 VALUES ?s { <x:a> }",
        ),
        (  # a sub-SELECT's own LIMIT, braces and keywords in strings and comments are not the outer query's
            'PREFIX x: <x:{>\nSELECT ?s WHERE { { SELECT ?s { ?s ?p "} LIMIT 1" } LIMIT 9 } }'
            " # LIMIT 3 }",
            3,
            0,
            'PREFIX x: <x:{>\nSELECT ?s WHERE { { SELECT ?s { ?s ?p "} LIMIT 1" } LIMIT 9 } }'
            " LIMIT 3 # LIMIT 3 }",
        ),
        ("SELECT ?s WHERE { ?s ?p ?o }", None, 0, "SELECT ?s WHERE { ?s ?p ?o }"),
        (  # no WHERE keyword on the outer query: a sub-SELECT's WHERE is not its group
            "SELECT ?s { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 9 } }",
            2,
            0,
            "SELECT ?s { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 9 } } LIMIT 2",
        ),
        (
            "SELECT ?s (EXISTS { ?s ?q ?r } AS ?x) WHERE { { SELECT ?s { ?s ?p ?o } LIMIT 9 } }",
            1,
            0,
            "SELECT ?s (EXISTS { ?s ?q ?r } AS ?x) WHERE { { SELECT ?s { ?s ?p ?o } LIMIT 9 } }"
            " LIMIT 1",
        ),
    ],
)
def test_paginate_adds_the_page_to_the_outer_query(
    query: str, limit: int | None, offset: int, expected: str
) -> None:
    assert paginate(query, limit, offset) == expected


@pytest.mark.parametrize(
    ("query", "limit", "offset", "message"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10", 5, 0, "its own LIMIT or OFFSET"),
        ("SELECT ?s WHERE { ?s ?p ?o } OFFSET 10", 5, 0, "its own LIMIT or OFFSET"),
        ("ASK { ?s ?p ?o }", 5, 0, "only be taken of a SELECT"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", 5, 0, "only be taken of a SELECT"),
        ("SELECT ?s WHERE { ?s ?p ?o }", -1, 0, "0 or more"),
        ("SELECT ?s WHERE { ?s ?p ?o }", 1, -1, "0 or more"),
    ],
)
def test_paginate_refuses_what_it_cannot_page(
    query: str, limit: int, offset: int, message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        paginate(query, limit, offset)


def test_pages_of_an_ordered_query_tile_its_rows() -> None:
    store = GraphStore.memory()
    ex = Namespace("https://example.org/")
    store.add_quads((ex[f"s{i:02d}"], RDFS.label, Literal(f"n{i % 7}"), ex.g) for i in range(23))
    query = "SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?l ?s"
    every = [tuple(map(str, row)) for row in store.query(query)]
    pages = [
        [tuple(map(str, row)) for row in store.query(paginate(query, 5, offset))]
        for offset in range(0, 25, 5)
    ]
    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]
    assert [row for page in pages for row in page] == every


def test_bind_values_goes_into_the_outer_group_without_a_where_keyword() -> None:
    query = "SELECT ?s { { SELECT ?s WHERE { ?s ?p ?o } } }"
    assert bind_values(query, {"s": ox.NamedNode("x:a")}) == (
        "SELECT ?s { VALUES (?s) { (<x:a>) } { SELECT ?s WHERE { ?s ?p ?o } } }"
    )


def test_versions_of_reads_the_indexes_and_answers_as_the_query() -> None:
    """GraphStore.versions_of looks the article up without SPARQL; the query it replaces
    (Lookups.versions_of) must give the same graphs: named graphs only, exact literals, the
    article's own graph left out."""
    from kg.store import Lookups

    kg_ns = Namespace("https://w3id.org/kg-news/ontology#")
    schema = Namespace("https://schema.org/")
    url = "https://example.org/news/1"
    quads = []
    for n, (doc_id, prop, value) in enumerate(
        [
            ("aaa", "url", Literal(url, datatype=namespace.XSD.anyURI)),
            ("bbb", "url", Literal(url, datatype=namespace.XSD.anyURI)),
            ("ccc", "url", Literal(url)),  # a plain string is another term
            ("ddd", "identifier", Literal("reuters-42")),
            ("eee", "identifier", Literal("reuters-42", lang="en")),
            ("fff", "identifier", Literal("7")),  # one feed's record 7 ...
            ("ggg", "identifier", Literal("7")),  # ... and another's
        ]
    ):
        graph = URIRef(f"https://example.org/graph/{n}")
        document = URIRef(f"https://example.org/doc/{doc_id}")
        quads += [
            (document, schema[prop], value, graph),
            (document, kg_ns.documentId, Literal(doc_id), graph),
        ]
        if doc_id in {"fff", "ggg"}:
            feed = URIRef(f"https://example.org/publisher/{doc_id}")
            quads.append((document, schema.publisher, feed, graph))
    quads.append(
        (
            URIRef("https://example.org/doc/x"),
            schema.url,
            Literal(url, datatype=namespace.XSD.anyURI),
            None,
        )
    )
    store = GraphStore.memory()
    store.add_quads(quads)
    cases = [
        (url, "", "aaa"),
        (url, "", "zzz"),
        ("", "reuters-42", "zzz"),
        ("", "reuters-42", "ddd"),
        (url, "reuters-42", "bbb"),
        ("https://example.org/other", "nothing", "aaa"),
        ("", "", "aaa"),
        ("", "7", "zzz"),  # an id without a publisher is not the feeds' record 7
        ("", "7", "zzz", "https://example.org/publisher/fff"),
        ("", "7", "fff", "https://example.org/publisher/fff"),
        ("", "reuters-42", "zzz", "https://example.org/publisher/fff"),
    ]
    for case in cases:
        assert store.versions_of(*case) == Lookups.versions_of(store, *case), case
    assert store.versions_of(url, "", "aaa") == ["https://example.org/graph/1"]
    assert store.versions_of("", "7", "zzz") == []
    assert store.versions_of("", "7", "new", "https://example.org/publisher/ggg") == [
        "https://example.org/graph/6"
    ]
    assert store.versions_of(url, "reuters-42", "zzz") == [
        "https://example.org/graph/0",
        "https://example.org/graph/1",
        "https://example.org/graph/3",
    ]


def test_bind_reaches_a_variable_written_next_to_a_comparison() -> None:
    """``<?max&&?v>`` is a valid IRIREF token; in a FILTER it is a comparison, and ?max in it
    must be bound (it was left unbound, and the query returned wrong rows)."""
    store = GraphStore.memory()
    query = "SELECT ?v WHERE { VALUES ?v { 1 2 3 4 5 } FILTER(?v<?max&&?v>1) } ORDER BY ?v"
    bound = bind(query, {"max": ox.Literal("4", datatype=ox.NamedNode(str(namespace.XSD.integer)))})
    assert "?max" not in bound
    assert [int(r["v"].value) for r in store.query(bound)] == [2, 3]
    # an IRI with a query string is still an IRI
    iri = "SELECT ?o WHERE { <https://e.org/a?b=1> ?p ?o FILTER(?o = ?x) }"
    assert "<https://e.org/a?b=1>" in bind(iri, {"x": ox.Literal("y")})


def test_bind_keeps_bound_and_sub_select_queries_valid() -> None:
    store = GraphStore.memory()
    store.add_quads([(EX.a, RDFS.label, Literal("Egypt"), None)])
    optional_filter = "SELECT ?x WHERE { ?x rdfs:label ?l . FILTER(!BOUND(?s) || STR(?l) = ?s) }"
    assert len(list(store.query(bind(optional_filter, {"s": ox.Literal("Egypt")})))) == 1
    assert len(list(store.query(bind(optional_filter, {"s": ox.Literal("Chad")})))) == 0
    only_the_parameter = (
        "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?s WHERE { ?x rdfs:label ?s } } }"
    )
    rows = list(store.query(bind(only_the_parameter, {"s": ox.Literal("Egypt")})))
    assert int(rows[0]["n"].value) == 1


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?s ?x WHERE { ?x rdfs:label "Egypt" . BIND("default" AS ?s) }',
        "SELECT ?x (STR(?l) AS ?s) WHERE { ?x rdfs:label ?l }",
    ],
)
def test_binding_a_variable_the_query_assigns_is_a_clear_error(query: str) -> None:
    with pytest.raises(QueryError, match=r"cannot bind \?s: the query assigns it itself"):
        bind(query, {"s": ox.Literal("hello")})


def test_variables_named_like_keywords_are_variables() -> None:
    """?select, ?where, ?limit are variables, not the keywords."""
    query = "SELECT ?select ?where WHERE { ?select ?p ?where } ORDER BY ?limit"
    bound = bind(query, {"select": ox.NamedNode("https://e.org/a")})
    assert bound == (
        "SELECT (<https://e.org/a> AS ?select) ?where WHERE { <https://e.org/a> ?p ?where } "
        "ORDER BY ?limit"
    )
    assert paginate("SELECT ?s WHERE { ?s ?p ?limit } ORDER BY ?limit", 5).endswith("LIMIT 5")
