"""Worker processes of :mod:`kg.pipeline`: a worker that dies costs only its article."""

from __future__ import annotations

import os

import pytest

from kg.model import Document, Extraction
from kg.nlp import DEFAULT_MODEL
from kg.pipeline import _extract_batch, _extracted

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
