#!/usr/bin/env python3
"""Benchmark kg's named SPARQL queries: kg's Oxigraph store against rdflib's in-memory store.

On one store (by default built from the Reuters-21578 corpus in ``../shared/eval/`` until it
holds at least a million quads) it times every named query (``kg/queries/*.rq``) on the
Oxigraph store kg uses, and on an ``rdflib.Dataset`` loaded with the same quads, in one run.
It prints per query the median latency of each engine and their ratio, then the bulk-load
rate (quads/s) of both.  Target: every named query at least 20x faster than rdflib's
in-memory store, none over 100 ms.

Usage::

    .venv/bin/python scripts/bench_queries.py --store /tmp/bench-store [--limit N]
        [--min-triples 1000000] [--repeat 5] [--rdflib-timeout 120] [--page N] [--json out.json]

When ``--store`` is not a kg store yet it is built first from ``--corpus`` (JSON Lines in the
Reuters layout: ``newid, date, title, body``; or any file or folder ``kg build`` reads), in
chunks, until ``--limit`` articles or ``--min-triples`` quads.  Reuters dates such as
``26-FEB-1987 15:01:01.79`` are turned into ISO dates and the publisher is set to Reuters.

Both engines run the identical query text: required parameters get real values picked from
the store (or ``--param NAME=VALUE``), bound with :func:`kg.store.bind`; rdflib gets
the ``PREFIX`` lines of :data:`kg.store.PREFIXES` in front.  Optional parameters stay unbound,
which is the widest form of each query; a query with optional parameters is also run with
each bound to the most frequent value of its own widest result (the heaviest narrowed use).
With ``--page N`` each query's widest form is also timed as its first page of N rows, the
clauses added by :func:`kg.store.paginate` as ``kg query --limit N`` does.
Each engine runs in a subprocess of its own: Oxigraph
opens the kg store and runs the text through ``kg.query.run`` (rows become Python values),
rdflib parses a N-Quads dump of the store into ``rdflib.Dataset(default_union=True)`` and
lists the result rows.  A run longer than ``--oxigraph-timeout`` / ``--rdflib-timeout`` seconds
is abandoned (the subprocess is killed, and restarted for the next query) and reported as
``>S s``, with a bound on the ratio.  After a run, further runs of the same query stop once
the cap has been spent in total, so a slow query costs at most about twice its cap.

This is a measurement, not a test: it exits 0 whatever the numbers, and 2 only when the store
is missing and cannot be built.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS: Final = REPO_ROOT.parent / "shared" / "eval" / "reuters21578" / "reuters21578.jsonl"
TARGET_RATIO: Final = 20.0
TARGET_MS: Final = 100.0
MONTHS: Final = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_REUTERS_DATE: Final = re.compile(r"\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})\b")

# The least a whole-store listing has to do (``--floor``): no named query answers with less.
# Each is timed on Oxigraph alone, to show how much of a listing's time is the engine's
# join itself rather than the query's shape.
FLOOR_QUERIES: Final = {
    "every event (one triple pattern)": "SELECT ?event WHERE { GRAPH ?g { ?event a sem:Event } }",
    "every event and its sentence (three patterns)": (
        "SELECT ?event ?sentence WHERE { GRAPH ?g { "
        "?event a sem:Event ; kg:evidence ?ev . ?ev nif:anchorOf ?sentence } }"
    ),
    "the same, sorted by sentence": (
        "SELECT ?event ?sentence WHERE { GRAPH ?g { "
        "?event a sem:Event ; kg:evidence ?ev . ?ev nif:anchorOf ?sentence } } ORDER BY ?sentence"
    ),
    "every statement and its sentence (three patterns)": (
        "SELECT ?event ?sentence WHERE { GRAPH ?g { "
        "?event a kg:Statement ; kg:evidence ?ev . ?ev nif:anchorOf ?sentence } }"
    ),
    "mentions counted per entity": (
        "SELECT ?entity (COUNT(?m) AS ?n) WHERE { GRAPH ?g { ?m itsrdf:taIdentRef ?entity } } "
        "GROUP BY ?entity"
    ),
}

# Queries that pick real values for required parameters.
MOST_ACTIVE_ENTITY: Final = """
SELECT ?entity ?label (COUNT(DISTINCT ?event) AS ?n) WHERE {
  GRAPH ?g { ?event ?r ?entity }
  ?r rdfs:subPropertyOf kg:role .
  ?entity rdfs:label ?label .
} GROUP BY ?entity ?label ORDER BY DESC(?n) ?label LIMIT 1
"""
MOST_ACTIVE_PLACE: Final = """
SELECT ?entity ?label (COUNT(DISTINCT ?event) AS ?n) WHERE {
  GRAPH ?g { ?event ?r ?entity }
  VALUES ?r { kg:place kg:origin kg:destination kg:via }
  ?entity rdfs:label ?label .
} GROUP BY ?entity ?label ORDER BY DESC(?n) ?label LIMIT 1
"""
MOST_COUNTED: Final = """
SELECT ?counted (COUNT(*) AS ?n) WHERE { ?claim kg:counts ?counted }
GROUP BY ?counted ORDER BY DESC(?n) ?counted LIMIT 1
"""
LATEST_DATE: Final = "SELECT (MAX(?d) AS ?latest) WHERE { ?a schema:datePublished ?d }"


# --------------------------------------------------------------------------- results


@dataclass
class EngineTiming:
    """The runs of one query on one engine (milliseconds; a capped run counts as the cap)."""

    runs_ms: list[float] = field(default_factory=list)
    rows: int | None = None
    capped: bool = False
    cap_s: float | None = None
    error: str | None = None

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.runs_ms) if self.runs_ms else None

    @property
    def is_capped_median(self) -> bool:
        """The median is a capped run, so only a lower bound."""
        median = self.median_ms
        return bool(self.capped and self.cap_s and median and median >= self.cap_s * 1000)


@dataclass
class QueryResult:
    name: str
    params: dict[str, str]
    oxigraph: EngineTiming
    rdflib: EngineTiming
    ratio: float | None = None
    ratio_bound: str = ""  # "" exact, ">=" rdflib was capped, "<=" Oxigraph was capped
    verdict: str = "n/a"
    note: str = ""


@dataclass
class LoadRate:
    engine: str
    quads: int
    seconds: float | None
    error: str | None = None

    @property
    def quads_per_s(self) -> float | None:
        return self.quads / self.seconds if self.seconds else None


# --------------------------------------------------------------------------- building


def reuters_iso_date(value: str) -> str | None:
    """``26-FEB-1987 15:01:01.79`` -> ``1987-02-26`` (None when it is not that layout).

    >>> reuters_iso_date("26-FEB-1987 15:01:01.79"), reuters_iso_date("1987-02-26")
    ('1987-02-26', None)
    """
    m = _REUTERS_DATE.match(value)
    if not m or m[2].lower() not in MONTHS:
        return None
    try:
        return date(int(m[3]), MONTHS[m[2].lower()], int(m[1])).isoformat()
    except ValueError:
        return None


def reuters_record(record: dict[str, Any]) -> dict[str, Any]:
    """A Reuters-21578 record as kg's JSONL reader wants it: ISO date, publisher Reuters."""
    out = dict(record)
    raw = out.get("date")
    if isinstance(raw, str) and (iso := reuters_iso_date(raw)):
        out["date"] = iso
    if not out.get("source") and not out.get("publisher"):
        out["publisher"] = "Reuters"
    return out


