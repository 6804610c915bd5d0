"""Named queries, parameter typing, result rows, and queries over the sample corpus."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef, namespace

from kg import KnowledgeGraph, Rows
from kg.errors import QueryError
from kg.query import (
    NamedQuery,
    get_named,
    named_queries,
    python_value,
    run,
    to_term,
)
from kg.resources import QUERIES_DIR
from kg.store import GraphStore

QATAR = "https://w3id.org/kg-news/id/entity/Q846"
SHIPPED = sorted(p.stem for p in QUERIES_DIR.glob("*.rq"))
# Values for the required parameters of the shipped queries, taken from the sample corpus.
REQUIRED_VALUES = {"place": "Rafah Border Crossing", "name": "Egypt", "topic": "."}

HEADER = """# title: A test query
# param: who iri required  the entity
# param: n integer optional=5  how many
# param: since date optional  from this day
# param: flag boolean optional=false  a switch
# param: pattern regex optional  what to match
# param: amount decimal optional  a decimal
# param: text string optional  some text
SELECT ?x WHERE { ?x ?p ?o }
"""


@pytest.fixture(scope="module")
def graph(sample_store: Path) -> Iterator[KnowledgeGraph]:
    g = KnowledgeGraph(sample_store, create=False)
    yield g
    g.close()


def documented_columns(nq: NamedQuery) -> list[str]:
    """The variables the query's SELECT clause names, in order."""
    body = "\n".join(line for line in nq.sparql.splitlines() if not line.lstrip().startswith("#"))
    m = re.search(r"\bSELECT\b(.*?)\bWHERE\b", body, re.S | re.I)
    assert m, nq.name
    clause = re.sub(r"\((?:[^()]|\([^()]*\))*\bAS\s+(\?\w+)\s*\)", r"\1", m[1])
    return [v[1:] for v in re.findall(r"\?\w+", clause)]


# --------------------------------------------------------------------------- parsing


def test_parse_title_params_and_defaults() -> None:
    q = NamedQuery.parse("t", HEADER)
    assert q.title == "A test query"
    assert q.sparql == HEADER
    by_name = {p.name: p for p in q.params}
    assert [p.name for p in q.params] == [
        "who",
        "n",
        "since",
        "flag",
        "pattern",
        "amount",
        "text",
    ]
    assert by_name["who"].type == "iri" and by_name["who"].required
    assert by_name["who"].default is None and by_name["who"].description == "the entity"
    assert by_name["n"].type == "integer" and not by_name["n"].required
    assert by_name["n"].default == "5" and by_name["n"].description == "how many"
    assert by_name["flag"].default == "false"
    assert by_name["since"].default is None


def test_parse_without_header_uses_name_as_title() -> None:
    q = NamedQuery.parse("plain", "SELECT * WHERE { ?s ?p ?o }")
    assert (q.title, q.params) == ("plain", ())
    assert q.bind({}) == {}


def test_parse_unknown_param_type() -> None:
    with pytest.raises(QueryError, match="parameter x has unknown type float"):
        NamedQuery.parse("bad", "# param: x float optional  x\nSELECT * {}")


def test_shipped_queries_parse_with_titles() -> None:
    queries = named_queries()
    assert sorted(queries) == SHIPPED
    assert {"mediations", "disputed-numbers", "timeline", "events-at"} <= set(queries)
    for name, nq in queries.items():
        assert nq.title != name, f"{name} has no '# title:' line"
        assert nq.path == QUERIES_DIR / f"{name}.rq"
        for p in nq.params:
            assert p.description, f"{name}: parameter {p.name} has no description"


# --------------------------------------------------------------------------- binding


