"""The build: the only module that wires the stages together.

ingest -> nlp -> extract -> resolve -> mapping -> store, one article at a time: each article
is written in its own transaction, so memory depends on the batch size and an interrupted
build leaves every earlier article in place and nothing of the one it was working on.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, KGError, ModelError
from kg.extract import Extractor
from kg.gazetteer import Gazetteer
from kg.ingest import expand_paths, read_documents
from kg.lexicon import Lexicon
from kg.mapping import RDFS, Mapper, Quad
from kg.model import Document, Extraction
from kg.nlp import DEFAULT_MODEL, load_pipeline, truecase_headlines
from kg.resolve import Resolver
from kg.resources import ontology_dir
from kg.vocab import DEFAULT_BASE

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from spacy.tokens import Doc

    from kg.store import TripleStore

BATCH_SIZE = 32
FLUSH_QUADS = 50_000  # the store is flushed to disk after about this many quads
ONTOLOGY_GRAPH = "https://w3id.org/kg-news/ontology"


@dataclass
class BuildReport:
    """What a build did."""

    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Documents already in the store (same content hash)."""
    replaced: int = 0
    """Older versions (same URL or external id, other text) replaced by a new one."""
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mentions: int = 0
    events: int = 0
    claims: int = 0
    relations: int = 0
    entity_iris: set[str] = field(default_factory=set, repr=False)
    """The entities the added articles mention (merged across them), by IRI."""
    triples_before: int = 0
    triples_after: int = 0
    words: int = 0
    seconds: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(
            ("parse", "extract", "resolve", "map", "store", "total"), 0.0
        )
    )
    """Time per stage; parse and extract are summed over the worker processes."""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def entities(self) -> int:
        """How many distinct entities the added articles mention."""
        return len(self.entity_iris)

    def summary(self, *, stored: bool = True) -> str:
        """One line: articles, what was found in them, the store's size, time and speed
        (``stored=False``: the store was not kept, so its size is left out)."""
        store = (
            f"; store holds {self.triples_after} quads "
            f"(+{self.triples_after - self.triples_before})"
            if stored
            else ""
        )
        return (
            f"{len(self.added)} article(s) added"
            + (f" ({self.replaced} replacing an older version)" if self.replaced else "")
            + f", {len(self.skipped)} already present, "
            f"{len(self.problems)} problem(s); {self.entities} entities, {self.mentions} "
            f"mentions, {self.events} events, {self.claims} quantity claims, "
            f"{self.relations} relations{store} in {self.seconds['total']:.1f} s"
            + (
                f", {self.words / self.seconds['total']:,.0f} words/s"
                if self.seconds["total"]
                else ""
            )
        )


@dataclass
class BuildSettings:
    model: str = DEFAULT_MODEL
    base_iri: str = DEFAULT_BASE
    batch_size: int = BATCH_SIZE
    progress: bool = False
    workers: int = 1
    """Processes that parse and extract; the store is always written by this one."""
    dask: str | None = None
    """A Dask scheduler address, or ``local`` / ``local:N``: extraction runs on that cluster."""
    gazetteer: tuple[str, ...] = ()
    """The user's alias tables (TSV, see :func:`kg.gazetteer.read_user_table`): their names
    are tagged and linked too, and win over the shipped ones.  Every worker loads them (by
    path: on a remote Dask cluster the files must exist at the same path on the workers)."""


def _batches(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# ---------------------------------------------------------------------- extraction workers
_WORKER: tuple[Any, Extractor] | None = None
_WORKER_SETUP: tuple[str, tuple[str, ...]] | None = None


def _init_worker(model: str, gazetteer: tuple[str, ...] = ()) -> None:
    """Load the model (with the user's alias tables) once per worker process (and for a
    one-process build, in this one)."""
    global _WORKER, _WORKER_SETUP
    _WORKER = (load_pipeline(model, gazetteer=gazetteer), Extractor(Lexicon.load()))
    _WORKER_SETUP = (model, gazetteer)


def _init_pool_worker(
    model: str, gazetteer: tuple[str, ...], ready: Any, parent: int | None = None
) -> None:
    """:func:`_init_worker` in a worker process, then tell the parent one worker got ready.

    Ctrl-C in a terminal reaches every process of the group: the worker leaves it to the
    parent, which stops the pool (a worker interrupted in its own start-up would print the
    traceback of spaCy's import).  A parent that is killed outright takes the worker with it."""
    import signal

    from kg.process import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent=parent)  # the pid the pool was made in: kg may be gone already
    _init_worker(model, gazetteer)
    ready.set()


