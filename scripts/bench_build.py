#!/usr/bin/env python3
"""Benchmark the build: kg's throughput against plain spaCy on the same text, in one run.

On the first ``--limit`` articles of a corpus (by default Reuters-21578 in ``../shared/eval/``,
read once through kg's own reader, duplicate texts dropped) it times, in this order:

* ``spacy.load(model)``: the bare model, for reference;
* the baseline (the ceiling): ``load_pipeline(model).pipe(texts, batch_size=...)``, the same
  model with kg's components (paragraph breaks, gazetteer, entity consistency) on the very
  strings kg's model reads (``kg.pipeline.nlp_text``: metadata masked, capital lines re-cased,
  prepared before the clock starts);
* the same pipeline with the model's own ``attribute_ruler`` and ``lemmatizer`` instead of
  kg's table versions (``load_pipeline(model, table_components=False)``), for reference: what
  ``kg_attribute_rules`` and ``kg_lemmatizer`` gain, with the same annotations;
* the baseline in two processes, ``nlp.pipe(texts, n_process=2)``: spaCy's own
  multiprocessing, start-up included, for reference: what two parsing processes give on this
  machine, against which the scaling of ``--workers 2`` can be judged;
* ``kg build --workers 1``, ``--workers 2`` and ``--dask local:2``: each builds the same
  ``Document`` objects into a fresh in-memory store (``KnowledgeGraph(memory=True)``,
  ``add_documents``), in this process: the rows are named after the ``kg build`` options they
  correspond to.

The pipelines are loaded and warmed up before they are timed, so the baselines and the
``--workers 1`` run (which reuses this process's loaded model) exclude model load time.  The
``--workers 2`` and Dask runs load the model in their worker processes (and start the cluster)
inside the timed build: their "wall" row includes that start-up.  Their "excl. start-up" row is
an estimate: the words stored after the first ``k`` batches (``k`` = the number of parallel
workers, whose first batches were all under way during start-up) divided by the time from the
first stored article to the end.  It leaves out a little work done after the first article
arrived, so it errs low.  The same estimate is made for ``--workers 1``, and the scaling targets
are checked wall against wall and estimate against estimate.

Each row also gives the CPU seconds (user + system) of this process and of the worker processes
it reaped during the run.  On a busy machine wall times mostly measure the competition; CPU
seconds do not, so words per CPU second show what each setup costs.  ``--repeat N`` runs the
in-process rows (the spaCy pipelines and ``--workers 1``) N times, interleaved, and keeps the
fastest of each.

Targets: ``--workers 1`` >= 0.90x the baseline; ``--workers 2`` >= 1.8x ``--workers 1``; Dask
``local:2`` >= 1.7x ``--workers 1``; peak RSS of the full build (``--full-rss``: ``kg build
CORPUS --workers 2`` into a temporary store, in a subprocess) <= 1.5 GB, summed over the process
and its workers.

Usage::

    .venv/bin/python scripts/bench_build.py [--corpus FILE] [--limit 2000] [--batch-size 32]
        [--skip-dask] [--repeat 1] [--full-rss] [--rss-only] [--json out.json]

This is a measurement, not a test: it exits 0 whatever the numbers, 2 when the corpus is
missing or holds no article.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from kg.graph import KnowledgeGraph
from kg.ingest import read_documents
from kg.model import Document
from kg.nlp import DEFAULT_MODEL, load_pipeline
from kg.pipeline import WORKER_ENVIRONMENT, BuildReport, nlp_text, unset_worker_environment
from kg.store import GraphStore

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS: Final = REPO_ROOT.parent / "shared" / "eval" / "reuters21578" / "reuters21578.jsonl"
STAGES: Final = ("parse", "extract", "resolve", "map", "store")
TARGET_W1_VS_BASELINE: Final = 0.90
TARGET_W2_VS_W1: Final = 1.8
TARGET_DASK_VS_W1: Final = 1.7
TARGET_RSS_BYTES: Final = 1.5e9
SAMPLE_EVERY_S: Final = 0.5
MIB: Final = 1024 * 1024


# ---------------------------------------------------------------------------- results
@dataclass
class Row:
    """One line of the results table."""

    run: str
    words: int
    seconds: float
    kind: str
    """``baseline``, ``reference``, ``wall`` (incl. start-up) or ``steady`` (excl. start-up)."""
    note: str = ""
    vs_baseline: float | None = None
    vs_w1: float | None = None
    target: str = ""
    passed: bool | None = None
    cpu_s: float | None = None
    """CPU seconds (user + system) of this process and the children it reaped meanwhile."""

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0


@dataclass
class KgRun:
    """One kg build: its report's numbers plus the write times seen by the store."""

    name: str
    requested: int
    workers: int
    """Processes that parsed in parallel (after kg's own clamp), or Dask workers."""
    dask: str | None
    wall_s: float
    cpu_s: float
    """CPU seconds of this process and its reaped children (pool / Dask workers) in the run."""
    words: int
    added: int
    problems: int
    seconds: dict[str, float]
    first_write_s: float | None
    """Seconds from the start of the build to the first article written."""
    steady_words: int
    steady_s: float | None

    @property
    def steady_words_per_s(self) -> float | None:
        if self.steady_s is None or self.steady_s <= 0 or self.steady_words <= 0:
            return None
        return self.steady_words / self.steady_s


