"""The example notebook ``notebooks/rafah.ipynb``: committed without outputs, uses only the
public API, and runs from top to bottom in a Jupyter kernel (nbclient).

The execution test needs the dev dependencies nbclient, nbformat and ipykernel; without them
it is skipped.  The kernel is the ``python3`` kernelspec, whose ``python`` command
jupyter_client replaces by this interpreter, so the notebook runs in this environment.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "rafah.ipynb"


def load_raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    return data


def source(cell: dict[str, Any]) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def code_cells(nb: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def tagged(nb: Any, tag: str) -> Any:
    cells = [c for c in nb["cells"] if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def output_text(cell: Any, mime: str | None = None) -> str:
    """All the text a cell shows: streams, and the ``mime`` (or every) representation."""
    parts: list[str] = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(source({"source": out.get("text", "")}))
        for kind, value in out.get("data", {}).items():
            if mime is None or kind == mime:
                parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


# ---------------------------------------------------------------- the file as committed
def test_notebook_is_committed_without_outputs() -> None:
    nb = load_raw()
    assert nb["nbformat"] == 4
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    cells = code_cells(nb)
    assert cells, "the notebook has no code cells"
    for cell in cells:
        assert cell["outputs"] == [], f"cell {cell.get('id')} has outputs: clear them"
        assert cell["execution_count"] is None, f"cell {cell.get('id')} has an execution count"
    assert any(c["cell_type"] == "markdown" for c in nb["cells"])


def test_notebook_is_valid_nbformat() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbformat.validate(nbformat.read(NOTEBOOK, as_version=4))


def test_notebook_uses_only_the_public_api() -> None:
    code = "\n".join(source(c) for c in code_cells(load_raw()))
    imports = re.findall(r"^\s*(?:from|import)\s+(kg\b[\w.]*)", code, flags=re.MULTILINE)
    assert imports == ["kg"], f"the notebook imports kg internals: {imports}"
    assert "from kg import KnowledgeGraph" in code
    for call in ("named_query(", "query(", "to_dataframe", "render(", "to_networkx(", "stats("):
        assert call in code, f"the notebook does not show {call}"


# ---------------------------------------------------------------- running it
@pytest.mark.slow
def test_notebook_runs_and_shows_the_disputed_numbers_and_the_viewer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")

    # Prefer this environment's kernelspec over one in the user's Jupyter folder.
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "1")
    monkeypatch.delenv("KG_DEBUG", raising=False)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    probe = nbformat.v4.new_code_cell("import sys\nprint(sys.prefix)")
    nb.cells.insert(0, probe)

    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=120,
        allow_errors=False,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell

    assert os.path.realpath(output_text(probe).strip()) == os.path.realpath(sys.prefix), (
        "the kernel does not run this environment's Python"
    )
    for cell in nb.cells:
        if cell.cell_type == "code":
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"cell {cell.get('id')} failed: {errors}"
            stderr = [o for o in cell.outputs if o.get("name") == "stderr"]
            assert not stderr, f"cell {cell.get('id')} wrote to stderr: {stderr}"

    disputed = output_text(tagged(nb, "disputed-numbers"), "text/html")
    cells = re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", disputed)
    for number in ("81", "88", "90"):
        assert number in cells, f"{number} missing from the disputed numbers table"
    assert "approximate" in cells

    viewer = output_text(tagged(nb, "viewer"), "text/html")
    assert "<iframe" in viewer and "srcdoc=" in viewer
    assert "&lt;html" in viewer.lower(), "the viewer page is not embedded in srcdoc"
    assert not list(tmp_path.iterdir()), "the notebook left files in its working folder"
