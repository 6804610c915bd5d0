"""Worker processes of :mod:`kg.pipeline`: a worker that dies costs only its article."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kg.errors import KGError, ModelError
from kg.model import Document, Extraction
from kg.nlp import DEFAULT_MODEL
from kg.pipeline import _extract_batch, _extract_on_dask, _extracted, _extracted_on_dask

CRASH = "This article kills the process that parses it."
FAIL = "This article makes the parser raise."


def crash_on_marker(batch: list[Document]) -> tuple[list[Extraction | str], float, float]:
    """Parse like kg does, but die (as a segfault would) on the marked article.  Runs in the
    worker processes, which import this module by name."""
    _die_or_fail_on_markers(batch)
    return _extract_batch(batch)


def _die_or_fail_on_markers(batch: list[Document]) -> None:
    if any(CRASH in d.text for d in batch):
        os._exit(139)
    if any(FAIL in d.text for d in batch):
        raise MemoryError("no room")


def _check_one_result_per_article(
    documents: list[Document], out: list[Extraction | str], died: str
) -> None:
    """In input order, one result per article: the marked ones as their error messages."""
    assert len(out) == len(documents)
    for document, result in zip(documents, out, strict=True):
        if document.text == CRASH:
            assert result == f"{document.source}: {died}"
        elif document.text == FAIL:
            assert result == f"{document.source}: parsing failed (MemoryError: no room)"
        else:
            assert isinstance(result, Extraction) and result.document.id == document.id


@pytest.mark.slow
def test_a_crashing_worker_costs_only_its_article() -> None:
    texts = [f"Egypt opened the crossing on day {i}." for i in range(7)]
    texts.insert(3, CRASH)
    texts.insert(6, FAIL)
    documents = [Document(t, f"a{i}.txt") for i, t in enumerate(texts)]
    batches = iter([documents[i : i + 2] for i in range(0, len(documents), 2)])
    out = [r for results, _p, _e in _extracted(batches, 2, DEFAULT_MODEL, task=crash_on_marker) for r in results]  # fmt: skip
    assert [documents[3].source, documents[6].source] == ["a3.txt", "a6.txt"]
    _check_one_result_per_article(documents, out, "the worker process parsing it crashed")


def crash_on_marker_dask(
    batch: list[Document], model: str, gazetteer: tuple[str, ...] = ()
) -> tuple[list[Extraction | str], float, float]:
    """The Dask task, dying or failing on the marked articles like :func:`crash_on_marker`."""
    _die_or_fail_on_markers(batch)
    return _extract_on_dask(batch, model, gazetteer)


@pytest.mark.slow
def test_a_crashing_dask_worker_costs_only_its_article() -> None:
    dask = pytest.importorskip("dask")
    pytest.importorskip("dask.distributed")
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests
    texts = [f"Egypt opened the crossing on day {i}." for i in range(4)]
    texts.insert(1, CRASH)
    texts.insert(3, FAIL)
    documents = [Document(t, f"d{i}.txt") for i, t in enumerate(texts)]
    batches = iter([documents[i : i + 2] for i in range(0, len(documents), 2)])
    # The scheduler gives up on a task the first time a worker dies running it.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        stream = _extracted_on_dask(batches, "local:2", DEFAULT_MODEL, task=crash_on_marker_dask)
        out = [r for results, _p, _e in stream for r in results]
    assert [documents[1].source, documents[3].source] == ["d1.txt", "d3.txt"]
    _check_one_result_per_article(documents, out, "the Dask worker parsing it died")


def _worker_settings() -> tuple[Any, ...]:
    import dask

    return (
        os.environ.get("MALLOC_TRIM_THRESHOLD_"),
        *(
            dask.config.get(f"distributed.{key}")
            for key in (
                "worker.profile.enabled",
                "admin.tick.interval",
                "admin.system-monitor.interval",
                "worker.memory.monitor-interval",
            )
        ),
    )


@pytest.mark.slow
def test_a_local_dask_cluster_keeps_glibc_malloc_defaults_no_profiler_and_slow_clocks() -> None:
    pytest.importorskip("dask.distributed")
    import cloudpickle

    from kg.pipeline import _dask_client

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    client = _dask_client("local:1")
    try:
        settings = list(client.run(_worker_settings).values())  # type: ignore[no-untyped-call]
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()
    # Dask's default MALLOC_TRIM_THRESHOLD_=65536 makes spaCy parse about a fifth slower; the
    # slower clocks leave the parse the GIL.
    assert settings == [(None, False, "1s", "10s", "1s")]


def report_thread_settings(batch: list[Document]) -> tuple[list[Extraction | str], float, float]:
    """Runs in a worker process: its BLAS/OpenMP thread settings, one line per article."""
    names = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    line = " ".join(f"{n}={os.environ.get(n)}" for n in names)
    return [line for _ in batch], 0.0, 0.0


@pytest.mark.slow
def test_worker_processes_start_with_one_blas_thread_and_the_caller_keeps_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")  # the user's own setting wins
    documents = [Document(f"Egypt opened the crossing on day {i}.", f"t{i}.txt") for i in range(3)]
    batches = iter([documents[:2], documents[2:]])
    stream = _extracted(batches, 2, DEFAULT_MODEL, task=report_thread_settings)
    out = [r for results, _p, _e in stream for r in results]
    assert out == ["OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=3"] * 3
    assert "OMP_NUM_THREADS" not in os.environ and "OPENBLAS_NUM_THREADS" not in os.environ


@pytest.mark.slow
def test_workers_that_cannot_load_the_model_fail_the_build_at_once() -> None:
    """A pool that breaks before any worker is ready is a start-up failure: one error, not a
    new pool per article."""
    documents = [Document(f"Egypt opened the crossing on day {i}.", f"m{i}.txt") for i in range(4)]
    batches = iter([documents[:2], documents[2:]])
    with pytest.raises(ModelError, match="exited before they were ready"):
        list(_extracted(batches, 2, "no_such_model_for_kg_tests"))


UNGUARDED_SCRIPT = """
from kg.graph import KnowledgeGraph
from kg.model import Document