@dataclass
class RssResult:
    command: list[str]
    exit_code: int
    wall_s: float
    samples: int
    peak_sum_rss: int
    """Bytes: the largest sum of RSS over the kg process and all its descendants at one sample."""
    peak_single_rss: int
    """Bytes: the largest RSS of one process of the tree at one sample."""
    peak_single_what: str
    peak_sum_pss: int | None
    """Bytes: the same sum in PSS (shared pages split between the processes), if readable."""
    peak_processes: int
    wait4_maxrss: int
    """Bytes: ``ru_maxrss`` of the kg child from ``wait4`` (the largest single process of its
    tree that was reaped: the kernel's own peak, not sampled)."""
    rusage_children_maxrss: int
    """Bytes: ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of this process right after the build
    (every child this process reaped so far)."""
    summary: str
    passed: bool = False


@dataclass
class Results:
    corpus: str
    limit: int
    batch_size: int
    model: str
    articles: int = 0
    words: int = 0
    skipped_duplicates: int = 0
    read_problems: int = 0
    text_prep_s: float = 0.0
    load_s: dict[str, float] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    kg_runs: list[KgRun] = field(default_factory=list)
    rss: RssResult | None = None
    machine: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------- the text
def load_documents(corpus: Path, limit: int) -> tuple[list[Document], int, int]:
    """The first ``limit`` articles with distinct texts, through kg's reader; also how many
    duplicates were dropped and how many records could not be read."""
    problems: list[str] = []
    seen: set[str] = set()
    documents: list[Document] = []
    duplicates = 0
    for document in read_documents([corpus], lambda exc: problems.append(str(exc))):
        if len(documents) >= limit:
            break
        if document.id in seen:  # kg would skip it: every run gets the same distinct texts
            duplicates += 1
            continue
        seen.add(document.id)
        documents.append(document)
    return documents, duplicates, len(problems)


def count_words(documents: Sequence[Document]) -> int:
    """Words as ``BuildReport.words`` counts them."""
    return sum(len(d.text.split()) for d in documents)


# ---------------------------------------------------------------------------- baselines
def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of every child it has reaped."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_pipe(
    nlp: Any, texts: Sequence[str], batch_size: int, n_process: int = 1
) -> tuple[float, float]:
    """Wall and CPU seconds to run ``nlp.pipe`` over ``texts`` and consume every doc (with
    ``n_process`` > 1, spaCy's own multiprocessing: the processes start, load the model and
    send every doc back inside the timed run)."""
    entities = 0
    cpu = cpu_seconds()
    started = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        entities += len(doc.ents)
    return time.perf_counter() - started, cpu_seconds() - cpu