WORKERS_DID_NOT_START = (
    "the worker processes exited before they were ready to parse (their error is printed "
    "above). If kg is called from a script, call it under 'if __name__ == \"__main__\":': "
    "each worker process imports the script again, and a build started at import time "
    "cannot start workers"
)
"""The message of a build whose workers all died before the model was loaded in one of them."""


WORKER_ENVIRONMENT: dict[str, str] = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
"""Set in each worker process (unless the user set them): one BLAS/OpenMP thread per process.

A worker already has a core of its own; numpy's OpenBLAS otherwise starts a thread per core in
every process, and on two cores the extra threads cost the parse about a tenth (1,000 Reuters
articles: ``--workers 2`` 18.7 s -> 16.6 s, the workers' CPU 33.5 -> 29.5 s; ``--workers 1``
30.4 s -> 27.6 s).  OpenBLAS reads them when it is loaded, so they must be in the environment
the process starts with (limiting the threads later, with threadpoolctl, measured no gain).
Dask's nanny sets the same three for its workers."""


def unset_worker_environment() -> dict[str, str]:
    """The variables of :data:`WORKER_ENVIRONMENT` this process's environment does not set
    (a user's own value always wins)."""
    return {k: v for k, v in WORKER_ENVIRONMENT.items() if k not in os.environ}


class _WorkerProcess(multiprocessing.context.SpawnProcess):
    """A spawned worker that starts with :data:`WORKER_ENVIRONMENT`."""

    def start(self) -> None:
        added = unset_worker_environment()
        os.environ.update(added)  # the child copies the environment when it is spawned
        try:
            super().start()
        finally:
            for key in added:
                os.environ.pop(key, None)


class _WorkerContext(multiprocessing.context.SpawnContext):
    Process = _WorkerProcess


def nlp_text(document: Document) -> str:
    """What the model reads: the text with metadata and boilerplate blanked out and lines in
    capitals re-cased; the same length as ``document.text``, so offsets carry over."""
    return truecase_headlines(document.masked_text())


def _parse_one(nlp: Any, document: Document) -> Doc | str:
    """One article parsed on its own; an error message naming it when spaCy refuses it (a
    text over ``nlp.max_length`` characters, for example)."""
    try:
        doc: Doc = nlp(nlp_text(document))
        return doc
    except Exception as exc:  # noqa: BLE001 - reported as this article's problem
        return f"{document.source}: parsing failed ({type(exc).__name__}: {exc})"


def _extract_batch(batch: list[Document]) -> tuple[list[Extraction | str], float, float]:
    """Parse and extract one batch; an article that fails is returned as its error message.
    Also returns the seconds spent parsing and extracting."""
    assert _WORKER is not None, "worker not initialised"
    nlp, extractor = _WORKER
    out: list[Extraction | str] = []
    parse_s = extract_s = 0.0
    t0 = time.perf_counter()
    docs: list[Doc | str]
    try:
        docs = list(nlp.pipe((nlp_text(d) for d in batch), batch_size=len(batch)))
    except Exception:  # noqa: BLE001 - one article spaCy refuses must not cost the batch
        docs = [_parse_one(nlp, document) for document in batch]
    parse_s += time.perf_counter() - t0
    for document, doc in zip(batch, docs, strict=True):
        if isinstance(doc, str):
            out.append(doc)
            continue
        t1 = time.perf_counter()
        try:
            out.append(extractor(document, doc))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the build
            out.append(f"{document.source}: extraction failed ({type(exc).__name__}: {exc})")
        extract_s += time.perf_counter() - t1
    return out, parse_s, extract_s


class _WorkerDiedError(Exception):
    """The process running an article's task died; the message says which kind."""