def test_bind_types_and_defaults() -> None:
    q = NamedQuery.parse("t", HEADER)
    bound = q.bind(
        {
            "who": "https://example.org/x",
            "since": "2023-11-01",
            "flag": "TRUE",
            "pattern": "^Qat(ar)?$",
            "amount": "2.50",
            "text": 'with "quotes" }',
        }
    )
    assert bound["who"] == URIRef("https://example.org/x")
    assert bound["n"] == Literal("5", datatype=namespace.XSD.integer)
    assert bound["since"] == Literal("2023-11-01", datatype=namespace.XSD.date)
    assert bound["flag"] == Literal(True)
    assert bound["pattern"] == Literal("^Qat(ar)?$")
    assert bound["amount"] == Literal(Decimal("2.50"))
    assert bound["text"] == Literal('with "quotes" }')
    assert set(bound) == {"who", "n", "since", "flag", "pattern", "amount", "text"}


def test_bind_leaves_out_optional_without_default() -> None:
    bound = NamedQuery.parse("t", HEADER).bind({"who": "urn:x:1"})
    assert set(bound) == {"who", "n", "flag"}
    assert bound["flag"] == Literal(False)


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("who", "not an iri"),
        ("who", "Egypt"),
        ("who", "https://example.org/a>b"),
        ("who", "https://example.org/a b"),
        ("who", 'https://example.org/"x"'),
        ("n", "five"),
        ("n", "1.5"),
        ("since", "01/11/2023"),
        ("since", "2023-02-30"),
        ("flag", "yes"),
        ("pattern", "(unclosed"),
    ],
)
def test_bind_bad_values_name_the_parameter(param: str, value: str) -> None:
    q = NamedQuery.parse("t", HEADER)
    values = {"who": "https://example.org/x", param: value}
    with pytest.raises(QueryError, match=rf"query t: --param {param}=.* is not a valid") as info:
        q.bind(values)
    assert repr(value) in str(info.value)


def test_bind_missing_required() -> None:
    with pytest.raises(QueryError, match=r"missing parameter --param who=\.\.\. \(the entity\)"):
        NamedQuery.parse("t", HEADER).bind({"n": "3"})


def test_bind_unknown_parameter() -> None:
    with pytest.raises(QueryError, match="unknown parameter 'colour'; it takes amount, flag"):
        NamedQuery.parse("t", HEADER).bind({"who": "urn:x:1", "colour": "red"})


def test_get_named_unknown_lists_available() -> None:
    with pytest.raises(QueryError, match="--named nope: no such query; available: ") as info:
        get_named("nope")
    for name in SHIPPED:
        assert name in str(info.value)


def test_extra_queries_folder_adds_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "mine.rq").write_text("# title: Mine\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n")
    (tmp_path / "entities.rq").write_text("# title: Overridden\nSELECT * {}\n")
    queries = named_queries([tmp_path])
    assert queries["mine"].title == "Mine"
    assert queries["entities"].title == "Overridden"
    assert set(SHIPPED) <= set(queries)
    with pytest.raises(QueryError, match="not a folder"):
        named_queries([tmp_path / "missing"])


# --------------------------------------------------------------------------- values and rows


def test_python_value_conversions() -> None:
    def lit(value: str, dt: str) -> ox.Literal:
        return ox.Literal(value, datatype=ox.NamedNode(str(namespace.XSD) + dt))

    assert python_value(lit("42", "integer")) == 42
    assert python_value(lit("7", "nonNegativeInteger")) == 7
    assert python_value(lit("2.0", "decimal")) == 2
    assert python_value(lit("0.75", "decimal")) == 0.75
    assert python_value(lit("true", "boolean")) is True
    assert python_value(lit("0", "boolean")) is False
    assert python_value(lit("2023-11-01", "date")) == date(2023, 11, 1)
    assert python_value(lit("not a number", "integer")) == "not a number"
    assert python_value(ox.Literal("Qatar", language="en")) == "Qatar"
    assert python_value(ox.NamedNode(QATAR)) == QATAR
    assert python_value(None) is None


def test_to_term() -> None:
    assert to_term("Egypt") == Literal("Egypt")
    assert to_term(URIRef(QATAR)) == URIRef(QATAR)
    assert to_term(3) == Literal("3", datatype=namespace.XSD.integer)
    assert to_term(True) == Literal(True)
    assert to_term(date(2023, 11, 1)) == Literal("2023-11-01", datatype=namespace.XSD.date)
    with pytest.raises(QueryError, match="cannot bind a value of type list"):
        to_term([1, 2])