def warm_up(nlp: Any, texts: Sequence[str], batch_size: int) -> None:
    for _ in nlp.pipe(texts[:batch_size], batch_size=batch_size):
        pass


# ---------------------------------------------------------------------------- kg runs
class TimedStore(GraphStore):
    """An in-memory store that notes when each article is written (build order = input order)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writes: list[float] = []

    def add_quads(self, quads: Any) -> None:
        self.writes.append(time.perf_counter())
        super().add_quads(quads)


def effective_workers(workers: int, articles: int, batch_size: int) -> int:
    """The number of processes ``kg.pipeline.build`` really uses (it clamps small inputs)."""
    return max(1, min(workers, articles // batch_size))


def dask_workers(address: str) -> int:
    if address.startswith("local:"):
        return int(address.split(":", 1)[1])
    return os.cpu_count() or 1


def run_kg(
    name: str,
    documents: list[Document],
    model: str,
    batch_size: int,
    workers: int = 1,
    dask: str | None = None,
) -> KgRun:
    """Build ``documents`` into a fresh in-memory store and time it."""
    graph = KnowledgeGraph(memory=True, model=model)
    graph.store.close()
    store = TimedStore.memory()
    assert isinstance(store, TimedStore)
    graph.store = store
    parallel = (
        dask_workers(dask) if dask else effective_workers(workers, len(documents), batch_size)
    )
    try:
        cpu = cpu_seconds()
        started = time.perf_counter()
        report: BuildReport = graph.add_documents(
            documents, workers=workers, batch_size=batch_size, dask=dask
        )
        ended = time.perf_counter()
        cpu = cpu_seconds() - cpu
    finally:
        graph.close()
    first = store.writes[0] if store.writes else None
    # The first `parallel` batches were all being worked on during start-up: leave them out.
    head = count_words(documents[: parallel * batch_size])
    return KgRun(
        name=name,
        requested=workers,
        workers=parallel,
        dask=dask,
        wall_s=ended - started,
        cpu_s=cpu,
        words=report.words,
        added=len(report.added),
        problems=len(report.problems),
        seconds=dict(report.seconds),
        first_write_s=None if first is None else first - started,
        steady_words=max(0, report.words - head),
        steady_s=None if first is None else ended - first,
    )


# ---------------------------------------------------------------------------- peak RSS
def load_psutil() -> Any:
    """The psutil module, or None when it is not installed."""
    try:
        import psutil  # type: ignore[import-untyped]
    except ImportError:
        return None
    return psutil


def kg_command() -> list[str]:
    script = Path(sys.executable).parent / "kg"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]


def measure_full_rss(corpus: Path, batch_size: int, workers: int = 2) -> RssResult:
    """``kg build CORPUS --workers N`` into a temporary store in a subprocess, its process
    tree's RSS sampled every half second with psutil."""
    psutil = load_psutil()
    if psutil is None:
        raise SystemExit("bench_build: --full-rss needs psutil (pip install psutil)")
    with tempfile.TemporaryDirectory(prefix="kg-bench-build-") as tmp:
        store = Path(tmp) / "store"
        command = [
            *kg_command(),
            "build",
            str(corpus),
            "--store",
            str(store),
            "--workers",
            str(workers),
            "--batch-size",
            str(batch_size),
        ]
        log_path = Path(tmp) / "stderr.txt"
        peak_sum = peak_single = peak_procs = samples = 0
        peak_pss: int | None = None
        peak_what = ""
        with log_path.open("wb") as log:
            started = time.perf_counter()
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
            root = psutil.Process(child.pid)
            while True:
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                try:
                    tree = [root, *root.children(recursive=True)]
                except psutil.NoSuchProcess:
                    tree = []
                total = pss = 0
                pss_ok = True
                alive = 0
                for i, proc in enumerate(tree):
                    try:
                        rss = proc.memory_info().rss
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        continue
                    alive += 1
                    total += rss
                    if rss > peak_single:
                        peak_single = rss
                        peak_what = "kg main process" if i == 0 else f"child pid {proc.pid}"
                    try:
                        pss += getattr(proc.memory_full_info(), "pss", 0)
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        pss_ok = False
                if alive:
                    samples += 1
                    peak_procs = max(peak_procs, alive)
                    peak_sum = max(peak_sum, total)
                    if pss_ok and pss:
                        peak_pss = max(peak_pss or 0, pss)
                time.sleep(SAMPLE_EVERY_S)
            wall = time.perf_counter() - started
            child.returncode = os.waitstatus_to_exitcode(status)
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        summary = next((line for line in reversed(lines) if "article(s) added" in line), "")
        if not summary and lines:
            summary = lines[-1]
    return RssResult(
        command=command,
        exit_code=child.returncode,
        wall_s=wall,
        samples=samples,
        peak_sum_rss=peak_sum,
        peak_single_rss=peak_single,
        peak_single_what=peak_what,
        peak_sum_pss=peak_pss,
        peak_processes=peak_procs,
        wait4_maxrss=usage.ru_maxrss * 1024,  # Linux reports kilobytes
        rusage_children_maxrss=children * 1024,
        summary=summary.removeprefix("kg: "),
        passed=0 < peak_sum <= TARGET_RSS_BYTES,
    )


