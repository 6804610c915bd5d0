"""Tests for :mod:`kg.projection`: the networkx projections and the statistics."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.projection import RELATION_LABELS, project, stats
from kg.store import GraphStore
from kg.vocab import RELATION_PROPERTIES


@pytest.fixture
def store(sample_store: Path) -> Iterator[GraphStore]:
    opened = GraphStore.open(sample_store, create=False)
    yield opened
    opened.close()


def _relation_edges(graph) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return {
        (graph.nodes[u]["label"], data["label"], graph.nodes[v]["label"])
        for u, v, data in graph.edges(data=True)
        if "relation" in data
    }


def test_every_relation_type_has_an_edge_label() -> None:
    assert set(RELATION_LABELS) == set(RELATION_PROPERTIES)


@pytest.mark.slow
@pytest.mark.parametrize("view", ["entities", "events"])
def test_relations_are_edges_with_role_and_evidence(store: GraphStore, view: str) -> None:
    graph = project(store, view)
    edges = _relation_edges(graph)
    assert ("John Kirby", "works for (spokesperson)", "National Security Council") in edges
    for u, _v, data in graph.edges(data=True):
        if "relation" in data:
            (evidence,) = data["evidence"]
            assert graph.nodes[u]["label"].split()[-1].lower() in evidence["text"].lower()
            assert evidence["doc"] and evidence["date"]


@pytest.mark.slow
def test_stats_count_relations_by_type(store: GraphStore) -> None:
    counts = stats(store)
    assert counts["relations"] == sum(counts["relations_by_type"].values()) > 0
    assert counts["relations_by_type"]["worksFor"] >= 1
    assert set(counts["relations_by_type"]) <= set(RELATION_PROPERTIES)