def read_jsonl_documents(corpus: Path, limit: int | None) -> Iterator[Any]:
    """Documents of a JSON Lines corpus, records without text skipped, at most ``limit``."""
    from kg.errors import InputError
    from kg.ingest import parse_record

    count = 0
    with corpus.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if limit is not None and count >= limit:
                return
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                yield parse_record(reuters_record(record), f"{corpus}:{lineno}")
            except (InputError, json.JSONDecodeError, AttributeError):
                continue
            count += 1


def is_store(path: Path) -> bool:
    return (path / "CURRENT").is_file()


def build_store(
    folder: Path, corpus: Path, limit: int | None, min_triples: int, chunk: int
) -> dict[str, Any]:
    """Build a kg store in ``folder`` from ``corpus``; print progress; return build figures."""
    from kg.graph import KnowledgeGraph

    started = time.perf_counter()
    articles = words = 0
    graph = KnowledgeGraph(folder)
    try:
        if corpus.suffix.lower() in {".jsonl", ".ndjson"}:
            batch: list[Any] = []
            for doc in read_jsonl_documents(corpus, limit):
                batch.append(doc)
                if len(batch) >= chunk:
                    report = graph.add_documents(batch)
                    articles += len(report.added)
                    words += sum(len(d.text.split()) for d in batch)
                    batch = []
                    quads = len(graph.store)
                    elapsed = time.perf_counter() - started
                    print(
                        f"  built {articles} articles, {quads:,} quads, {elapsed:.0f} s "
                        f"({words / elapsed:,.0f} words/s)",
                        flush=True,
                    )
                    if min_triples and quads >= min_triples:
                        break
            if batch:
                report = graph.add_documents(batch)
                articles += len(report.added)
                words += sum(len(d.text.split()) for d in batch)
        else:
            report = graph.add_documents([corpus])
            articles += len(report.added)
            words = -1  # not counted for file and folder inputs
        quads = len(graph.store)
    finally:
        graph.close()
    seconds = time.perf_counter() - started
    return {
        "corpus": str(corpus),
        "articles": articles,
        "words": words if words >= 0 else None,
        "quads": quads,
        "seconds": round(seconds, 2),
        "articles_per_s": round(articles / seconds, 2),
        "words_per_s": round(words / seconds, 1) if words >= 0 else None,
        "quads_per_s": round(quads / seconds, 1),
    }