# ---------------------------------------------------------------------------- machine
def machine_facts() -> dict[str, Any]:
    facts: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_start": os.getloadavg(),
        "blas_threads_env": {k: os.environ.get(k) for k in WORKER_ENVIRONMENT},
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                facts["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    psutil = load_psutil()
    if psutil is not None:
        memory = psutil.virtual_memory()
        facts["memory_total_mib"] = memory.total // MIB
        facts["memory_available_mib"] = memory.available // MIB
        facts["busy_processes_start"] = busy_processes(psutil)
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        facts["spacy"] = importlib.metadata.version("spacy")
    return facts


def busy_processes(psutil: Any, interval: float = 1.0, threshold: float = 20.0) -> list[str]:
    """Other processes using more than ``threshold`` % of a core over ``interval`` seconds."""
    mine = os.getpid()
    procs = []
    for proc in psutil.process_iter(["pid", "name", "cmdline"]):
        if proc.pid == mine:
            continue
        try:
            proc.cpu_percent(None)
            procs.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    time.sleep(interval)
    busy = []
    for proc in procs:
        try:
            cpu = proc.cpu_percent(None)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        if cpu >= threshold:
            cmd = " ".join(proc.info.get("cmdline") or [proc.info.get("name") or "?"])
            busy.append(f"{cpu:.0f}% pid {proc.pid}: {cmd[:100]}")
    return busy


# ---------------------------------------------------------------------------- the table
def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def build_rows(
    results: Results,
    bare: tuple[float, float],
    base: tuple[float, float],
    runs: dict[str, KgRun],
    parallel: tuple[float, float] | None = None,
    *,
    stock: tuple[float, float] | None = None,
) -> None:
    """The rows of the table, with ratios and targets; ``bare`` and ``base`` are the wall and
    CPU seconds of the two spaCy pipelines, ``parallel`` those of the baseline pipeline in
    two processes (``nlp.pipe(n_process=2)``), ``stock`` those of the baseline pipeline with
    spaCy's ``attribute_ruler`` and ``lemmatizer`` instead of kg's tables."""
    (bare_s, bare_cpu), (base_s, base_cpu) = bare, base
    words = results.words
    rows = results.rows
    base_rate = words / base_s
    rows.append(
        Row(
            "spaCy `spacy.load` (bare model, reference)",
            words,
            bare_s,
            "reference",
            note="no kg components",
            vs_baseline=words / bare_s / base_rate,
            cpu_s=bare_cpu,
        )
    )
    rows.append(
        Row(
            "spaCy `load_pipeline` + kg components (baseline, ceiling)",
            words,
            base_s,
            "baseline",
            note="model loaded before timing",
            vs_baseline=1.0,
            cpu_s=base_cpu,
        )
    )
    if stock is not None:
        stock_s, stock_cpu = stock
        rows.append(
            Row(
                "spaCy `load_pipeline(table_components=False)` + kg components (reference: "
                "spaCy's `attribute_ruler` and `lemmatizer` instead of kg's table versions)",
                words,
                stock_s,
                "reference",
                note="the same annotations, spaCy's own components",
                vs_baseline=words / stock_s / base_rate,
                cpu_s=stock_cpu,
            )
        )
    w1 = runs.get("w1")
    if parallel is not None:
        par_s, par_cpu = parallel
        rows.append(
            Row(
                "spaCy `load_pipeline` + kg components, `nlp.pipe(n_process=2)` "
                "(reference: what two processes give on this machine)",
                words,
                par_s,
                "reference",
                note="spaCy's own multiprocessing; start-up and model loads inside the run",
                vs_baseline=words / par_s / base_rate,
                vs_w1=ratio(words / par_s, w1.words / w1.wall_s) if w1 else None,
                cpu_s=par_cpu,
            )
        )
    targets = {
        "w1": (f">= {TARGET_W1_VS_BASELINE:.2f}x baseline", TARGET_W1_VS_BASELINE),
        "w2": (f">= {TARGET_W2_VS_W1:.1f}x workers=1", TARGET_W2_VS_W1),
        "dask": (f">= {TARGET_DASK_VS_W1:.1f}x workers=1", TARGET_DASK_VS_W1),
    }
    for key, run in runs.items():
        clamp = "" if run.dask or run.workers == run.requested else f"; kg used {run.workers}"
        wall_rate = run.words / run.wall_s
        w1_wall = w1.words / w1.wall_s if w1 else None
        text, goal = targets[key]
        vs_w1 = None if key == "w1" else ratio(wall_rate, w1_wall)
        vs_base = wall_rate / base_rate
        measured = vs_base if key == "w1" else vs_w1
        rows.append(
            Row(
                f"{run.name} — wall, incl. start-up",
                run.words,
                run.wall_s,
                "wall",
                note=(
                    "model already loaded in this process"
                    if key == "w1"
                    else f"workers load the model inside the timed run{clamp}"
                ),
                vs_baseline=vs_base,
                vs_w1=vs_w1,
                target=text,
                passed=None if measured is None else measured >= goal,
                cpu_s=run.cpu_s,
            )
        )
        steady = run.steady_words_per_s
        if steady is None or run.steady_s is None:
            continue
        w1_steady = w1.steady_words_per_s if w1 else None
        vs_w1 = None if key == "w1" else ratio(steady, w1_steady)
        vs_base = steady / base_rate
        measured = vs_base if key == "w1" else vs_w1
        rows.append(
            Row(
                f"{run.name} — excl. start-up (estimate)",
                run.steady_words,
                run.steady_s,
                "steady",
                note=f"after the first {run.workers} batch(es); first article at "
                f"{run.first_write_s or 0:.1f} s",
                vs_baseline=vs_base,
                vs_w1=vs_w1,
                target=text,
                passed=None if measured is None else measured >= goal,
            )
        )


def fmt_ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}x"