def _article_by_article(
    batch: list[Document],
    result_of: Callable[[int, Document], tuple[list[Extraction | str], float, float]],
) -> tuple[list[Extraction | str], float, float]:
    """The results of a batch that failed as a whole, article by article: ``result_of(i,
    document)`` gives one article's result; an article whose task fails becomes an error
    message (:class:`_WorkerDiedError` for a dead worker process), and the others still count."""
    out: list[Extraction | str] = []
    parse_s = extract_s = 0.0
    for i, document in enumerate(batch):
        try:
            results, p, e = result_of(i, document)
        except _WorkerDiedError as exc:
            out.append(f"{document.source}: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the build
            out.append(f"{document.source}: parsing failed ({type(exc).__name__}: {exc})")
            continue
        out.extend(results)
        parse_s += p
        extract_s += e
    return out, parse_s, extract_s


def _extract_on_dask(
    batch: list[Document], model: str, gazetteer: tuple[str, ...] = ()
) -> tuple[list[Extraction | str], float, float]:
    """The task a Dask worker runs: load the model on first use, then extract."""
    if _WORKER is None or (model, gazetteer) != _WORKER_SETUP:
        _init_worker(model, gazetteer)
    return _extract_batch(batch)


LOCAL_DASK_CONFIG: dict[str, Any] = {
    # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, so glibc hands freed memory back
    # to the system at once: spaCy, which allocates and frees per sentence, then parses about
    # a fifth slower (measured: 500 Reuters articles in 16.9 s vs 20.3 s, 39x the page
    # faults).  None unsets it.
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    # The statistical profiler samples every worker thread 100 times a second; kg has no use
    # for it (there is no dashboard).
    "distributed.worker.profile.enabled": False,
    # Every process of the cluster wakes its event loop every 20 ms to time it, samples the
    # system every 500 ms for the dashboard, and each nanny polls its worker's memory every
    # 100 ms; each wake-up takes the GIL from a parse.  Slower clocks: 800 Reuters articles on
    # local:2 in 16.5 s instead of 17.2-17.7 s, 1.2 CPU-seconds less (the memory limit is
    # then enforced within a second instead of 0.1 s).
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "10s",
    "distributed.worker.memory.monitor-interval": "1s",
}
"""Dask settings for ``--dask local[:N]``; a real cluster keeps its own (see the README)."""


def _dask_client(address: str) -> Any:
    """A Dask client for ``address``, or for a new LocalCluster with ``local`` / ``local:N``."""
    n = os.cpu_count() or 1
    if address.startswith("local:"):
        count = address.split(":", 1)[1]
        if not count.isdigit() or int(count) < 1:
            raise InputError(
                f"--dask {address}", "local:N needs a number of workers N of at least 1"
            )
        n = int(count)
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise KGError("--dask needs Dask: pip install 'kg[dask]'") from None
    if address == "local" or address.startswith("local:"):
        import dask

        with dask.config.set(LOCAL_DASK_CONFIG):
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
            )
        return Client(cluster)  # type: ignore[no-untyped-call]
    try:
        return Client(address, timeout="10s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise KGError(f"--dask {address}: cannot reach the scheduler ({exc})") from None


def _extracted_on_dask(
    batches: Iterator[list[Document]],
    address: str,
    model: str,
    gazetteer: tuple[str, ...] = (),
    task: Callable[..., tuple[list[Extraction | str], float, float]] | None = None,
) -> Iterator[tuple[list[Extraction | str], float, float]]:
    """Extraction results batch by batch, in input order, from a Dask cluster.  A batch whose
    task fails (a worker that died on it more often than the scheduler allows, or an error)
    is sent again article by article; an article that fails on its own is returned as an
    error message, and the build goes on.  ``task`` replaces the per-batch function (tests)."""
    run = task or _extract_on_dask
    client = _dask_client(address)

    def one_by_one(batch: list[Document]) -> tuple[list[Extraction | str], float, float]:
        futures = [client.submit(run, [d], model, gazetteer, pure=False) for d in batch]

        def result_of(i: int, _document: Document) -> tuple[list[Extraction | str], float, float]:
            try:
                result: tuple[list[Extraction | str], float, float] = futures[i].result()
            except Exception as exc:
                if type(exc).__name__ == "KilledWorker":
                    raise _WorkerDiedError("the Dask worker parsing it died") from exc
                raise
            return result

        return _article_by_article(batch, result_of)

    def next_result() -> tuple[list[Extraction | str], float, float]:
        batch, future = pending.popleft()
        try:
            result: tuple[list[Extraction | str], float, float] = future.result()
            return result
        except ModelError as exc:
            # Not an article's fault: every task would fail the same way, one by one.
            raise ModelError(
                f"--dask {address}: the workers cannot load the model: {exc}"
            ) from None
        except ImportError as exc:
            raise KGError(
                f"--dask {address}: the workers cannot run kg's task ({type(exc).__name__}: "
                f"{exc}); kg and its model must be installed on every worker"
            ) from None
        except Exception:  # noqa: BLE001 - find the article that failed
            return one_by_one(batch)

    try:
        in_flight = 2 * max(1, len(client.scheduler_info().get("workers", {})))
        pending: deque[tuple[list[Document], Any]] = deque()
        for batch in batches:
            pending.append((batch, client.submit(run, batch, model, gazetteer, pure=False)))
            if len(pending) >= in_flight:
                yield next_result()
        while pending:
            yield next_result()
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()


def _check_model(model: str, *, load: bool, gazetteer: tuple[str, ...] = ()) -> None:
    """Raise :class:`~kg.errors.ModelError` for a model that cannot be loaded.  Without
    ``load`` an importable package or an existing folder is enough: this process then never
    holds the model, only the workers do."""
    import importlib.util

    if not load:
        is_module = re.fullmatch(r"[A-Za-z_]\w*", model) is not None
        if (is_module and importlib.util.find_spec(model) is not None) or Path(model).is_dir():
            return
    load_pipeline(model, gazetteer=gazetteer)


class _WorkerPool:
    """The worker processes of a build: a ``ProcessPoolExecutor`` of spawned workers that
    load the model once each, restarted when a worker dies.

    The processes are started when the pool is made, not when the first batch is sent, so
    their start-up (Python, spaCy, the model: about a second) overlaps what the build does
    before its first batch (opening the store, reading the people it knows, the ontology,
    the first articles)."""

    def __init__(self, workers: int, model: str, gazetteer: tuple[str, ...] = ()) -> None:
        self.workers = workers
        self._ctx = _WorkerContext()
        # Set by the first worker that has loaded the model: a pool that breaks before that
        # did not fail on an article but on start-up (a script without a ``__main__`` guard, a
        # model that loads in this process but not in a fresh one), and retrying article by
        # article would start and lose a pool per article.
        self.ready = self._ctx.Event()
        self._setup = (model, gazetteer)
        self.pool = self._new()
        # The executor starts one process per task submitted while none is idle.
        for _ in range(workers):
            self.pool.submit(int)

    def _new(self) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            self.workers,
            mp_context=self._ctx,
            initializer=_init_pool_worker,
            initargs=(*self._setup, self.ready, os.getpid()),
        )

    def submit(self, task: Callable[..., Any], batch: list[Document]) -> Future[Any]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pool.submit(task, batch)
        except BrokenProcessPool as exc:  # broke since the last result: handled there
            failed: Future[Any] = Future()
            failed.set_exception(exc)
            return failed

    def stop(self) -> None:
        """Shut the pool down; after a crash, kill its remaining workers first, or joining
        them can wait for ever (a worker idle on the call queue is not always terminated)."""
        pool = self.pool
        processes = getattr(pool, "_processes", None) or {}
        if getattr(pool, "_broken", False):
            for process in list(processes.values()):
                if process.is_alive():
                    process.kill()
        pool.shutdown(wait=True, cancel_futures=True)

    def restart(self) -> None:
        self.stop()
        self.pool = self._new()


