"""Proposed entities: mentions from the tagger, the rules and LAC, and the features an entity is judged by.

Three sources propose mentions: the tagger's best labelling, the rules
(names.py, persons.py, places.py) and LAC's name spans. Each proposal gets the
tagger's probability for its span and type (Tagging.score), so a rule's or
LAC's mention the best labelling left out still has a measured chance. Once
grouped into entities (entities.py), each entity is described by
`entity_features` and a logistic model per type, fit by `kg train`, gives the
probability that it is an entity of that type.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..gazetteer import gazetteer
from ..model import Entity, EntityType, Mention
from . import lexicon
from .entities import Spans
from .persons import TitleChain, is_official_chain
from .tagger import EntityTagger, Features
from .text import Text, is_generic

E = EntityType
_PERSONS = (E.OFFICIAL, E.PERSON)
# The types a LAC name span may be: it tags persons, places and organisations, and proper nouns.
_LAC_TYPES = {
    "PER": (E.OFFICIAL, E.PERSON),
    "LOC": (E.PLACE, E.PARK),
    "ORG": (E.COMPANY, E.ORGANIZATION, E.PARK, E.PROJECT),
    "nz": (E.COMPANY, E.ORGANIZATION, E.PROJECT, E.PARK),
}
# A LAC span the tagger gives less than this is not worth judging.
_MIN_SCORE = 0.01
# The words a name of each type ends with.
_KIND_ENDINGS = {
    E.PARK: lexicon.PARK_SUFFIXES,
    E.COMPANY: lexicon.COMPANY_SUFFIXES,
    E.ORGANIZATION: lexicon.ORGANIZATION_SUFFIXES,
    E.PROJECT: ("项目", "工程", *lexicon.FACILITY_ENDINGS),
    E.OFFICIAL: (),
    E.PERSON: (),
    E.PLACE: (),
}
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A count of things (7家, 3个, 两家): no name holds one.
_COUNT = re.compile(r"[0-9一二三四五六七八九十两几多]+[个家座所批类]")
# Words of a clause that lists fields of industry, not names: 签约项目涵盖集成电路、生物医药…等多个重点领域.
_FIELD_WORDS = re.compile(r"涵盖|包含|涉及|聚焦|围绕|覆盖|领域|产业链|行业")


def lac_spans(lac_tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """LAC's name spans: (start, end, PER|LOC|ORG|nz)."""
    out, i = [], 0
    while i < len(lac_tags):
        tag, _, position = lac_tags[i].rpartition("-")
        j = i + 1
        while j < len(lac_tags) and lac_tags[j] == f"{tag}-I":
            j += 1
        if tag in _LAC_TYPES and position == "B":
            out.append((i, j, tag))
        i = j
    return out