def test_rows_to_csv_and_json() -> None:
    rows = Rows(
        [
            {"name": "Qatar", "n": 3, "when": date(2023, 11, 1), "note": 'a, "b"\nc'},
            {"name": "Égypte", "n": None, "when": None, "note": None},
        ],
        ["name", "n", "when", "note"],
    )
    parsed = list(csv.reader(io.StringIO(rows.to_csv())))
    assert parsed == [
        ["name", "n", "when", "note"],
        ["Qatar", "3", "2023-11-01", 'a, "b"\nc'],
        ["Égypte", "", "", ""],
    ]
    tsv = list(csv.reader(io.StringIO(rows.to_csv("\t")), delimiter="\t"))
    assert tsv == parsed
    data = json.loads(rows.to_json())
    assert data == [
        {"name": "Qatar", "n": 3, "when": "2023-11-01", "note": 'a, "b"\nc'},
        {"name": "Égypte", "n": None, "when": None, "note": None},
    ]
    assert "Égypte" in rows.to_json()  # not \\u-escaped


def test_empty_rows_keep_their_header() -> None:
    rows = Rows([], ["a", "b"])
    assert rows.to_csv() == "a,b\n"
    assert json.loads(rows.to_json()) == []


def test_run_result_kinds() -> None:
    store = GraphStore.memory()
    store.add_triples([(URIRef(QATAR), URIRef("urn:p"), Literal("x"))])
    rows = run(store, "SELECT ?s ?missing WHERE { ?s ?p ?o OPTIONAL { ?s <urn:q> ?missing } }")
    assert isinstance(rows, Rows)
    assert rows.columns == ["s", "missing"] and rows == [{"s": QATAR, "missing": None}]
    assert run(store, "ASK { ?s ?p ?o }") is True
    assert run(store, "ASK { ?s ?p 'y' }") is False
    triples = run(store, "CONSTRUCT { ?s <urn:r> ?o } WHERE { ?s ?p ?o }")
    assert triples == [(QATAR, "urn:r", "x")]


# --------------------------------------------------------------------------- on the sample store


@pytest.mark.slow
@pytest.mark.parametrize("name", SHIPPED)
def test_every_named_query_runs_with_documented_columns(graph: KnowledgeGraph, name: str) -> None:
    nq = get_named(name)
    params = {p.name: REQUIRED_VALUES[p.name] for p in nq.params if p.required}
    result = run(graph.store, nq.sparql, nq.bind(params))
    assert isinstance(result, Rows)
    assert result.columns == documented_columns(nq)
    assert len(result) > 0, f"{name} finds nothing in the sample corpus"
    for row in result:
        assert list(row) == result.columns


