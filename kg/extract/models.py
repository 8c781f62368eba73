"""The fitted models: the entity tagger, the relation classifier and the decision thresholds.

`kg train` writes them into a folder of three files; parkkg ships the ones
fit on the training articles of ../shared in kg/data/models/, and `kg build
--models DIR` reads others:

  entities-outer.crfsuite   the tagger's outer layer (crfsuite's own format)
  entities-inner.crfsuite   its inner layer
  decisions.json            head, entity and relation weights, the threshold, the caps, how they were fit
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InputError
from .tagger import EntityTagger

OUTER, INNER, DECISIONS = "entities-outer.crfsuite", "entities-inner.crfsuite", "decisions.json"
FILES = (OUTER, INNER, DECISIONS)


@dataclass(frozen=True)
class Models:
    """Everything extraction decides with."""

    tagger: EntityTagger
    heads: dict[str, Any] = field(default_factory=dict)  # logistic weights of company heads (heads.py)
    entities: dict[str, Any] = field(default_factory=dict)  # logistic weights per entity type (candidates.py)
    relations: dict[str, Any] = field(default_factory=dict)  # logistic weights per relation type (pairs.py)
    min_confidence: float = 0.5  # the threshold that gave the best F1 on articles held out
    # relation type -> how many of a head's relations of it are kept, its likeliest (none: all)
    most_per_head: dict[str, int] = field(default_factory=dict)
    about: dict[str, Any] = field(default_factory=dict)  # what they were fit on, and their scores
    version: str = ""  # a digest of the model files: extraction results depend on it

    def to_files(self) -> dict[str, bytes]:
        outer, inner = self.tagger.model_bytes
        decisions = {
            "entities": self.entities,
            "heads": self.heads,
            "min_confidence": self.min_confidence,
            "most_per_head": self.most_per_head,
            "relations": self.relations,
            "about": self.about,
        }
        text = json.dumps(decisions, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        return {OUTER: outer, INNER: inner, DECISIONS: text.encode("utf-8")}

    @classmethod
    def from_files(cls, files: dict[str, bytes], where: str = "models") -> Models:
        try:
            decisions = json.loads(files[DECISIONS].decode("utf-8"))
            tagger = EntityTagger(files[OUTER], files[INNER])
            heads, entities, relations = (dict(decisions[k]) for k in ("heads", "entities", "relations"))
            min_confidence = float(decisions["min_confidence"])
            most_per_head = {str(k): int(v) for k, v in decisions.get("most_per_head", {}).items()}
        except (KeyError, TypeError, ValueError, UnicodeDecodeError, OSError) as exc:
            raise InputError(f"{where}: not a parkkg model folder ({exc}); write one with kg train") from exc
        digest = hashlib.sha256(b"".join(files[name] for name in FILES)).hexdigest()[:16]
        about = decisions.get("about", {})
        return cls(tagger, heads, entities, relations, min_confidence, most_per_head, about, digest)

    def write(self, folder: Path) -> list[Path]:
        """Write the three files into `folder`; returns their paths."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, data in self.to_files().items():
            (folder / name).write_bytes(data)
            paths.append(folder / name)
        return paths


def load_models(folder: Path | str) -> Models:
    """The models `kg train` wrote into `folder`. Raises InputError when it holds none."""
    folder = Path(folder)
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise InputError(f"{folder}: no {', '.join(missing)}; write a model folder with kg train")
    return Models.from_files({name: (folder / name).read_bytes() for name in FILES}, str(folder))


@cache
def shipped_models() -> Models:
    """The models shipped with parkkg, fit on the training articles; loaded once."""
    root = resources.files("kg.data").joinpath("models")
    return Models.from_files({name: root.joinpath(name).read_bytes() for name in FILES}, "kg/data/models")