def propose(
    t: Text, tagger: EntityTagger, features: Features, candidates: Sequence[Mention], lac_tags: Sequence[str]
) -> list[Mention]:
    """Every proposed mention, scored by the tagger, with its origins, division and weakness.

    A tagged place takes its division from the rules' mention of that span (or
    the gazetteer, when the name is unambiguous); a mention is weak when the
    rules' mention of that span is, or when it holds only generic words (园区).
    A person's name gets one type in the article, the one its mentions score
    highest as in all.
    """
    names = [(s, e, tag) for s, e, tag in lac_spans(lac_tags) if e - s >= 2 and _CJK.search(t.text[s:e])]
    # the tagger reads its marginals only where a proposal below will be scored
    scored = [(m.start, m.end, m.type) for m in candidates] + [
        (s, e, ty) for s, e, tag in names for ty in _LAC_TYPES[tag]
    ]
    tagging = tagger.tag(t, features, scored)
    proposals: dict[tuple[int, int, EntityType], Mention] = {}

    def add(m: Mention, origin: str, score: float = 0.0) -> None:
        key = (m.start, m.end, m.type)
        kept = proposals.get(key)
        if kept is not None:
            # a span one rule finds weak and another names (a list's item) is named; other proposers keep weakness
            weak = kept.weak and (m.weak or "rules" not in origin)
            confidence = max(kept.confidence, score)  # kept's is the tagger's score of this span
            proposals[key] = replace(kept, origin=_joined(kept.origin, origin), weak=weak, confidence=confidence)
        else:
            proposals[key] = replace(m, origin=origin, confidence=max(score, tagging.score(m.start, m.end, m.type)))

    for m in candidates:
        add(m, _joined("rules", m.origin))  # a rule may name itself too: "list+rules"
    for m in tagging.mentions:
        trimmed = _after_place_of(t, m)
        # the tagger found a name ending here, its start one character after the place's 的
        add(trimmed, "tagger", tagging.score(m.start, m.end, m.type) if trimmed is not m else 0.0)
    for start, end, tag in names:
        etype = max(_LAC_TYPES[tag], key=lambda ty: tagging.score(start, end, ty))
        if tagging.score(start, end, etype) >= _MIN_SCORE:
            add(Mention(etype, start, end, t.text[start:end]), "lac")

    out = []
    for m in proposals.values():
        if m.type is E.PLACE and m.code is None:
            divisions = gazetteer().lookup(m.text)
            if len(divisions) == 1:
                m = replace(m, level=divisions[0].level, code=divisions[0].code)
        elif m.type not in _PERSONS and "rules" not in m.origin:
            m = replace(m, weak=m.text in lexicon.PARK_SUFFIXES or is_generic(t.words_in(m.start, m.end)))
        out.append(m)
    weight: dict[tuple[str, EntityType], float] = defaultdict(float)
    for m in out:
        if m.type in _PERSONS:
            weight[m.text, m.type] += m.confidence + 0.01 * ("rules" in m.origin)
    person_type: dict[str, EntityType] = {}
    for (name, etype), _ in sorted(weight.items(), key=lambda x: (-x[1], x[0])):
        person_type.setdefault(name, etype)
    out = [replace(m, type=person_type[m.text]) if m.type in _PERSONS else m for m in out]
    return sorted(set(out), key=lambda m: (m.start, -m.end, m.type, m.weak, m.origin, m.level or "", m.code or ""))


# A place and 的 opening a name the tagger found: 大港街道的|智能智造产业园 is the place's park.
_PLACE_OF = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:街道|[市区县镇乡旗州])的")


def _after_place_of(t: Text, m: Mention) -> Mention:
    """The mention without a place and 的 at its start (itself when it has none)."""
    found = _PLACE_OF.match(m.text) if m.type not in _PERSONS and m.type is not E.PLACE else None
    if not found or len(m.text) - found.end() < 2:
        return m
    start = m.start + found.end()
    return replace(m, start=start, text=t.text[start : m.end])


def _joined(*origins: str) -> str:
    """Origins as one: "rules", "lac+rules" -> "lac+rules"."""
    return "+".join(sorted({o for origin in origins for o in origin.split("+") if o}))


