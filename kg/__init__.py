"""parkkg: a knowledge graph of industrial parks, officials, companies and projects
read from Chinese news.

>>> import kg
>>> result = kg.build(["examples/articles"], "out")          # doctest: +SKIP
>>> kg.query("out", "SELECT ?p WHERE { ?p a kg:Park }").rows  # doctest: +SKIP
>>> kg.ask("out", "visits", city="徐州市")                   # doctest: +SKIP
"""

import logging

from .errors import InputError, KgError, QueryError
from .extract import extract
from .model import Article, BuildOptions, BuildResult, Entity, EntityType, Extraction, Relation, RelationType, Report
from .pipeline import build
from .query import QueryResult, ask, load_graph, query
from .validate import Validation, validate

logging.getLogger(__name__).addHandler(logging.NullHandler())

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
