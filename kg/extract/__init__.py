"""Article -> Extraction: the rules that find entities and relations.

text.py       sentences, word boundaries, where names start
places.py     administrative divisions, and the article's own city
names.py      parks, companies, organisations, projects (by kind suffix)
persons.py    officials and persons, their title chains
entities.py   mentions grouped into entities with aliases
relations.py  holds_post, visited, located_in, invests_in, signed_with
lexicon.py    the word lists of kinds the rules use
"""

from __future__ import annotations

import logging
from dataclasses import replace

from ..model import Article, EntityType, Extraction, Mention, RelationType
from . import names, persons, places
from .dates import event_date
from .entities import contains, group_mentions, settle_overlaps
from .relations import find_relations
from .text import Text

log = logging.getLogger(__name__)

__all__ = ["extract"]

# Relations that happen on a day, rather than hold for a while.
_EVENTS = (RelationType.VISITED, RelationType.SIGNED_WITH)


def extract(article: Article) -> Extraction:
    """Entities and relations of one article, with mentions as offsets into its text.

    >>> from kg.model import Article
    >>> ex = extract(Article("d", "d.txt", "8月7日上午,市委书记庄兆林到徐州经济技术开发区调研。"))
    >>> sorted(e.name for e in ex.entities)
    ['庄兆林', '徐州市', '徐州经济技术开发区']
    """
    t = Text(article.text)
    context = places.infer_context(t, article.title)
    place_mentions = places.find_places(t, context)
    named = (
        names.find_parks(t, place_mentions)
        + names.find_companies(t, place_mentions)
        + names.find_organizations(t, place_mentions)
    )
    named += names.find_projects(t, place_mentions + named)
    named += names.find_listed(t, named)
    heads = []
    companies = [m for m in named if m.type is EntityType.COMPANY]
    for m in named:
        if m.type is EntityType.PROJECT and not m.weak and not any(contains(c, m) for c in companies):
            span = names.company_head(t, m, place_mentions)
            if span:
                heads.append(Mention(EntityType.COMPANY, span[0], span[1], t.text[span[0] : span[1]]))
    person_mentions, chains = persons.find_persons(t)
    mentions = settle_overlaps(place_mentions + named + heads + person_mentions)
    entities, key_of = group_mentions(mentions)
    relations, co = find_relations(t, mentions, key_of, entities, context, chains)
    relations = [
        replace(r, date=event_date(t.text, r.evidence_span[1], article.date)) if r.type in _EVENTS else r
        for r in relations
    ]
    log.debug("%s: %d entities, %d relations", article.doc_id, len(entities), len(relations))
    city = context.city.name if context.city else None
    return Extraction(article, city, tuple(entities), tuple(relations), tuple(co))