# --------------------------------------------------------------------------- parameters


def _first(store: Any, sparql: str, column: str) -> str | None:
    from kg.query import Rows, run

    rows = run(store, sparql)
    if isinstance(rows, Rows) and rows and rows[0].get(column) is not None:
        return str(rows[0][column])
    return None


def narrowed_forms(
    store: Any, queries: dict[str, Any], params: dict[str, Any]
) -> dict[str, tuple[str, dict[str, str]]]:
    """A second form of each query with optional parameters: each one bound to the value that
    occurs most often in the query's own widest result (the column of the same name, or
    ``eventType`` for ``type``), so the narrowed form is the heaviest one a user would run."""
    from collections import Counter

    from kg.query import Rows, run
    from kg.vocab import KG

    forms: dict[str, tuple[str, dict[str, str]]] = {}
    for name, nq in queries.items():
        optional = [p for p in nq.params if not p.required and p.name not in params[name]]
        if not optional:
            continue
        rows = run(store, nq.sparql, nq.bind(params[name]), labels=nq.labels)
        if not isinstance(rows, Rows) or not rows:
            continue
        values = dict(params[name])
        for p in optional:
            if p.name in rows.columns:
                column = [str(r[p.name]) for r in rows if r.get(p.name) is not None]
            elif p.name == "type" and "eventType" in rows.columns:
                column = [f"{KG}{r['eventType']}" for r in rows if r.get("eventType")]
            else:
                continue
            if column:
                values[p.name] = Counter(column).most_common(1)[0][0]
        if values != params[name]:
            short = ", ".join(f"{k}={v.rsplit('/', 1)[-1]}" for k, v in values.items())
            forms[f"{name} ({short})"] = (name, values)
    return forms