def fmt_pass(value: bool | None) -> str:
    return "" if value is None else ("PASS" if value else "FAIL")


def render(results: Results) -> str:
    out: list[str] = []
    add = out.append
    if results.rows:
        add(
            f"## Build throughput: {results.articles:,} articles, {results.words:,} words "
            f"(batch size {results.batch_size}, model {results.model})"
        )
        add("")
        add(
            f"Corpus: {results.corpus} (the first {results.limit:,} articles with distinct texts, "
            f"read by kg's reader; {results.skipped_duplicates} duplicate text(s) and "
            f"{results.read_problems} unreadable record(s) passed over). Rows are named after the "
            "`kg build` options they match; they run `KnowledgeGraph(memory=True).add_documents` "
            "in this process on the same Document objects."
        )
        add("")
        add(
            "| run | words | seconds | words/s | vs baseline | vs workers=1 | target | result "
            "| CPU s | words/CPU-s | note |"
        )
        add("|---|---:|---:|---:|---:|---:|---|---|---:|---:|---|")
        for r in results.rows:
            cpu = "" if r.cpu_s is None else f"{r.cpu_s:.1f}"
            per_cpu = "" if not r.cpu_s else f"{r.words / r.cpu_s:,.0f}"
            add(
                f"| {r.run} | {r.words:,} | {r.seconds:.2f} | {r.words_per_s:,.0f} | "
                f"{fmt_ratio(r.vs_baseline)} | {fmt_ratio(r.vs_w1)} | {r.target} | "
                f"{fmt_pass(r.passed)} | {cpu} | {per_cpu} | {r.note} |"
            )
        add("")
        add(
            "Wall rows time `add_documents` from call to return (ontology load, reading, "
            "parsing, writing; for workers=2 and Dask also process / cluster start-up and model "
            "loads). Estimate rows: words after the first k batches / time from the first "
            "article written to the end (k = parallel workers); errs low. Scaling targets compare "
            "wall with wall and estimate with estimate. CPU s: user + system seconds of this "
            "process and the worker processes it reaped during the run (all workers' model loads "
            "included); unlike wall time it hardly depends on what else the machine runs, so "
            "words/CPU-s shows the work each setup costs."
        )
        loads = ", ".join(f"{k} {v:.1f} s" for k, v in results.load_s.items())
        add("")
        add(
            f"Not timed: model loads ({loads}); text preparation (mask + re-case, kg's "
            f"`nlp_text`, inside kg's parse timing but prepared in advance for the baseline): "
            f"{results.text_prep_s:.2f} s for all articles."
        )
        for run in results.kg_runs:
            if run.added != results.articles or run.problems:
                add(
                    f"\nNote: {run.name} added {run.added} of {results.articles} articles "
                    f"({run.problems} problem(s))."
                )
        if results.kg_runs:
            add("")
            add("### Time per stage (from `BuildReport.seconds`)")
            add("")
            add(
                "| run | parse | extract | resolve | map | store | other | wall |",
            )
            add("|---|---:|---:|---:|---:|---:|---:|---:|")
            for run in results.kg_runs:
                total = run.seconds.get("total") or run.wall_s
                cells = [
                    f"{run.seconds[s]:.2f} s ({100 * run.seconds[s] / total:.0f}%)" for s in STAGES
                ]
                in_main = ("resolve", "map", "store") if run.workers > 1 or run.dask else STAGES
                other = total - sum(run.seconds[s] for s in in_main)
                cells.append(f"{other:.2f} s ({100 * other / total:.0f}%)")
                add(f"| {run.name} | {' | '.join(cells)} | {total:.2f} s |")
            add("")
            add(
                "Percentages are of the run's wall time. parse and extract are each worker's own "
                "elapsed time summed over the worker processes, so in multi-worker runs they may "
                "add up to more than the wall time (and they grow when the workers and the main "
                "process share the cores). other = wall minus the stages that ran in the main "
                "process: for workers=1 reading, batching, the ontology load (text preparation "
                "is inside parse); for workers=2 / Dask start-up and waiting for workers."
            )
            add("")
            add("| run | " + " | ".join(STAGES) + " |")
            add("|---|" + "---:|" * len(STAGES))
            for run in results.kg_runs:
                stage_sum = sum(run.seconds[s] for s in STAGES) or 1.0
                shares = " | ".join(f"{100 * run.seconds[s] / stage_sum:.1f}%" for s in STAGES)
                add(f"| {run.name} (share of the five stages) | {shares} |")
            w1 = next((r for r in results.kg_runs if r.name.endswith("--workers 1")), None)
            base = next((r for r in results.rows if r.kind == "baseline"), None)
            if w1 is not None and base is not None:
                own = w1.wall_s - base.seconds
                add("")
                add(
                    f"kg's own work at workers=1 (wall minus the baseline's parse): {own:.2f} s = "
                    f"{100 * own / base.seconds:.1f}% of the baseline parse (target <= "
                    f"{100 * (1 / TARGET_W1_VS_BASELINE - 1):.1f}%, i.e. >= "
                    f"{TARGET_W1_VS_BASELINE:.2f}x)."
                )
    if results.rss is not None:
        rss = results.rss
        if out:
            add("")
        add("### Peak RSS of the full build")
        add("")
        add(f"Command: `{' '.join(rss.command)}` (exit code {rss.exit_code}, {rss.wall_s:.0f} s)")
        add(f"Result: {rss.summary}")
        add("")
        add("| measure | MiB | target <= 1.5 GB | result |")
        add("|---|---:|---|---|")
        add(
            f"| peak sum of RSS over the process tree (psutil, every {SAMPLE_EVERY_S} s, "
            f"{rss.samples} samples, up to {rss.peak_processes} processes) | "
            f"{rss.peak_sum_rss / MIB:,.0f} | {TARGET_RSS_BYTES / MIB:,.0f} MiB | "
            f"{fmt_pass(rss.passed)} |"
        )
        if rss.peak_sum_pss is not None:
            add(
                f"| peak sum of PSS over the tree (shared pages split) | {rss.peak_sum_pss / MIB:,.0f} | | |"
            )
        add(
            f"| largest single process (psutil: {rss.peak_single_what}) | "
            f"{rss.peak_single_rss / MIB:,.0f} | | |"
        )
        add(
            f"| ru_maxrss of the kg child (wait4: it and its reaped workers) | {rss.wait4_maxrss / MIB:,.0f} | | |"
        )
        add(
            f"| getrusage(RUSAGE_CHILDREN).ru_maxrss (all children of this script) | "
            f"{rss.rusage_children_maxrss / MIB:,.0f} | | |"
        )
    m = results.machine
    add("")
    add("### Machine")
    add("")
    add(
        f"nproc {m.get('nproc')} (usable {m.get('usable_cpus')}), {m.get('cpu', '?')}; memory "
        f"{m.get('memory_total_mib', '?')} MiB total, {m.get('memory_available_mib', '?')} MiB "
        f"available at start; load average at start {fmt_load(m.get('loadavg_start'))}, at end "
        f"{fmt_load(m.get('loadavg_end'))}; Python {m.get('python')}, spaCy {m.get('spacy')}"
    )
    threads = m.get("blas_threads_env") or {}
    add(
        "BLAS/OpenMP threads of this process (the in-process baselines): "
        + ", ".join(f"{k}={v if v is not None else 'default'}" for k, v in threads.items())
        + "; kg's worker processes always start with one."
    )
    busy = m.get("busy_processes_start") or []
    add("Other busy processes at start: " + ("; ".join(busy) if busy else "none (idle)") + ".")
    return "\n".join(out)