def _extracted(
    batches: Iterator[list[Document]],
    workers: int,
    model: str,
    gazetteer: tuple[str, ...] = (),
    task: Callable[[list[Document]], tuple[list[Extraction | str], float, float]] | None = None,
    pool: _WorkerPool | None = None,
) -> Iterator[tuple[list[Extraction | str], float, float]]:
    """Extraction results batch by batch, in input order.  ``workers`` child processes parse
    and extract while this process writes (so even one worker overlaps parsing with storing);
    at most ``2 * workers`` batches are in flight, so memory stays bounded whatever the corpus.
    With ``workers == 0`` everything runs in this process.  ``pool``: workers already started
    (:class:`_WorkerPool`); it is stopped at the end all the same.

    A worker process that dies (a crash in native code, the kernel's out-of-memory killer)
    costs only the article it was working on: the pool is restarted, the batch whose result
    was due is parsed again article by article (an article that kills its worker again is
    returned as an error message) and the other batches in flight are sent again.  ``task``
    replaces the per-batch function (for tests)."""
    run = task or _extract_batch
    if workers <= 0:
        _init_worker(model, gazetteer)
        for batch in batches:
            try:
                result = run(batch)
            except Exception:  # noqa: BLE001 - the batch failed as a whole: find the article
                # (spaCy refuses a text over nlp.max_length for the whole batch, for example)
                result = _article_by_article(batch, lambda _i, document: run([document]))
            yield result
        return
    from concurrent.futures.process import BrokenProcessPool

    workers_ = pool or _WorkerPool(workers, model, gazetteer)
    pending: deque[tuple[list[Document], Future[Any]]] = deque()

    def one_by_one(batch: list[Document]) -> tuple[list[Extraction | str], float, float]:
        """The articles of a batch lost with a pool, each on its own."""

        def result_of(_i: int, document: Document) -> tuple[list[Extraction | str], float, float]:
            try:
                result: tuple[list[Extraction | str], float, float]
                result = workers_.submit(run, [document]).result()
            except BrokenProcessPool as exc:
                workers_.restart()
                raise _WorkerDiedError("the worker process parsing it crashed") from exc
            return result

        return _article_by_article(batch, result_of)

    def next_result() -> tuple[list[Extraction | str], float, float]:
        batch, future = pending.popleft()
        try:
            result: tuple[list[Extraction | str], float, float] = future.result()
            return result
        except BrokenProcessPool:
            if not workers_.ready.is_set():
                raise ModelError(WORKERS_DID_NOT_START) from None
            # Every batch in flight is lost with the pool: start a new one, parse this batch
            # article by article to find the one that crashed, and send the others again.
            workers_.restart()
            waiting = [b for b, _ in pending]
            pending.clear()
            result = one_by_one(batch)
            pending.extend((b, workers_.submit(run, b)) for b in waiting)
            return result
        except Exception:  # noqa: BLE001 - the batch failed as a whole: find the article
            return one_by_one(batch)

    try:
        for batch in batches:
            pending.append((batch, workers_.submit(run, batch)))
            if len(pending) >= 2 * workers:
                yield next_result()
        while pending:
            yield next_result()
    finally:
        workers_.stop()


