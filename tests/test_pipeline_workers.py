"""Worker processes of :mod:`kg.pipeline`: a worker that dies costs only its article."""

from __future__ import annotations

import os
import sys

import pytest

from kg.model import Document, Extraction
from kg.nlp import DEFAULT_MODEL
from kg.pipeline import _extract_batch, _extract_on_dask, _extracted, _extracted_on_dask

CRASH = "This article kills the process that parses it."
FAIL = "This article makes the parser raise."


def crash_on_marker(batch: list[Document]) -> tuple[list[Extraction | str], float, float]:
    """Parse like kg does, but die (as a segfault would) on the marked article.  Runs in the
    worker processes, which import this module by name."""
    if any(CRASH in d.text for d in batch):
        os._exit(139)
    if any(FAIL in d.text for d in batch):
        raise MemoryError("no room")
    return _extract_batch(batch)


@pytest.mark.slow
def test_a_crashing_worker_costs_only_its_article() -> None:
    texts = [f"Egypt opened the crossing on day {i}." for i in range(7)]
    texts.insert(3, CRASH)
    texts.insert(6, FAIL)
    documents = [Document(t, f"a{i}.txt") for i, t in enumerate(texts)]
    batches = iter([documents[i : i + 2] for i in range(0, len(documents), 2)])
    out = [r for results, _p, _e in _extracted(batches, 2, DEFAULT_MODEL, task=crash_on_marker) for r in results]  # fmt: skip
    assert len(out) == len(documents)  # in input order, one result per article
    for document, result in zip(documents, out, strict=True):
        if document.text == CRASH:
            assert result == "a3.txt: the worker process parsing it crashed"
        elif document.text == FAIL:
            assert result == "a6.txt: parsing failed (MemoryError: no room)"
        else:
            assert isinstance(result, Extraction) and result.document.id == document.id


def crash_on_marker_dask(
    batch: list[Document], model: str, gazetteer: tuple[str, ...] = ()
) -> tuple[list[Extraction | str], float, float]:
    """The Dask task, dying or failing on the marked articles like :func:`crash_on_marker`."""
    if any(CRASH in d.text for d in batch):
        os._exit(139)
    if any(FAIL in d.text for d in batch):
        raise MemoryError("no room")
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
    assert len(out) == len(documents)
    for document, result in zip(documents, out, strict=True):
        if document.text == CRASH:
            assert result == "d1.txt: the Dask worker parsing it died"
        elif document.text == FAIL:
            assert result == "d3.txt: parsing failed (MemoryError: no room)"
        else:
            assert isinstance(result, Extraction) and result.document.id == document.id
