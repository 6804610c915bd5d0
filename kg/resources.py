"""Where kg finds the files it ships: the ontology, the gazetteer, named queries, the sample corpus.

In a source checkout the ontology lives in ``ontology/`` at the top of the repository; in an
installed wheel it is packaged as ``kg/_ontology``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
GAZETTEER_DIR = DATA_DIR / "gazetteer"
SAMPLE_DIR = DATA_DIR / "sample"
QUERIES_DIR = PACKAGE_DIR / "queries"


def ontology_dir() -> Path:
    """The folder holding ``kg.ttl`` and ``shapes.ttl``.

    >>> (ontology_dir() / "kg.ttl").is_file()
    True
    """
    for candidate in (PACKAGE_DIR / "_ontology", PACKAGE_DIR.parent / "ontology"):
        if (candidate / "kg.ttl").is_file():
            return candidate
    raise FileNotFoundError("kg.ttl not found: the kg installation is incomplete")


__all__ = ["DATA_DIR", "GAZETTEER_DIR", "QUERIES_DIR", "SAMPLE_DIR", "ontology_dir"]
