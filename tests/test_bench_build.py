"""scripts/bench_build.py: the build benchmark runs end to end on a tiny corpus.

The benchmark itself (2,000 Reuters articles, and the full corpus for peak RSS) is run by
hand; this test only checks that every run is timed and reported.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench_build.py"

ARTICLES = [
    (
        "Port reopens after storm",
        "The harbour authority in Lisbon said on Monday that the port "
        "had reopened after a storm closed it for two days. Ships waiting offshore began to dock.",
    ),
    (
        "Council approves budget",
        "The city council of Porto approved a budget of 40 million euros "
        "on Tuesday. The mayor said the money would pay for new schools and bus lanes.",
    ),
    (
        "Wheat harvest falls",
        "Farmers in Kansas harvested less wheat this year than last, the "
        "state agriculture office said. Dry weather in the spring cut yields by about ten percent.",
    ),
    (
        "Bank raises rates",
        "The central bank of Norway raised its main interest rate by a quarter "
        "point on Thursday, citing prices that rose faster than expected.",
    ),
    (
        "Talks resume in Geneva",
        "Negotiators from both countries met again in Geneva on Friday. "
        "A spokesman for the United Nations said the talks were constructive.",
    ),
    (
        "Airline orders jets",
        "A Canadian airline ordered twelve new jets from a European maker, "
        "the company said in a statement. Deliveries are due to start in two years.",
    ),
    (
        "Mine workers strike",
        "About 3,000 workers at a copper mine in Chile went on strike on "
        "Wednesday over pay. The owner said production had stopped at the site.",
    ),
    (
        "Coffee exports rise",
        "Coffee exports from Brazil rose 8 percent in March compared with a "
        "year earlier, the exporters' association reported in Sao Paulo.",
    ),
    (
        "Bridge opens to traffic",
        "A new bridge over the Danube opened to traffic in Budapest on "
        "Sunday. Officials said it would cut travel times across the city.",
    ),
    (
        "Oil output steady",
        "Oil production in the North Sea stayed steady last month, according to "
        "figures published by the energy ministry in London on Monday.",
    ),
]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_build", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_build", module)
    spec.loader.exec_module(module)
    return module


bench = load_script()


def write_corpus(folder: Path) -> Path:
    corpus = folder / "tiny.jsonl"
    lines = [
        {"newid": i, "date": "2-MAR-1987 10:00:00.00", "title": title, "body": body}
        for i, (title, body) in enumerate(ARTICLES, 1)
    ]
    corpus.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    return corpus


def test_missing_corpus_exits_2(tmp_path: Path) -> None:
    assert bench.main(["--corpus", str(tmp_path / "none.jsonl"), "--skip-dask"]) == 2


def test_the_benchmark_reruns_itself_with_the_workers_thread_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From the command line, the in-process baselines must parse with one BLAS thread like
    kg's workers: the script executes itself again with those variables, once."""
    calls: list[tuple[str, list[str], dict[str, str]]] = []
    monkeypatch.setattr(bench.os, "execve", lambda *a: calls.append(a))
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    bench.same_threads_as_the_workers(None)
    assert len(calls) == 1
    executable, args, env = calls[0]
    assert executable == sys.executable and args[0] == sys.executable
    assert env["OMP_NUM_THREADS"] == "1" and env["OPENBLAS_NUM_THREADS"] == "1"
    for name in bench.WORKER_ENVIRONMENT:  # already set: nothing to do
        monkeypatch.setenv(name, "1")
    bench.same_threads_as_the_workers(None)
    monkeypatch.delenv("OMP_NUM_THREADS")
    bench.same_threads_as_the_workers([])  # called with arguments (tests): never re-executed
    assert len(calls) == 1


@pytest.mark.slow
def test_benchmark_runs_end_to_end_on_a_tiny_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, out = write_corpus(tmp_path), tmp_path / "bench.json"
    words = sum(len(body.split()) for _, body in ARTICLES)
    # batch size 2: five batches, so --workers 2 really starts two worker processes
    code = bench.main(
        ["--corpus", str(corpus), "--limit", "10", "--batch-size", "2", "--skip-dask",
         "--json", str(out)]
    )  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    for row in (
        "spaCy `spacy.load` (bare model, reference)",
        "spaCy `load_pipeline` + kg components (baseline, ceiling)",
        "kg build --workers 1 — wall, incl. start-up",
        "kg build --workers 1 — excl. start-up (estimate)",
        "kg build --workers 2 — wall, incl. start-up",
        "kg build --workers 2 — excl. start-up (estimate)",
    ):
        assert f"| {row} | " in printed, row
    assert "kg build --dask" not in printed
    assert "### Time per stage" in printed and "### Machine" in printed
    assert "BLAS/OpenMP threads of this process" in printed
    assert printed.count(" PASS |") + printed.count(" FAIL |") == 4

    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["articles"] == 10 and report["words"] == words
    runs = {r["name"]: r for r in report["kg_runs"]}
    assert set(runs) == {"kg build --workers 1", "kg build --workers 2"}
    for run in runs.values():
        assert run["added"] == 10 and run["problems"] == 0
        assert run["words"] == words
        assert set(run["seconds"]) >= {"parse", "extract", "resolve", "map", "store", "total"}
        assert run["seconds"]["parse"] > 0
    assert runs["kg build --workers 2"]["workers"] == 2
    baseline = next(r for r in report["rows"] if r["kind"] == "baseline")
    assert baseline["words"] == words and baseline["seconds"] > 0


@pytest.mark.slow
def test_full_rss_measures_the_process_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, out = write_corpus(tmp_path), tmp_path / "bench.json"
    code = bench.main(
        ["--corpus", str(corpus), "--rss-only", "--batch-size", "2", "--json", str(out)]
    )
    printed = capsys.readouterr().out
    assert code == 0
    rss = json.loads(out.read_text(encoding="utf-8"))["rss"]
    assert rss["exit_code"] == 0, rss["summary"]
    assert "10 article(s) added" in rss["summary"]
    assert rss["samples"] >= 1 and rss["peak_processes"] >= 2  # kg and its two workers
    assert 0 < rss["peak_single_rss"] <= rss["peak_sum_rss"]
    assert rss["wait4_maxrss"] > 0
    assert "### Peak RSS of the full build" in printed