def choose_params(store: Any, queries: dict[str, Any], overrides: dict[str, str]) -> dict[str, Any]:
    """Values for every required parameter (and any overridden one), picked from the store."""
    cache: dict[str, str | None] = {}

    def pick(key: str, sparql: str, column: str) -> str | None:
        if key not in cache:
            cache[key] = _first(store, sparql, column)
        return cache[key]

    chosen: dict[str, Any] = {}
    for name, nq in queries.items():
        values: dict[str, str] = {}
        for p in nq.params:
            if p.name in overrides:
                values[p.name] = overrides[p.name]
                continue
            if not p.required:
                continue
            value: str | None = None
            if p.type == "regex":
                counted = pick("counted", MOST_COUNTED, "counted")
                value = re.escape(counted) if counted else "."
            elif p.type in {"string", "label"} and p.name == "place":
                value = pick("place", MOST_ACTIVE_PLACE, "label") or pick(
                    "entity", MOST_ACTIVE_ENTITY, "label"
                )
            elif p.type in {"string", "label"}:
                value = pick("entity", MOST_ACTIVE_ENTITY, "label")
            elif p.type == "iri":
                value = pick("entity-iri", MOST_ACTIVE_ENTITY, "entity")
            elif p.type in {"integer", "decimal"}:
                value = "1"
            elif p.type == "boolean":
                value = "true"
            elif p.type == "date":
                value = pick("date", LATEST_DATE, "latest")
            values[p.name] = value if value is not None else "x"
        chosen[name] = values
    return chosen


def query_text(nq: Any, values: dict[str, str]) -> str:
    """The query with its parameters bound exactly as kg binds them (:func:`kg.store.bind`)."""
    from kg.store import bind, to_ox

    bound = nq.bind(values)
    if not bound:
        return str(nq.sparql)
    return bind(nq.sparql, {k: to_ox(v) for k, v in bound.items()})


def rdflib_text(text: str) -> str:
    from kg.store import PREFIXES

    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()) + text


# --------------------------------------------------------------------------- workers


def worker(engine: str, data: str) -> int:
    """Subprocess: load ``data`` into ``engine``, then run the queries read from stdin.

    One JSON object a line each way: ``{"sparql"}`` in; ``{"ms", "rows"}`` or ``{"error"}``
    out.  ``rdflib`` parses the N-Quads file ``data`` into ``Dataset(default_union=True)``;
    ``oxigraph`` opens the kg store ``data`` and runs the text through ``kg.query.run``.
    """
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    sys.stdout = sys.stderr  # keep the protocol channel clean of stray prints

    def send(message: dict[str, Any]) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    started = time.perf_counter()
    execute: Any
    try:
        if engine == "rdflib":
            from rdflib import Dataset

            dataset = Dataset(default_union=True)
            dataset.parse(data, format="nquads")

            def execute(sparql: str) -> int:
                return len(list(dataset.query(sparql)))

        else:
            from kg.query import Rows, run
            from kg.store import GraphStore

            store = GraphStore.open(data, create=False)

            def execute(sparql: str) -> int:
                result = run(store, sparql)
                return len(result) if isinstance(result, Rows | list) else 1

    except Exception as exc:  # noqa: BLE001 - reported to the parent
        send({"error": f"{type(exc).__name__}: {exc}"})
        return 1
    send({"loaded_s": time.perf_counter() - started})
    for line in sys.stdin:
        request = json.loads(line)
        started = time.perf_counter()
        try:
            rows = execute(request["sparql"])
            send({"ms": (time.perf_counter() - started) * 1000, "rows": rows})
        except Exception as exc:  # noqa: BLE001 - reported to the parent
            send({"error": f"{type(exc).__name__}: {exc}"[:500]})
    return 0


