"""Article -> Extraction: candidates from rules, decisions from models fit on annotated articles.

text.py       sentences, word boundaries, where names start
places.py     administrative divisions, and the article's own city
names.py      parks, companies, organisations, projects (by kind suffix)
persons.py    officials and persons, their title chains
tagger.py     the CRF that labels entity mentions, reading the rules' as features
heads.py      the companies that open project and park names, by a model
entities.py   mentions grouped into entities with aliases
relations.py  the rules' relations: holds_post, visited, located_in, invests_in, signed_with
pairs.py      the classifier that decides each relation, reading the rules' as features
models.py     the fitted models shipped in kg/data/models, and loading others
lexicon.py    the word lists of kinds the rules use

The rules propose; the models, fit by `kg train` on annotated articles,
decide, and give every entity and relation its confidence.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from .. import lac
from ..model import Article, CoMention, Entity, Extraction, Mention, RelationType
from . import names, pairs, persons, places
from .candidates import features_by_key, propose
from .dates import event_date
from .entities import group_mentions, settle_overlaps
from .heads import with_heads
from .logistic import LogisticModel
from .models import Models, shipped_models
from .persons import TitleChain
from .places import PlaceContext
from .relations import find_relations
from .tagger import Features, char_features
from .text import Text

log = logging.getLogger(__name__)

__all__ = [
    "Analysis",
    "Found",
    "analyse",
    "extract",
    "extract_analysed",
    "extract_by_rules",
    "find_entities",
    "keep_confident",
]

# Relations that happen on a day, rather than hold for a while.
_EVENTS = (RelationType.VISITED, RelationType.SIGNED_WITH)


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the models read of one article: its text, context, the rules' mentions and the features."""

    text: Text
    context: PlaceContext
    candidates: tuple[Mention, ...]  # every mention the rules propose, weak ones included
    chains: tuple[TitleChain, ...]  # persons' title chains
    lac_tags: tuple[str, ...]  # LAC's tag of each character
    lac_names: dict[str, list[float]]  # per LAC name type, how likely each character is in such a name
    features: Features


def rule_mentions(t: Text, context: PlaceContext) -> tuple[list[Mention], list[TitleChain]]:
    """The mentions the rules find, by kind words, titles and the gazetteer, and the title chains."""
    place_mentions = places.find_places(t, context)
    named = (
        names.find_parks(t, place_mentions)
        + names.find_companies(t, place_mentions)
        + names.find_organizations(t, place_mentions)
    )
    named += names.find_projects(t, place_mentions + named)
    named += names.find_listed(t, named)
    person_mentions, chains = persons.find_persons(t)
    return place_mentions + named + person_mentions, chains


def analyse(article: Article) -> Analysis:
    """Run the rules and the lexical analysers over `article`, once, for every model that reads it."""
    t = Text(article.text)
    context = places.infer_context(t, article.title)
    candidates, chains = rule_mentions(t, context)
    reading = lac.read(article.text)
    features = char_features(t, reading.tags, candidates)
    return Analysis(t, context, tuple(candidates), tuple(chains), tuple(reading.tags), reading.names, features)


def extract(article: Article, models: Models | None = None, min_confidence: float | None = None) -> Extraction:
    """Entities and relations of one article, with mentions as offsets into its text.

    `models` default to those shipped with parkkg; facts less confident than
    `min_confidence` (default: the models' own threshold) are left out.

    >>> from kg.model import Article
    >>> ex = extract(Article("d", "d.txt", "8月7日上午,市委书记庄兆林到徐州经济技术开发区调研。"))
    >>> sorted(e.name for e in ex.entities)
    ['庄兆林', '徐州市', '徐州经济技术开发区']
    """
    models = models or shipped_models()
    threshold = models.min_confidence if min_confidence is None else min_confidence
    return keep_confident(extract_analysed(article, analyse(article), models), threshold)


@dataclass(frozen=True, slots=True)
class Found:
    """An article's entities: its mentions, the entities they name (each mention's by key), their features."""

    mentions: list[Mention]
    entities: list[Entity]
    key_of: dict[Mention, str]
    features: dict[str, dict[str, float]]  # entity key -> what the entity model weighs


