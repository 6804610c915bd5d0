"""scripts/bench_queries.py: the query benchmark runs end to end on a small store.

The benchmark itself (a million quads of Reuters) is run by hand; these tests only check
that the script builds a store, times every named query on both engines and reports them.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from kg.query import named_queries
from kg.resources import QUERIES_DIR, SAMPLE_DIR, ontology_dir

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench_queries.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_queries", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_queries", module)
    spec.loader.exec_module(module)
    return module


bench = load_script()


def test_reuters_dates_and_publisher() -> None:
    record = bench.reuters_record(
        {"newid": 7, "date": "26-FEB-1987 15:01:01.79", "title": "T", "body": "x"}
    )
    assert record["date"] == "1987-02-26"
    assert record["publisher"] == "Reuters"
    assert bench.reuters_iso_date("31-FEB-1987 00:00:00.00") is None
    assert bench.reuters_record({"date": "2023-11-01", "source": "AP"})["date"] == "2023-11-01"


def test_reuters_jsonl_becomes_documents(tmp_path: Path) -> None:
    corpus = tmp_path / "r.jsonl"
    lines = [
        {"newid": 1, "date": "2-MAR-1987 10:00:00.00", "title": "A", "body": "Qatar said " * 5},
        {"newid": 2, "date": "2-MAR-1987 10:00:00.00", "title": "no body"},
        {"newid": 3, "date": "3-MAR-1987 10:00:00.00", "title": "B", "body": "Egypt said " * 5},
    ]
    corpus.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    docs = list(bench.read_jsonl_documents(corpus, None))
    assert [(d.external_id, d.published.isoformat(), d.publisher) for d in docs] == [
        ("1", "1987-03-02", "Reuters"),
        ("3", "1987-03-03", "Reuters"),
    ]
    assert len(list(bench.read_jsonl_documents(corpus, 1))) == 1


@pytest.mark.slow
def test_benchmark_runs_end_to_end_on_the_sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, out = tmp_path / "store", tmp_path / "bench.json"
    code = bench.main(
        [
            "--store",
            str(store),
            "--corpus",
            str(SAMPLE_DIR),
            "--repeat",
            "1",
            "--rdflib-timeout",
            "20",
            "--oxigraph-timeout",
            "20",
            "--json",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["build"]["articles"] >= 4 and report["store"]["quads"] > 1000
    by_name = {q["name"]: q for q in report["queries"]}
    widest = {name for name in by_name if " (" not in name}
    assert widest == set(named_queries())
    # queries with optional parameters also run narrowed to their most frequent value
    narrowed = {name.split(" (")[0] for name in by_name if " (" in name}
    assert {"events", "entities"} <= narrowed
    for name, q in by_name.items():
        assert q["oxigraph_median_ms"] is not None, (name, q["oxigraph"]["error"])
        # both engines were asked; rdflib may reject a query, but then it says why
        assert q["rdflib_median_ms"] is not None or q["rdflib"]["error"], name
        assert f"| {name} |" in printed
    assert by_name["sources-per-event"]["oxigraph"]["rows"] > 0
    assert (
        by_name["sources-per-event"]["rdflib"]["rows"]
        == by_name["sources-per-event"]["oxigraph"]["rows"]
    )
    assert by_name["timeline"]["params"]["name"]  # a required parameter got a real value
    engines = {load["engine"] for load in report["loads"]}
    assert any("rdflib" in e for e in engines) and any("Oxigraph" in e for e in engines)
    assert all(load["quads_per_s"] for load in report["loads"])
    assert "quads/s" in printed and "Targets" in printed


def bench_on_a_copy(tmp_path: Path, sample_store: Path, *args: str) -> list[dict[str, Any]]:
    """Run the benchmark with ``args`` on a copy of the sample store; its JSON query results."""
    store, out = tmp_path / "store", tmp_path / "bench.json"
    shutil.copytree(sample_store, store)
    assert bench.main(["--store", str(store), *args, "--json", str(out)]) == 0
    queries: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))["queries"]
    return queries


@pytest.mark.slow
def test_capped_rdflib_runs_are_reported_as_a_bound(tmp_path: Path, sample_store: Path) -> None:
    query, *narrowed = bench_on_a_copy(
        tmp_path,
        sample_store,
        *["--query", "sources-per-event", "--repeat", "2", "--rdflib-timeout", "0.001"],
    )
    assert query["name"] == "sources-per-event"
    assert all(q["name"].startswith("sources-per-event (") for q in narrowed)
    assert query["rdflib"]["capped"] and query["ratio_bound"] == ">="
    assert query["rdflib"]["runs_ms"] == [1.0]  # one capped run, then the budget is spent


def test_sources_per_event_scans_every_subject_role_of_the_ontology() -> None:
    """The query's VALUES list of roles must cover every kg:subjectRole the ontology uses."""
    from rdflib import Graph, URIRef

    kg_ns = "https://w3id.org/kg-news/ontology#"
    ontology = Graph().parse(ontology_dir() / "kg.ttl", format="turtle")
    used = {str(o) for o in ontology.objects(None, URIRef(kg_ns + "subjectRole"))}
    text = (QUERIES_DIR / "sources-per-event.rq").read_text(encoding="utf-8")
    values = re.search(r"VALUES \?roleProp \{([^}]*)\}", text)
    assert values, "sources-per-event.rq lost its VALUES ?roleProp list"
    listed = {kg_ns + name for name in re.findall(r"kg:(\w+)", values[1])}
    assert used <= listed, sorted(used - listed)


def test_missing_store_without_corpus_exits_2(tmp_path: Path) -> None:
    code = bench.main(["--store", str(tmp_path / "s"), "--corpus", str(tmp_path / "none.jsonl")])
    assert code == 2


@pytest.mark.slow
def test_page_times_the_first_rows_of_each_widest_query(tmp_path: Path, sample_store: Path) -> None:
    queries = bench_on_a_copy(
        tmp_path,
        sample_store,
        *["--query", "entities", "--repeat", "1", "--page", "3", "--rdflib-timeout", "20"],
    )
    by_name = {q["name"]: q for q in queries}
    page = by_name["entities (first 3 rows)"]
    assert page["sparql"].rstrip().endswith("LIMIT 3")
    assert page["oxigraph"]["rows"] == 3 == page["rdflib"]["rows"]
    assert by_name["entities"]["oxigraph"]["rows"] > 3


def test_floor_times_the_bare_joins_on_oxigraph_alone(
    tmp_path: Path, sample_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    assert bench.main(["--store", str(store), "--floor", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "## Engine floor" in out and "rdflib" not in out
    rows = [line for line in out.splitlines() if line.startswith("| every event")]
    assert len(rows) == 2
    assert rows[0].split("|")[2].strip() == "53"  # the sample's events