def fmt_load(value: Any) -> str:
    return " ".join(f"{v:.2f}" for v in value) if value else "?"


# ---------------------------------------------------------------------------- main
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="JSONL (or any input kg reads)"
    )
    parser.add_argument("--limit", type=int, default=2000, help="articles (default 2000)")
    parser.add_argument("--batch-size", type=int, default=32, help="articles per batch")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model")
    parser.add_argument("--skip-dask", action="store_true", help="no Dask LocalCluster run")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the in-process runs (the spaCy pipelines, --workers 1) this many times, "
        "interleaved, and keep the fastest of each",
    )
    parser.add_argument(
        "--full-rss",
        action="store_true",
        help="also build the whole corpus with `kg build --workers 2` and report its peak RSS",
    )
    parser.add_argument("--rss-only", action="store_true", help="only the --full-rss build")
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument(
        "--default-blas-threads",
        action="store_true",
        help="leave this process's numpy/OpenBLAS with its default thread pool (one thread "
        "per core): the in-process spaCy baselines then pay for it; kg's workers never do",
    )
    return parser.parse_args(argv)


def same_threads_as_the_workers(argv: Sequence[str] | None) -> None:
    """Run again with kg's worker environment (one BLAS/OpenMP thread) unless this process
    already has it: OpenBLAS reads it when numpy is loaded, and the in-process baselines
    must parse under the same conditions as kg's worker processes."""
    missing = unset_worker_environment()
    if missing and argv is None:
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **missing})


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.default_blas_threads:
        same_threads_as_the_workers(argv)
    corpus: Path = args.corpus
    if not corpus.exists():
        print(f"bench_build: {corpus}: no such corpus", file=sys.stderr)
        return 2
    results = Results(
        corpus=str(corpus), limit=args.limit, batch_size=args.batch_size, model=args.model
    )
    results.machine = machine_facts()

    if args.full_rss or args.rss_only:
        # First, while this process has no other children: RUSAGE_CHILDREN is then this build's.
        print(f"bench_build: full build of {corpus} for peak RSS ...", file=sys.stderr, flush=True)
        results.rss = measure_full_rss(corpus, args.batch_size)

    if not args.rss_only:
        documents, results.skipped_duplicates, results.read_problems = load_documents(
            corpus, args.limit
        )
        if not documents:
            print(f"bench_build: {corpus}: no articles", file=sys.stderr)
            return 2
        results.articles = len(documents)
        results.words = count_words(documents)
        t0 = time.perf_counter()
        texts = [nlp_text(d) for d in documents]
        results.text_prep_s = time.perf_counter() - t0

        import spacy

        t0 = time.perf_counter()
        bare = spacy.load(args.model)
        results.load_s["bare spaCy"] = time.perf_counter() - t0
        warm_up(bare, texts, args.batch_size)
        t0 = time.perf_counter()
        nlp = load_pipeline(args.model)
        results.load_s["spaCy + kg components"] = time.perf_counter() - t0
        warm_up(nlp, texts, args.batch_size)
        stock = load_pipeline(args.model, table_components=False)
        warm_up(stock, texts, args.batch_size)

        # The in-process runs, interleaved --repeat times; the fastest of each is kept.
        bare_t: tuple[float, float] | None = None
        base_t: tuple[float, float] | None = None
        stock_t: tuple[float, float] | None = None
        runs: dict[str, KgRun] = {}
        for i in range(args.repeat):
            round_ = f" ({i + 1}/{args.repeat})" if args.repeat > 1 else ""
            progress("bare spaCy" + round_)
            timed = time_pipe(bare, texts, args.batch_size)
            bare_t = timed if bare_t is None or timed < bare_t else bare_t
            progress("baseline" + round_)
            timed = time_pipe(nlp, texts, args.batch_size)
            base_t = timed if base_t is None or timed < base_t else base_t
            progress("baseline with spaCy's attribute_ruler and lemmatizer" + round_)
            timed = time_pipe(stock, texts, args.batch_size)
            stock_t = timed if stock_t is None or timed < stock_t else stock_t
            progress("kg build --workers 1" + round_)
            run = run_kg("kg build --workers 1", documents, args.model, args.batch_size)
            if "w1" not in runs or run.wall_s < runs["w1"].wall_s:
                runs["w1"] = run
        del bare, stock
        assert bare_t is not None and base_t is not None
        progress("baseline in two processes (nlp.pipe n_process=2)")
        parallel_t = time_pipe(nlp, texts, args.batch_size, n_process=2)

        plan: list[tuple[str, str, int, str | None]] = [
            ("w2", "kg build --workers 2", 2, None),
        ]
        if not args.skip_dask:
            plan.append(("dask", "kg build --dask local:2", 1, "local:2"))
        for key, name, workers, dask in plan:
            progress(name)
            runs[key] = run_kg(name, documents, args.model, args.batch_size, workers, dask)
        results.kg_runs = list(runs.values())
        build_rows(results, bare_t, base_t, runs, parallel_t, stock=stock_t)

    results.machine["loadavg_end"] = os.getloadavg()
    print(render(results))
    if args.json:
        args.json.write_text(json.dumps(asdict(results), indent=2, default=str), encoding="utf-8")
    return 0


def progress(what: str) -> None:
    print(f"bench_build: timing {what} ...", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