def build(
    inputs: Iterable[str | Path | Document],
    store: TripleStore,
    settings: BuildSettings | None = None,
    on_problem: Callable[[str], None] | None = None,
) -> BuildReport:
    """Read, extract and store every input; bad inputs are reported, the rest still built.

    Articles stream through in batches: reading, parsing (in ``settings.workers`` processes)
    and writing overlap, and each article is written in its own transaction, in input order.
    """
    settings = settings or BuildSettings()
    started = time.perf_counter()
    # A bad alias table fails here, before anything is read or written.
    tables = tuple(str(Path(p).resolve()) for p in settings.gazetteer)
    gazetteer = Gazetteer.load(tables)
    items = list(inputs)
    paths = [i for i in items if not isinstance(i, Document)]
    given = [i for i in items if isinstance(i, Document)]
    expected = estimate_articles(items)
    # Worker processes pay a model load each: not worth it for a single batch, which is
    # parsed here.
    batches_expected = expected // settings.batch_size
    workers = 0 if batches_expected < 2 else max(1, min(settings.workers, batches_expected))
    # Fail early (unknown model) before anything is read; the model itself is loaded only where
    # it runs: here for one batch, else in each worker process, which start now.
    _check_model(settings.model, load=workers == 0 and not settings.dask, gazetteer=tables)
    pool = _WorkerPool(workers, settings.model, tables) if workers and not settings.dask else None
    # From here on the workers start in the background (see _WorkerPool).
    try:
        report = BuildReport(triples_before=len(store))
        lexicon = Lexicon.load()
        mapper = Mapper(lexicon, settings.base_iri)
        # People named in full are learnt from the store as it was when the build started, not
        # from the articles of this build: a bare "Kirby" must not depend on whether "John Kirby"
        # came earlier in the input.
        resolver = Resolver(gazetteer, learn=False)
        for key, label, qid in store.people():
            resolver.remember_person(key, label, qid)

        def problem(exc: InputError | str) -> None:
            message = str(exc)
            report.problems.append(message)
            if on_problem is not None:
                on_problem(message)

        def fresh() -> Iterator[Document]:
            seen: set[str] = set()
            for document in itertools.chain(given, read_documents(paths, problem)):
                report.warnings.extend(document.warnings)
                if document.id in seen or store.has_graph(mapper.iris.graph(document.id)):
                    report.skipped.append(document.source)
                    progress(1, 0)
                    continue
                seen.add(document.id)
                yield document

        progress = _progress(settings.progress, expected)
        store.ensure_ontology(ontology_dir() / "kg.ttl", ONTOLOGY_GRAPH)
        store.move_shared_descriptions(label_preference)  # a store of an earlier kg
        written = 0
        try:
            batches = _batches(fresh(), settings.batch_size)
            results_stream = (
                _extracted_on_dask(batches, settings.dask, settings.model, tables)
                if settings.dask
                else _extracted(batches, workers, settings.model, tables, pool=pool)
            )
            for results, parse_s, extract_s in results_stream:
                report.seconds["parse"] += parse_s
                report.seconds["extract"] += extract_s
                for extraction in results:
                    if isinstance(extraction, str):
                        problem(extraction)
                        continue
                    try:
                        replaced, quads = _store_document(
                            extraction, resolver, mapper, store, report.seconds, report.entity_iris
                        )
                    except (KGError, OSError):
                        raise  # the store, the disk or the model: the build cannot go on
                    except Exception as exc:  # noqa: BLE001 - one article's graph, not the build
                        # nothing of it was written: its graph is added in one transaction
                        problem(
                            f"{extraction.document.source}: writing its graph failed "
                            f"({type(exc).__name__}: {exc})"
                        )
                        continue
                    report.replaced += replaced
                    written += quads
                    if written >= FLUSH_QUADS:
                        # RocksDB keeps written data in memory tables until they are flushed; a
                        # long build otherwise grows by gigabytes (measured on Reuters-21578).
                        store.flush()
                        written = 0
                    report.added.append(extraction.document.source)
                    report.words += len(extraction.document.text.split())
                    report.mentions += len(extraction.mentions)
                    report.events += len(extraction.events)
                    report.claims += len(extraction.claims)
                    report.relations += len(extraction.relations)
                    progress(1, len(extraction.document.text.split()))
        finally:
            progress(0, 0, done=True)
            store.flush()
        report.triples_after = len(store)
        report.seconds["total"] = time.perf_counter() - started
        return report
    finally:
        if pool is not None:
            pool.stop()


