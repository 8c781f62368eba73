"""parkkg: a knowledge graph of industrial parks, officials, companies and projects
read from Chinese news.

>>> import kg
>>> result = kg.build(["examples/articles"], "out")          # doctest: +SKIP
>>> kg.query("out", "SELECT ?p WHERE { ?p a kg:Park }").rows  # doctest: +SKIP
>>> kg.ask("out", "visits", city="徐州市")                   # doctest: +SKIP
"""

import importlib
import logging
import sys
import types
from typing import TYPE_CHECKING

from .errors import InputError, KgError, QueryError
from .model import Article, BuildOptions, BuildResult, Entity, EntityType, Extraction, Relation, RelationType, Report

if TYPE_CHECKING:
    from .extract import extract
    from .pipeline import build
    from .query import QueryResult, ask, load_graph, query
    from .validate import Validation, validate

logging.getLogger(__name__).addHandler(logging.NullHandler())

# Imported when first used, so that a command that needs none of them (kg --help, kg query on a
# store) does not pay for jieba, LAC, networkx and the extraction models' code.
_LAZY = {
    "extract": "extract",
    "build": "pipeline",
    "QueryResult": "query",
    "ask": "query",
    "load_graph": "query",
    "query": "query",
    "Validation": "validate",
    "validate": "validate",
}


class _Package(types.ModuleType):
    """kg itself. Importing a submodule binds it to its package's attribute of that name; here the
    API's function of that name (kg.extract, kg.query, kg.validate) keeps it."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Article",
    "BuildOptions",
    "BuildResult",
    "Entity",
    "EntityType",
    "Extraction",
    "InputError",
    "KgError",
    "QueryError",
    "QueryResult",
    "Relation",
    "RelationType",
    "Report",
    "Validation",
    "ask",
    "build",
    "extract",
    "load_graph",
    "query",
    "validate",
]