documents = [Document(f"Egypt opened the crossing on day {i}.", f"u{i}.txt") for i in range(4)]
report = KnowledgeGraph(memory=True).add_documents(documents, workers=2, batch_size=1)
print("built", len(report.added))
"""


@pytest.mark.slow
def test_a_script_without_a_main_guard_gets_the_reason_not_a_retry_per_article(
    tmp_path: Path,
) -> None:
    script = tmp_path / "unguarded.py"
    script.write_text(UNGUARDED_SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode != 0
    assert "built" not in done.stdout
    # The traceback ends with kg's error; the resource tracker may print a warning after it
    # about the semaphores the crashed children left behind, so the line is looked for.
    errors = [line for line in done.stderr.splitlines() if line.startswith("kg.errors.")]
    assert len(errors) == 1, done.stderr
    assert errors[0].startswith("kg.errors.ModelError: the worker processes exited before")
    assert 'if __name__ == "__main__":' in errors[0]


GUARDED_SCRIPT = (
    "def main() -> None:\n"
    + "".join(f"    {line}\n" for line in UNGUARDED_SCRIPT.strip().splitlines())
    + '\n\nif __name__ == "__main__":\n    main()\n'
)


@pytest.mark.slow
def test_the_same_script_with_a_main_guard_builds(tmp_path: Path) -> None:
    script = tmp_path / "guarded.py"
    script.write_text(GUARDED_SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "built 4"


@pytest.mark.slow
def test_dask_workers_that_cannot_load_the_model_fail_the_build_at_once() -> None:
    pytest.importorskip("dask.distributed")
    documents = [Document(f"Egypt opened the crossing on day {i}.", f"k{i}.txt") for i in range(4)]
    batches = iter([documents[:2], documents[2:]])
    with pytest.raises(ModelError, match=r"^--dask local:1: the workers cannot load the model"):
        list(_extracted_on_dask(batches, "local:1", "no_such_model_for_kg_tests"))


def kg_missing_on_the_worker(
    batch: list[Document], model: str, gazetteer: tuple[str, ...] = ()
) -> tuple[list[Extraction | str], float, float]:
    """The task as a worker without kg installed runs it."""
    raise ModuleNotFoundError("No module named 'kg'")


@pytest.mark.slow
def test_dask_workers_without_kg_fail_the_build_at_once() -> None:
    pytest.importorskip("dask.distributed")
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    documents = [Document(f"Egypt opened the crossing on day {i}.", f"w{i}.txt") for i in range(4)]
    batches = iter([documents[:2], documents[2:]])
    stream = _extracted_on_dask(batches, "local:1", DEFAULT_MODEL, task=kg_missing_on_the_worker)
    with pytest.raises(KGError, match="kg and its model must be installed on every worker"):
        list(stream)
