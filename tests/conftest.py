"""Shared fixtures: the sample corpus built once per session, and the ``kg`` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import kg
from kg.resources import SAMPLE_DIR

KG_SCRIPT = Path(sys.executable).parent / "kg"


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the bundled sample corpus (built once, then closed).

    Tests must not write to it; copy it first (see ``store_copy`` in test_cli.py).
    """
    folder = tmp_path_factory.mktemp("sample") / "store"
    graph = kg.KnowledgeGraph(folder)
    try:
        report = graph.add_documents([SAMPLE_DIR])
    finally:
        graph.close()
    assert report.added, report.summary()
    assert not report.problems, report.problems
    return folder


@pytest.fixture
def run_kg(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed ``kg`` console script in a subprocess (cwd: ``tmp_path``)."""
    assert KG_SCRIPT.is_file(), f"console script not installed: {KG_SCRIPT}"

    def run(
        *args: str | Path, cwd: Path | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "KG_DEBUG"}
        return subprocess.run(
            [str(KG_SCRIPT), *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd or tmp_path,
            env=env,
            timeout=timeout,
            check=False,
        )

    return run


@pytest.fixture
def store_copy(sample_store: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the sample store."""
    target = tmp_path / "store"
    shutil.copytree(sample_store, target)
    return target
