"""kg: turn news articles into a knowledge graph.

>>> import kg
>>> sorted(kg.__all__)[:3]
['BuildReport', 'Document', 'InputError']
"""

from kg.errors import InputError, KGError, ModelError, QueryError, RenderError, StoreError
from kg.graph import KnowledgeGraph
from kg.model import Document
from kg.pipeline import BuildReport
from kg.query import Rows

__version__ = "0.1.0"

__all__ = [
    "BuildReport",
    "Document",
    "InputError",
    "KGError",
    "KnowledgeGraph",
    "ModelError",
    "QueryError",
    "RenderError",
    "Rows",
    "StoreError",
    "__version__",
]