def _store_document(
    extraction: Extraction,
    resolver: Resolver,
    mapper: Mapper,
    store: TripleStore,
    seconds: dict[str, float],
    entities: set[str] | None = None,
) -> tuple[int, int]:
    """Write one article in one transaction; returns how many older versions it replaced and
    how many quads it wrote.  Adds the IRIs of the entities it mentions to ``entities``."""
    t0 = time.perf_counter()
    resolution = resolver.resolve([extraction])
    t1 = time.perf_counter()
    quads = list(mapper.document_quads(extraction, resolution))
    table = resolution.mention_entity.get(extraction.document.id, {})
    keys = set(table.values())
    # An entity's aliases are the spellings of its named mentions as the article writes them
    # (the model reads headlines re-cased, so "FEDERAL RESERVE" is "Federal reserve" to it):
    # the same rule store.replace_update follows when it recomputes them, so the aliases do
    # not depend on which article came first.
    nominal = {m.key for m in extraction.mentions if m.nominal}
    spellings: dict[str, set[str]] = {}
    text = extraction.document.text
    for span, key in table.items():
        if span not in nominal:
            spellings.setdefault(key, set()).add(" ".join(text[span[0] : span[1]].split()))
    relabel: list[str] = []
    for key in sorted(keys):
        entity = resolution.entities[key]
        if entity.type == "Group":
            continue
        entity.aliases = spellings.get(key, set())
        # An entity's label is the best of the spellings its articles give it
        # (label_preference), whatever the order the articles came in; the others are aliases.
        iri = mapper.entity_iri(entity)
        labelled = store.label_of(iri)
        if labelled is not None and labelled != entity.label:
            if label_preference(labelled) <= label_preference(entity.label):
                # The aliases stay the spellings of the article's mentions, as when a label is
                # replaced (store.replace_update recomputes them from the mentions): this
                # article's label may be a form no article wrote ("Federal reserve", re-cased
                # from "FEDERAL RESERVE"), and adding it would make the aliases depend on the
                # order the articles came in.
                entity.label = labelled
            else:
                relabel.append(f"<{iri}>")
        quads.extend((s, p, o, None) for s, p, o in mapper.entity_triples(entity))
    if entities is not None:
        entities.update(str(mapper.entity_iri(resolution.entities[k])) for k in keys)
    unlabel = _publisher_label(extraction.document.publisher, mapper, store, quads)
    t2 = time.perf_counter()
    document = extraction.document
    publisher = str(mapper.iris.publisher(document.publisher)) if document.publisher else ""
    old_versions = store.versions_of(document.url, document.external_id, document.id, publisher)
    if old_versions or relabel or unlabel:
        # a new version of the same article, or a better label for an entity or the
        # publisher: one update
        store.replace_documents(old_versions, quads, relabel, unlabel=unlabel)
    else:
        store.add_quads(quads)
    t3 = time.perf_counter()
    seconds["resolve"] += t1 - t0
    seconds["map"] += t2 - t1
    seconds["store"] += t3 - t2
    return len(old_versions), len(quads)