class Worker:
    """Drives one engine's subprocess; restarts it after a run had to be abandoned."""

    def __init__(self, engine: str, data: Path, load_timeout: float) -> None:
        self.engine = engine
        self.data = data
        self.load_timeout = load_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.buffer = b""
        self.load_seconds: list[float] = []
        self.load_error: str | None = None

    def _start(self) -> bool:
        script = str(Path(__file__).resolve())
        self.proc = subprocess.Popen(
            [sys.executable, script, "--worker", self.engine, str(self.data)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=REPO_ROOT,
        )
        self.buffer = b""
        reply = self._read(self.load_timeout)
        if reply is None or "error" in reply:
            self.load_error = (
                str(reply["error"]) if reply else f"load took over {self.load_timeout:g} s"
            )
            self.stop()
            return False
        self.load_seconds.append(float(reply["loaded_s"]))
        return True

    def _read(self, timeout: float) -> dict[str, Any] | None:
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return {"error": f"{self.engine} worker exited (code {self.proc.wait()})"}
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def run_once(self, sparql: str, timeout: float) -> dict[str, Any] | None:
        """One run: ``{"ms", "rows"}`` or ``{"error"}``; None when abandoned after ``timeout``."""
        if self.proc is None and (self.load_error or not self._start()):
            return {"error": f"{self.engine} could not load the data: {self.load_error}"}
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps({"sparql": sparql}) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except BrokenPipeError:
            self.stop()
            return {"error": f"{self.engine} worker died"}
        reply = self._read(timeout)
        if reply is None:
            self.stop()
        return reply

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    stream.close()
            self.proc = None


def time_query(runner: Worker, sparql: str, repeat: int, cap: float) -> EngineTiming:
    """Up to ``repeat`` runs, each capped at ``cap`` s; no more runs once ``cap`` s are spent."""
    timing = EngineTiming(cap_s=cap)
    spent = 0.0
    for _ in range(repeat):
        reply = runner.run_once(sparql, cap)
        if reply is None:
            timing.capped = True
            timing.runs_ms.append(cap * 1000)
            break
        if "error" in reply:
            timing.error = str(reply["error"])
            break
        timing.runs_ms.append(float(reply["ms"]))
        timing.rows = int(reply["rows"])
        spent += float(reply["ms"]) / 1000
        if spent >= cap:
            break
    return timing


def judge(result: QueryResult) -> None:
    """Ratio (exact, or a bound when a side was capped) and PASS/FAIL against the targets."""
    ox, rd = result.oxigraph, result.rdflib
    ox_ms, rd_ms = ox.median_ms, rd.median_ms
    notes = [f"Oxigraph error: {ox.error}"] if ox.error else []
    if rd.error:
        notes.append(f"rdflib error: {rd.error}")
    if rd.rows is not None and ox.rows is not None and rd.rows != ox.rows:
        notes.append(f"row counts differ: rdflib {rd.rows}")
    result.note = "; ".join(notes)
    if ox_ms is None:
        result.verdict = "n/a"
        return
    if rd_ms is not None and not (ox.is_capped_median and rd.is_capped_median):
        result.ratio = rd_ms / max(ox_ms, 1e-6)
        result.ratio_bound = ">=" if rd.is_capped_median else "<=" if ox.is_capped_median else ""
    problems = []
    if ox_ms > TARGET_MS:
        problems.append(f"{'>' if ox.is_capped_median else ''}{ox_ms:,.0f} ms > {TARGET_MS:g} ms")
    if result.ratio is not None and result.ratio < TARGET_RATIO and result.ratio_bound != ">=":
        problems.append(f"{result.ratio_bound}{result.ratio:.1f}x < {TARGET_RATIO:g}x")
    if problems:
        result.verdict = "FAIL: " + ", ".join(problems)
    elif result.ratio is None:
        result.verdict = "n/a (no rdflib time)"
    else:
        result.verdict = "PASS"


# --------------------------------------------------------------------------- loads


def time_oxigraph_load(nquads: Path, quads: int, on_disk: bool) -> LoadRate:
    import pyoxigraph as ox

    engine = "Oxigraph bulk_load, " + ("on disk" if on_disk else "in memory")
    folder = Path(tempfile.mkdtemp(prefix="bench-ox-")) if on_disk else None
    try:
        store = ox.Store(str(folder)) if folder else ox.Store()
        started = time.perf_counter()
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        if folder:
            store.flush()
        seconds = time.perf_counter() - started
        loaded = len(store)
        del store
        rate = LoadRate(engine, quads, seconds)
        if loaded != quads:
            rate.error = f"loaded {loaded} quads, expected {quads}"
        return rate
    except (OSError, SyntaxError, ValueError) as exc:
        return LoadRate(engine, quads, None, str(exc))
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- output


def fmt_ms(timing: EngineTiming) -> str:
    median = timing.median_ms
    if median is None:
        return "error"
    if timing.is_capped_median:
        return f">{timing.cap_s:g} s"
    return f"{median:,.1f}" if median < 10_000 else f"{median:,.0f}"


def markdown_table(results: list[QueryResult]) -> str:
    lines = [
        "| query | rows | Oxigraph median ms | rdflib median ms (runs) | ratio | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        ratio = "n/a" if r.ratio is None else f"{r.ratio_bound}{r.ratio:,.1f}x"
        verdict = r.verdict + (f" ({r.note})" if r.note else "")
        rows = r.oxigraph.rows if r.oxigraph.rows is not None else "-"
        lines.append(
            f"| {r.name} | {rows} | {fmt_ms(r.oxigraph)} "
            f"| {fmt_ms(r.rdflib)} ({len(r.rdflib.runs_ms)}) | {ratio} | {verdict} |"
        )
    return "\n".join(lines)


def load_table(rates: list[LoadRate]) -> str:
    lines = ["| load | quads | seconds | quads/s |", "|---|---:|---:|---:|"]
    for r in rates:
        secs = f"{r.seconds:,.2f}" if r.seconds is not None else "error"
        per_s = f"{r.quads_per_s:,.0f}" if r.quads_per_s is not None else "-"
        note = f" ({r.error})" if r.error else ""
        lines.append(f"| {r.engine}{note} | {r.quads:,} | {secs} | {per_s} |")
    return "\n".join(lines)


def machine_facts() -> dict[str, Any]:
    import pyoxigraph
    import rdflib

    mem_gb = None
    try:
        meminfo = Path("/proc/meminfo").read_text()
        if m := re.search(r"MemTotal:\s+(\d+) kB", meminfo):
            mem_gb = round(int(m[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gb": mem_gb,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
    }


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time kg's named queries on Oxigraph and on rdflib's in-memory store."
    )
    parser.add_argument("--store", type=Path, default=Path("/tmp/bench-store"))
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="at most N articles to build")
    parser.add_argument(
        "--min-triples",
        type=int,
        default=1_000_000,
        help="stop building once the store holds this many quads (0: build all --limit)",
    )
    parser.add_argument("--chunk", type=int, default=250, help="articles per build step")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument("--rdflib-timeout", type=float, default=120.0, metavar="S")
    parser.add_argument("--oxigraph-timeout", type=float, default=60.0, metavar="S")
    parser.add_argument("--load-timeout", type=float, default=1800.0, metavar="S")
    parser.add_argument("--query", action="append", default=[], help="only this named query")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument(
        "--page",
        type=int,
        default=None,
        metavar="N",
        help="also time the first N rows of each query (kg query --limit N)",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="only time the engine floor on Oxigraph: the bare joins a whole-store listing "
        "cannot do without (no rdflib, no named queries)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--worker", nargs=2, default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def ensure_store(args: argparse.Namespace, report: dict[str, Any]) -> bool:
    """Build ``--store`` from ``--corpus`` when it is not a store yet; False if impossible."""
    from kg.errors import KGError

    store_dir: Path = args.store
    if is_store(store_dir):
        return True
    if store_dir.exists() and any(store_dir.iterdir()):
        print(f"--store {store_dir}: not a kg store and not empty", file=sys.stderr)
        return False
    if not args.corpus.exists():
        print(
            f"--store {store_dir}: no store, and --corpus {args.corpus} does not exist",
            file=sys.stderr,
        )
        return False
    print(f"Building {store_dir} from {args.corpus} ...", flush=True)
    try:
        build = build_store(
            store_dir, args.corpus, args.limit, args.min_triples, max(1, args.chunk)
        )
    except KGError as exc:
        print(f"cannot build the store: {exc}", file=sys.stderr)
        return False
    report["build"] = build
    words = f", {build['words_per_s']:,.0f} words/s" if build["words_per_s"] else ""
    print(
        f"Built {build['articles']} articles -> {build['quads']:,} quads in "
        f"{build['seconds']:.1f} s ({build['articles_per_s']:.1f} articles/s{words}, "
        f"{build['quads_per_s']:,.0f} quads/s)\n",
        flush=True,
    )
    return True


def time_engine(
    engine: str,
    data: Path,
    texts: dict[str, str],
    repeat: int,
    cap: float,
    load_timeout: float,
) -> tuple[dict[str, EngineTiming], Worker]:
    print(f"Timing {len(texts)} queries on {engine} ({repeat} runs, {cap:g} s cap) ...")
    runner = Worker(engine, data, load_timeout)
    timings: dict[str, EngineTiming] = {}
    try:
        for name, text in texts.items():
            timings[name] = timing = time_query(runner, text, repeat, cap)
            shown = timing.error or (
                fmt_ms(timing)
                if timing.is_capped_median
                else f"{fmt_ms(timing)} ms, {timing.rows} rows"
            )
            print(f"  {name}: {shown}", flush=True)
    finally:
        runner.stop()
    return timings, runner


def print_report(
    results: list[QueryResult], loads: list[LoadRate], report: dict[str, Any], args: Any
) -> None:
    quads = report["store"]["quads"]
    print("\n## Named queries: Oxigraph (kg store) vs rdflib in-memory Dataset\n")
    print(
        f"{quads:,} quads; median of up to {args.repeat} runs; each run capped at "
        f"{args.oxigraph_timeout:g} s (Oxigraph) / {args.rdflib_timeout:g} s (rdflib)\n"
    )
    print(markdown_table(results))
    shown = [
        f"- {r.name}: " + ", ".join(f"{k}={v!r}" for k, v in r.params.items())
        for r in results
        if r.params
    ]
    if shown:
        print("\nParameters:\n" + "\n".join(shown))
    print("\n## Bulk load of the same N-Quads\n")
    print(load_table(loads))
    reloads = report.get("rdflib_loads", 1) - 1
    if reloads > 0:
        print(f"\n(rdflib was reloaded {reloads} time(s) after capped runs)")
    passed = sum(r.verdict == "PASS" for r in results)
    print(
        f"\nTargets (>= {TARGET_RATIO:g}x faster than rdflib, <= {TARGET_MS:g} ms): "
        f"{passed}/{len(results)} queries pass"
    )
    facts = report["machine"]
    print(
        f"Machine: {facts['cpus']} CPUs, {facts['memory_gb']} GB RAM, {facts['platform']}, "
        f"Python {facts['python']}, pyoxigraph {facts['pyoxigraph']}, rdflib {facts['rdflib']}"
    )


def floor(args: argparse.Namespace) -> int:
    """Time :data:`FLOOR_QUERIES` on the Oxigraph store and print them as a table."""
    repeat = max(1, args.repeat)
    times, _ = time_engine(
        "oxigraph",
        args.store,
        dict(FLOOR_QUERIES),
        repeat,
        args.oxigraph_timeout,
        args.load_timeout,
    )
    print("\n## Engine floor: the bare joins of a whole-store listing, Oxigraph\n")
    print(f"Median of {repeat} runs; rows become Python values as in `kg query`.\n")
    print("| query | rows | median ms | <= 100 ms |\n|---|---:|---:|---|")
    for name, timing in times.items():
        median = timing.median_ms
        verdict = "yes" if median is not None and median <= TARGET_MS else "no"
        print(f"| {name} | {timing.rows} | {fmt_ms(timing)} | {verdict} |")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker(args.worker[0], args.worker[1])

    from kg.errors import KGError
    from kg.query import named_queries
    from kg.store import GraphStore, paginate

    overrides = dict(p.split("=", 1) for p in args.param if "=" in p)
    report: dict[str, Any] = {
        "command": [sys.argv[0], *(sys.argv[1:] if argv is None else argv)],
        "machine": machine_facts(),
    }
    if not ensure_store(args, report):
        return 2
    if args.floor:
        return floor(args)
    try:
        store = GraphStore.open(args.store, create=False)
    except KGError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    repeat = max(1, args.repeat)
    workdir = Path(tempfile.mkdtemp(prefix="bench-queries-"))
    nquads = workdir / "store.nq"
    try:
        try:
            quads = len(store)
            report["store"] = {"path": str(args.store), "quads": quads}
            print(f"Store {args.store}: {quads:,} quads", flush=True)
            if quads < 1_000_000:
                print("  (fewer than 1,000,000 quads: smaller than the issue's benchmark)")
            queries = named_queries()
            if args.query:
                for unknown in sorted(set(args.query) - set(queries)):
                    print(f"--query {unknown}: no such named query", file=sys.stderr)
                queries = {n: q for n, q in queries.items() if n in args.query}
            params = choose_params(store, queries, overrides)
            texts = {name: query_text(nq, params[name]) for name, nq in queries.items()}
            for label, (name, values) in narrowed_forms(store, queries, params).items():
                params[label] = values
                texts[label] = query_text(queries[name], values)
            if args.page:
                for name in queries:  # the first page of each widest form, as `kg query --limit`
                    label = f"{name} (first {args.page} rows)"
                    params[label] = params[name]
                    texts[label] = paginate(texts[name], args.page)
            started = time.perf_counter()
            nquads.write_bytes(store.dump("nquads"))
            dump_s = time.perf_counter() - started
        finally:
            store.close()  # the Oxigraph worker opens it
        size_mb = nquads.stat().st_size / 1e6
        report["nquads_mb"] = round(size_mb, 1)
        print(f"Dumped N-Quads: {size_mb:,.1f} MB in {dump_s:.1f} s", flush=True)

        loads = [
            time_oxigraph_load(nquads, quads, on_disk=False),
            time_oxigraph_load(nquads, quads, on_disk=True),
        ]
        ox_times, _ = time_engine(
            "oxigraph", args.store, texts, repeat, args.oxigraph_timeout, args.load_timeout
        )
        rd_texts = {name: rdflib_text(text) for name, text in texts.items()}
        rd_times, rd_runner = time_engine(
            "rdflib", nquads, rd_texts, repeat, args.rdflib_timeout, args.load_timeout
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    loads.insert(
        1,
        LoadRate(
            "rdflib Dataset.parse, in memory",
            quads,
            rd_runner.load_seconds[0] if rd_runner.load_seconds else None,
            rd_runner.load_error,
        ),
    )
    report["rdflib_loads"] = len(rd_runner.load_seconds)
    results = []
    for name in texts:
        result = QueryResult(name, params[name], ox_times[name], rd_times[name])
        judge(result)
        results.append(result)
    print_report(results, loads, report, args)

    report["repeat"] = repeat
    report["caps_s"] = {"oxigraph": args.oxigraph_timeout, "rdflib": args.rdflib_timeout}
    report["queries"] = [
        {
            **asdict(r),
            "oxigraph_median_ms": r.oxigraph.median_ms,
            "rdflib_median_ms": r.rdflib.median_ms,
            "sparql": texts[r.name],
        }
        for r in results
    ]
    report["loads"] = [{**asdict(r), "quads_per_s": r.quads_per_s} for r in loads]
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"Results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