@pytest.mark.slow
@pytest.mark.parametrize("name", SHIPPED)
def test_pages_of_every_named_query_tile_its_rows(graph: KnowledgeGraph, name: str) -> None:
    nq = get_named(name)
    params = {p.name: REQUIRED_VALUES[p.name] for p in nq.params if p.required}
    every = graph.named_query(name, **params)
    size = max(1, len(every) // 3)
    pages = [
        graph.named_query(name, limit=size, offset=offset, **params)
        for offset in range(0, len(every) + size, size)
    ]
    assert all(len(page) <= size for page in pages) and pages[-1] == []
    assert [row for page in pages for row in page] == list(every)
    assert all(page.columns == every.columns for page in pages)


@pytest.mark.slow
def test_real_events_count_the_articles_reporting_one_event(graph: KnowledgeGraph) -> None:
    """The sample corpus reports the opening of the crossing on 1 November in two articles
    from two publishers: one real-world event, two independent sources."""
    rows = graph.named_query("real-events")
    assert rows and rows[0]["eventType"] == "Opening"
    assert str(rows[0]["day"]) == "2023-11-01"
    assert rows[0]["articles"] >= 2 and rows[0]["publishers"] >= 2
    assert "Rafah Border Crossing" in rows[0]["participants"]
    for row in rows:
        assert row["reports"] >= row["articles"] >= 1


@pytest.mark.slow
def test_mediations_finds_qatar(graph: KnowledgeGraph) -> None:
    rows = graph.named_query("mediations")
    assert rows
    assert {r["mediatorLabel"] for r in rows} == {"Qatar"}
    assert {r["mediator"] for r in rows} == {QATAR}
    agreement = [r for r in rows if r["eventType"] == "Agreement" and r["parties"]]
    assert agreement and agreement[0]["coordinators"] == "United States"
    assert set(agreement[0]["parties"].split(", ")) == {"Egypt", "Israel", "Hamas"}


@pytest.mark.slow
def test_mediations_lists_only_the_events_own_parties_and_coordinators(
    graph: KnowledgeGraph,
) -> None:
    """Regression: an event without coordinators got every label in the store."""
    for row in graph.named_query("mediations"):
        for column, role in (("parties", "kg:party"), ("coordinators", "kg:inCoordinationWith")):
            own = {
                r["l"]
                for r in graph.query(
                    f"SELECT ?l WHERE {{ ?e {role} ?x . ?x rdfs:label ?l }}",
                    e=URIRef(row["event"]),
                )
            }
            listed = set(row[column].split(", ")) if row[column] else set()
            assert listed <= own, (row["event"], column, listed - own)


@pytest.mark.slow
def test_mediations_filtered_by_mediator(graph: KnowledgeGraph) -> None:
    rows = graph.named_query("mediations", mediator=QATAR)
    assert rows and {r["mediator"] for r in rows} == {QATAR}
    other = graph.named_query("mediations", mediator="https://w3id.org/kg-news/id/entity/Q79")
    assert other == []


@pytest.mark.slow
def test_disputed_numbers_any_topic_lists_the_conflicting_figures(graph: KnowledgeGraph) -> None:
    rows = graph.named_query("disputed-numbers", topic=".")
    values = [r["value"] for r in rows]
    assert values == sorted(values)
    assert {81, 88, 90} <= set(values)
    by_value = {r["value"]: r for r in rows if r["value"] in {81, 88, 90}}
    for row in by_value.values():
        assert row["headline"] == "Ambulances carry wounded Palestinians into Egypt"
        assert row["publisher"] == "Northgate Wire Service"
        assert row["published"] == date(2023, 11, 1)
    assert by_value[90]["qualifier"] == "approximate"
    assert by_value[81]["credited"] == "Egypt"


@pytest.mark.slow
def test_disputed_numbers_medical_topic(graph: KnowledgeGraph) -> None:
    rows = graph.named_query("disputed-numbers", topic="wounded|sick|patients|care|hospital")
    assert [r["value"] for r in rows] == [81, 88, 90]
    assert [r["credited"] for r in rows] == ["Egypt", "Palestinian officials", "health officials"]
    assert len({r["claim"] for r in rows}) == 3


@pytest.mark.slow
def test_disputed_numbers_topic_is_case_insensitive(graph: KnowledgeGraph) -> None:
    lower = graph.named_query("disputed-numbers", topic="patients")
    upper = graph.named_query("disputed-numbers", topic="PATIENTS")
    assert [r["value"] for r in lower] == [r["value"] for r in upper] == [88]


@pytest.mark.slow
def test_entities_type_filter(graph: KnowledgeGraph) -> None:
    rows = graph.named_query("entities", type="https://schema.org/Person")
    assert {r["label"] for r in rows} >= {"Joe Biden", "John Kirby"}
    assert {r["type"] for r in rows} == {"https://schema.org/Person"}


@pytest.mark.slow
def test_query_binds_str_as_plain_literal(graph: KnowledgeGraph) -> None:
    # Labels are language-tagged, so a plain string does not equal them ...
    assert graph.query("SELECT ?e WHERE { ?e rdfs:label ?name }", name="Qatar") == []
    # ... but it does inside a FILTER comparing the string value.
    rows = graph.query("SELECT ?e WHERE { ?e rdfs:label ?l FILTER(STR(?l) = ?name) }", name="Qatar")
    assert rows == [{"e": QATAR}]
    rows = graph.query("SELECT ?e WHERE { ?e rdfs:label ?name }", name=Literal("Qatar", lang="en"))
    assert rows == [{"e": QATAR}]


@pytest.mark.slow
def test_query_binds_uriref_as_iri(graph: KnowledgeGraph) -> None:
    sparql = "SELECT ?l WHERE { ?e rdfs:label ?l }"
    assert graph.query(sparql, e=URIRef(QATAR)) == [{"l": "Qatar"}]
    assert graph.query(sparql, e=QATAR) == []  # a str is a literal, never an IRI
    assert graph.query("ASK { ?e a ?t FILTER(?e = ?x) }", x=URIRef(QATAR)) is True


@pytest.mark.slow
def test_query_binding_in_filter_with_numbers(graph: KnowledgeGraph) -> None:
    rows = graph.query(
        "SELECT ?v WHERE { ?c a kg:QuantityClaim ; kg:value ?v FILTER(?v > ?min && ?v < ?max) }"
        " ORDER BY ?v",
        min=80,
        max=100,
    )
    assert [r["v"] for r in rows] == [81, 88, 90]


@pytest.mark.slow
def test_query_syntax_error_is_query_error(graph: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        graph.query("SELECT ?x WHERE { ?x ?y }")


@pytest.mark.slow
def test_cli_query_timeout_stops_a_runaway_query(sample_store: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(
        main,
        [
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            "--store",
            str(sample_store),
            "--timeout",
            "0.5",
        ],
    )
    assert result.exit_code == 2
    assert "timed out after 0.5 s" in result.output


def test_rows_to_dataframe_needs_pandas_or_gives_a_frame() -> None:
    rows = Rows([{"a": 1, "b": "x"}], ["a", "b"])
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(QueryError, match="kg\\[pandas\\]"):
            rows.to_dataframe()
    else:
        frame = rows.to_dataframe()
        assert list(frame.columns) == ["a", "b"] and frame.iloc[0]["b"] == "x"


@pytest.mark.slow
def test_label_parameters_match_ignoring_case_only_when_no_label_matches_exactly(
    graph: KnowledgeGraph,
) -> None:
    nq = get_named("timeline")
    assert nq.labels == ["name"]
    assert nq.bind({"name": "Egypt"})["name"] == Literal("Egypt", lang="en")
    exact = run(graph.store, nq.sparql, nq.bind({"name": "Egypt"}), labels=nq.labels)
    folded = run(graph.store, nq.sparql, nq.bind({"name": "eGYPT"}), labels=nq.labels)
    assert isinstance(exact, Rows) and len(exact) > 0
    assert folded == exact
    # without the label rule the look-up is exact
    assert run(graph.store, nq.sparql, nq.bind({"name": "eGYPT"})) == []
    assert graph.named_query("timeline", name="egypt") == exact


def test_a_regex_parameter_is_checked_by_the_engine_that_runs_it() -> None:
    """Oxigraph runs the query (Rust's regex syntax): a look-ahead Python accepts would make
    the filter fail on every row; a Unicode class Python refuses is fine."""
    from kg.query import NamedQuery

    nq = NamedQuery.parse(
        "t",
        "# title: t\n# param: topic regex required  a pattern\n"
        "SELECT ?l WHERE { ?x rdfs:label ?l FILTER(REGEX(?l, ?topic)) }",
    )
    with pytest.raises(QueryError, match="cannot compile it"):
        nq.bind({"topic": "wound(?=ed)"})
    assert nq.bind({"topic": r"\p{L}ounded"})


def test_an_iri_parameter_may_be_a_prefixed_name() -> None:
    from kg.query import NamedQuery

    nq = NamedQuery.parse(
        "t",
        "# title: t\n# param: type iri required  a class\nSELECT ?x WHERE { ?x a ?type }",
    )
    assert str(nq.bind({"type": "kg:Opening"})["type"]) == (
        "https://w3id.org/kg-news/ontology#Opening"
    )
    assert str(nq.bind({"type": "https://schema.org/Person"})["type"]) == (
        "https://schema.org/Person"
    )