def _bucket(x: float, edges: Sequence[float]) -> str:
    for edge in edges:
        if x <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def entity_features(
    t: Text,
    entity: Entity,
    mentions: Sequence[Mention],
    everything: Spans,
    chains: Sequence[TitleChain],
    lac_tags: Sequence[str],
    lac_names: Mapping[str, Sequence[float]],
) -> dict[str, float]:
    """What the entity model weighs: the tagger's scores, who proposed it, its name and where it stands."""
    f: dict[str, float] = {}
    scores = [m.confidence for m in mentions] or [0.0]
    best = max(scores)
    f["score"] = best
    f["mean-score"] = sum(scores) / len(scores)
    f[f"score{_bucket(best, (0.05, 0.2, 0.4, 0.6, 0.8, 0.95))}"] = 1.0
    origins = Counter(o for m in mentions for o in m.origin.split("+"))
    for origin in ("tagger", "rules", "lac", "list"):
        if origins[origin]:
            f[f"from:{origin}"] = 1.0
    if set(origins) <= {"rules", "list"}:
        f["only-rules"] = 1.0
    if set(origins) == {"lac"}:
        f["only-lac"] = 1.0
    if mentions and all(m.weak for m in mentions):
        f["weak"] = 1.0
    f[f"mentions{_bucket(len(mentions), (1, 2, 4))}"] = 1.0
    name = entity.name
    f[f"length{_bucket(len(name), (2, 3, 4, 6, 10, 16))}"] = 1.0
    if name.endswith(_KIND_ENDINGS[entity.type]):
        f["kind-ending"] = 1.0
    if _COUNT.search(name):
        f["holds-a-count"] = 1.0  # 江苏7家国家级经开区, 绍兴3个开发区: a number of things, not a name
    first = min(mentions, key=lambda m: m.start) if mentions else None
    if first is not None:
        words = t.words_in(first.start, first.end)
        if is_generic(words):
            f["generic"] = 1.0
        if t.is_word(first.start, first.end):
            f["one-word"] = 1.0
        lac = Counter(lac_tags[j].rpartition("-")[0] for j in range(first.start, first.end))
        f[f"lac={lac.most_common(1)[0][0]}"] = 1.0
        if lac_tags[first.start].endswith("-B") and (
            first.end >= len(lac_tags) or not lac_tags[first.end].endswith("-I")
        ):
            f["lac-aligned"] = 1.0
        for name_type, probabilities in lac_names.items():  # how surely LAC sees a name there, tagged or not
            inside = probabilities[first.start : first.end]
            f[f"lac-{name_type}"] = sum(inside) / len(inside)
            f[f"lac-{name_type}-least"] = min(inside)
        before = t.text[first.start - 1 : first.start]
        after = t.text[first.end : first.end + 1]
        f[f"before={before if before in '、,，的在与和及(（“:：' else 'other'}"] = 1.0
        f[f"after={after if after in '、,，的等与和及)）”:：' else 'other'}"] = 1.0
        if t.is_listed(first.start, first.end) and _FIELD_WORDS.search(t.text, *t.clause(first.start, first.end)):
            f["in-a-list-of-fields"] = 1.0
        near = everything.overlapping(first.start, first.end)
        inside = [o for o in near if o.type is not entity.type and first.start <= o.start and o.end <= first.end]
        if any(o.type is E.PLACE for o in inside):
            f["holds-place"] = 1.0
        around = [
            o
            for o in near
            if o.start <= first.start and first.end <= o.end and o.end - o.start > first.end - first.start
        ]
        if around:
            f["nested"] = 1.0
            if max(o.confidence for o in around) > best:
                f["nested-in-likelier"] = 1.0
        crossing = [
            o
            for o in near
            if o.start < first.end
            and first.start < o.end
            and not (o.start <= first.start and first.end <= o.end)
            and not (first.start <= o.start and o.end <= first.end)
        ]
        if crossing:
            f["crossed"] = 1.0
            if max(o.confidence for o in crossing) > best:
                f["crossed-by-likelier"] = 1.0
    if entity.type is E.PLACE:
        f["has-division" if entity.code else "no-division"] = 1.0
        if entity.level:
            f[f"level={entity.level}"] = 1.0
    if entity.type in _PERSONS:
        mine = [c for c in chains if c.person == name]
        if mine:
            f["title-chain"] = 1.0
            if any(is_official_chain(t, c) for c in mine):
                f["official-title"] = 1.0
        if name[:2] in lexicon.SURNAMES:
            f["compound-surname"] = 1.0
        elif name[:1] not in lexicon.SURNAMES:
            f["no-surname"] = 1.0
    return f


def features_by_key(
    t: Text,
    entities: Sequence[Entity],
    key_of: Mapping[Mention, str],
    chains: Sequence[TitleChain],
    lac_tags: Sequence[str],
    lac_names: Mapping[str, Sequence[float]],
) -> dict[str, dict[str, float]]:
    """entity_features of every entity, by entity key."""
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for m, key in key_of.items():
        mentions[key].append(m)
    everything = Spans(key_of)
    return {
        e.key: entity_features(t, e, mentions.get(e.key, []), everything, chains, lac_tags, lac_names) for e in entities
    }