def find_entities(a: Analysis, models: Models) -> Found:
    """The article's proposed mentions grouped into entities, each with the entity model's probability."""
    proposed = propose(a.text, models.tagger, a.features, a.candidates, a.lac_tags)
    mentions = settle_overlaps(with_heads(a.text, a.lac_tags, proposed, models.heads))
    entities, key_of = group_mentions(a.text.text, mentions)
    features = features_by_key(a.text, entities, key_of, a.chains, a.lac_tags, a.lac_names)
    if models.entities:
        model = LogisticModel(models.entities)
        entities = [replace(e, confidence=round(model.probability(str(e.type), features[e.key]), 4)) for e in entities]
    return Found(mentions, entities, key_of, features)


def relation_view(a: Analysis, found: Found) -> tuple[pairs.ArticleView, list[CoMention]]:
    """What the relation classifier reads of an article (the rules' relations among it), and its co-mentions.

    The article's city, county and province are among its entities even when
    it does not name them (implied, with no mentions): a bare 市长 or 省领导 is
    a post there (the guidelines), and only such posts may end at them.
    """
    entities = found.entities + places.implied(a.context, found.entities)
    rule_relations, co = find_relations(a.text, found.mentions, found.key_of, entities, a.context, list(a.chains))
    view = pairs.article_view(a.text, found.mentions, found.key_of, entities, a.context, rule_relations)
    return view, co


def _with_implied(entities: list[Entity], view: pairs.ArticleView, relations: list) -> list[Entity]:
    """The entities, and the implied places that relations end at, each as confident as its likeliest post."""
    named = {e.key for e in entities}
    implied = []
    for key, e in view.entities.items():
        if key not in named:
            ending = [r.confidence for r in relations if r.tail == key]
            if ending:
                implied.append(replace(e, confidence=max(ending)))
    return entities + implied


def extract_analysed(article: Article, a: Analysis, models: Models) -> Extraction:
    """The extraction of an analysed article by `models`, every fact kept whatever its confidence."""
    found = find_entities(a, models)
    entities = found.entities
    view, co = relation_view(a, found)
    if models.relations:
        relations = pairs.decide(view, LogisticModel(models.relations), models.most_per_head)
    else:  # decide() judges only allowed candidates; the rules' own relations are filtered here
        relations = [r for r in view.rules.values() if pairs.allowed(view, r.type, r.head, r.tail)]
    entities = _with_implied(entities, view, relations)
    relations = [
        replace(r, date=event_date(a.text.text, r.evidence_span[1], article.date)) if r.type in _EVENTS else r
        for r in relations
    ]
    log.debug("%s: %d entities, %d relations", article.doc_id, len(entities), len(relations))
    city = a.context.city.name if a.context.city else None
    return Extraction(article, city, tuple(entities), tuple(relations), tuple(co))


def extract_by_rules(article: Article) -> Extraction:
    """What the rules alone make of an article: the candidates the models judge, as an extraction.

    Every rule's mention, settled and grouped, and every relation the rules of
    relations.py state, each with confidence 1. For inspecting and testing the
    rules; `extract` is what builds use.
    """
    a = analyse(article)
    mentions = settle_overlaps(list(a.candidates))
    entities, key_of = group_mentions(a.text.text, mentions)
    found = Found(mentions, entities, key_of, {})
    view, co = relation_view(a, found)
    relations = [r for r in view.rules.values() if pairs.allowed(view, r.type, r.head, r.tail)]
    city = a.context.city.name if a.context.city else None
    return Extraction(article, city, tuple(_with_implied(entities, view, relations)), tuple(relations), tuple(co))


def keep_confident(ex: Extraction, min_confidence: float) -> Extraction:
    """The extraction without the entities and relations less confident than `min_confidence`
    (and without the relations and co-mentions of the entities dropped)."""
    entities = tuple(e for e in ex.entities if e.confidence >= min_confidence)
    kept = {e.key for e in entities} | {e.id for e in entities if e.id}
    relations = tuple(r for r in ex.relations if r.confidence >= min_confidence and r.head in kept and r.tail in kept)
    co = tuple(c for c in ex.co_mentions if c.a in kept and c.b in kept)
    return replace(ex, entities=entities, relations=relations, co_mentions=co)
