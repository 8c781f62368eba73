"""Every data type the pipeline stages pass between them.

All are frozen, slotted dataclasses holding tuples, so a stage cannot change
what another stage handed it. The `str` enums' values are the words of the
`extractions.jsonl` contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

DEFAULT_BASE_IRI = "https://parkkg.org/id/"


class EntityType(StrEnum):
    PARK = "Park"
    PLACE = "Place"
    OFFICIAL = "Official"
    PERSON = "Person"
    COMPANY = "Company"
    PROJECT = "Project"
    ORGANIZATION = "Organization"


class RelationType(StrEnum):
    HOLDS_POST = "holds_post"
    VISITED = "visited"
    LOCATED_IN = "located_in"
    INVESTS_IN = "invests_in"
    SIGNED_WITH = "signed_with"


class PlaceLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"


class InputStatus(StrEnum):
    BUILT = "built"
    DUPLICATE = "duplicate"  # the same cleaned text as an input built before it
    SUPERSEDED = "superseded"  # a crawl of a URL that a later record of the inputs crawled again
    REJECTED = "rejected"


Span = tuple[int, int]


def _by_fields(self: object) -> tuple:
    """Pickle as the class and its fields: read back twice as fast as dataclasses' state of slots,
    and a build reads each extraction back from disk several times (spill.py)."""
    return type(self), tuple(getattr(self, name) for name in self.__slots__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division of the gazetteer."""

    code: str  # 12-digit official division code
    name: str  # 镇江市
    level: PlaceLevel
    parent: str | None  # code of the parent division
    short: str | None  # 镇江; None when no safe short form exists


@dataclass(frozen=True, slots=True)
class Article:
    """One document: the cleaned text every offset refers to."""

    doc_id: str
    source: str
    text: str
    title: str = ""
    date: str | None = None  # ISO date of publication, when the page gives it

    __reduce__ = _by_fields


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity of one document; `id` is its IRI once merged."""

    type: EntityType
    name: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()
    level: PlaceLevel | None = None  # Places only
    code: str | None = None  # division code of a Place, when the gazetteer knows it
    id: str = ""
    same_as: tuple[str, ...] = ()  # other IRIs of the entity: those its shorter names would have had
    confidence: float = 1.0  # the model's probability that this is an entity of this type

    __reduce__ = _by_fields

    @property
    def key(self) -> str:
        """The entity's handle inside its document, before it has an IRI."""
        return f"{self.type}:{self.name}"


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation between two entities of one document, with its evidence."""

    type: RelationType
    head: str  # Entity.key before merging, Entity.id after
    tail: str
    evidence: str
    evidence_span: Span
    title: str | None = None  # holds_post only
    date: str | None = None  # ISO date of the event (visits, signings), when the text tells it
    confidence: float = 1.0  # the model's probability that the text states this relation

    __reduce__ = _by_fields


@dataclass(frozen=True, slots=True)
class CoMention:
    """Two entities named in one sentence."""

    a: str
    b: str
    sentence_span: Span

    __reduce__ = _by_fields


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one article yielded."""

    article: Article
    city: str | None
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    co_mentions: tuple[CoMention, ...] = ()

    __reduce__ = _by_fields


@dataclass(frozen=True, slots=True)
class InputRecord:
    """What became of one input: built as a document, or rejected and why."""

    path: str  # a file, or file:line of a crawl export
    status: InputStatus
    reason: str = ""
    doc_id: str | None = None  # the document built (for a duplicate: the one it duplicates)
    detail: str = ""  # the traceback, when a bug rejected the input (written to OUT/errors.log)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Everything a build can be told."""

    base_iri: str = DEFAULT_BASE_IRI
    html: bool = True
    strict: bool = False  # fail the build (exit status 1) when any input is rejected
    keep_teasers: bool = False  # related-article teasers as documents of their own
    models: Path | None = None  # a folder kg train wrote; None: the models shipped with parkkg
    min_confidence: float | None = None  # facts less confident are dropped; None: the models' own threshold
    force: bool = False  # replace an output folder that holds files kg build did not write
    jobs: int | None = None  # extraction processes; None: one per core
    scheduler: str | None = None  # the address of a Dask scheduler whose workers extract


@dataclass(frozen=True, slots=True)
class Report:
    """The account of a build: every input, and what was written."""

    inputs: tuple[InputRecord, ...]
    entity_counts: dict[str, int] = field(default_factory=dict)
    relation_counts: dict[str, int] = field(default_factory=dict)
    files: tuple[Path, ...] = ()
    strict: bool = False
    unlinked_places: tuple[tuple[str, str], ...] = ()  # (doc_id, name): names several divisions share
    out: str = ""  # the output folder
    kept: str = ""  # when nothing was written: what became of the output folder
    html: bool = True  # whether the build writes graph.html
    cached: int = 0  # documents whose extraction the previous build's cache gave

    @property
    def built(self) -> tuple[InputRecord, ...]:
        return tuple(r for r in self.inputs if r.status is InputStatus.BUILT)

    @property
    def rejected(self) -> tuple[InputRecord, ...]:
        return tuple(r for r in self.inputs if r.status is InputStatus.REJECTED)

    @property
    def duplicates(self) -> tuple[InputRecord, ...]:
        """Inputs another input makes redundant: the same text, or a later crawl of the same URL."""
        return tuple(r for r in self.inputs if r.status in (InputStatus.DUPLICATE, InputStatus.SUPERSEDED))

    @property
    def exit_code(self) -> int:
        """1 when nothing was built, or with `strict` when anything was rejected; else 0."""
        return 0 if self.built and not (self.strict and self.rejected) else 1

    def summary(self) -> str:
        lines = [f"{len(self.built)} documents built, {len(self.duplicates)} duplicates, {len(self.rejected)} rejected"]
        if self.cached:
            lines[0] += f" ({self.cached} extractions from the previous build's cache)"
        lines += [f"  {r.status} {r.path}: {r.reason}" for r in self.inputs if r.status is not InputStatus.BUILT]
        if self.unlinked_places:
            names = ", ".join(f"{name} ({doc_id})" for doc_id, name in self.unlinked_places)
            lines.append(
                f"{len(self.unlinked_places)} places left unlinked, their names shared by several divisions: {names}"
            )
        if self.entity_counts:
            lines.append("entities: " + ", ".join(f"{k} {v}" for k, v in self.entity_counts.items()))
        if self.relation_counts:
            lines.append("relations: " + ", ".join(f"{k} {v}" for k, v in self.relation_counts.items()))
        lines += [f"wrote {p}" for p in self.files]
        if self.kept:
            why = "nothing could be built" if not self.built else f"--strict, and {len(self.rejected)} rejected"
            lines.append(f"no build written ({why}): {self.kept}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What `kg.build` returns."""

    report: Report
    extractions: Sequence[Extraction]  # read from disk on each use: iterate, don't keep


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of an article's text that names an entity of some type."""

    type: EntityType
    start: int
    end: int
    text: str
    level: PlaceLevel | None = None
    code: str | None = None  # division code of a Place
    weak: bool = False  # a bare or generic form, kept only as an alias of a named entity
    confidence: float = 1.0  # the tagger's probability of this span and type
    origin: str = ""  # who proposed it: "tagger", "rules", "lac", "list" (a rule for lists), joined by "+"