def _publisher_label(
    publisher: str, mapper: Mapper, store: TripleStore, quads: list[Quad]
) -> list[str]:
    """The publisher has one label in the default graph whatever its articles call it
    ("Reuters", "REUTERS"): the best spelling by :func:`label_preference`, so the choice does
    not depend on the order of the articles.  Drops this article's label from ``quads`` when
    the stored one is as good; else returns the publisher (``<iri>``) to lose its label."""
    name = " ".join(publisher.split())
    if not name:
        return []
    iri = mapper.iris.publisher(publisher)
    labelled = store.label_of(iri)
    if labelled is None or labelled == name:
        return []
    if label_preference(labelled) <= label_preference(name):
        quads[:] = [
            quad
            for quad in quads
            if not (quad[0] == iri and quad[1] == RDFS.label and quad[3] is None)
        ]
        return []
    return [f"<{iri}>"]


def label_preference(label: str) -> tuple[bool, bool, str]:
    """Sort key of the spellings of one entity's name: the smallest is its label.  Mixed case
    before all capitals or all lower case ("Norrland Trading Company" before "NORRLAND TRADING
    COMPANY"), then the first in code-point order, so capitalised words win ("Company" before
    "company") and the choice does not depend on the order of the articles.

    >>> sorted(["NORRLAND TRADING", "Norrland trading", "Norrland Trading"], key=label_preference)
    ['Norrland Trading', 'Norrland trading', 'NORRLAND TRADING']
    """
    return (label.isupper(), label.islower(), label)


def estimate_articles(inputs: Iterable[str | Path | Document]) -> int:
    """How many articles the inputs hold (files, plus the lines of JSON Lines files), for the
    progress bar's ETA; cheap: nothing is parsed."""
    items = list(inputs)
    files, _ = expand_paths([i for i in items if not isinstance(i, Document)])
    total = sum(isinstance(i, Document) for i in items)
    for path in files:
        if path.suffix.lower() in {".jsonl", ".ndjson"}:
            try:
                with path.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1  # unreadable: the build reports it when it comes to read it
        else:
            total += 1
    return total


def _progress(enabled: bool, total: int = 0) -> Callable[..., None]:
    """A progress bar with articles/s, words/s and the time left; a no-op when not wanted."""
    if not enabled or not sys.stderr.isatty():
        return lambda n, words, done=False: None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        "{task.fields[rate]}",
        TimeRemainingColumn(),
        transient=True,
    )
    task = bar.add_task("building", total=total or None, rate="")
    bar.start()
    started = time.perf_counter()
    counts = [0, 0]

    def advance(n: int, words: int, done: bool = False) -> None:
        counts[0] += n
        counts[1] += words
        elapsed = max(time.perf_counter() - started, 1e-6)
        rate = f"{counts[0] / elapsed:.1f} articles/s, {counts[1] / elapsed:,.0f} words/s"
        bar.update(task, advance=n, rate=rate)
        if done:
            bar.stop()

    return advance


__all__ = ["BuildReport", "BuildSettings", "build"]
