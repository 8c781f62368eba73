"""Relations decided pair by pair: candidates, their features, and a logistic model fit on annotated articles.

A pair of an article's entities whose types a relation allows (holds_post: a
person and a place, park, company or body; located_in: a park, company,
project or body and a park or place…) is a candidate when the two are named
within NEAR characters of each other, one name holds the other, the rules
relate them, or one is what the article is about (its city, county and
province, the entity of each type it names most or first, a name in its
headline): so the candidates of an article grow with its length, not with its
square, and hold 97% of the training gold's relations. Its features are what
a reader weighs: whether the rules of relations.py state it, whether one name
holds the other (徐州经开区 and 徐州), how near the two are named and what
words stand between them (调研, 位于, 与, a title), and what the article is
about (its city, its main park). A logistic model per relation type, fit by
`kg train`, turns them into the probability that the text states the relation.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..gazetteer import gazetteer
from ..model import Entity, EntityType, Mention, Relation, RelationType
from . import lexicon
from .entities import park_kind
from .logistic import LogisticModel, as_features
from .places import PlaceContext
from .text import Text

E = EntityType
R = RelationType
_PERSONS = (E.OFFICIAL, E.PERSON)
_PARTIES = (E.COMPANY, E.ORGANIZATION, E.PARK, E.PLACE)
# The (head types, tail types) each relation allows (guidelines, "Relations").
ALLOWED: dict[RelationType, tuple[tuple[EntityType, ...], tuple[EntityType, ...]]] = {
    R.HOLDS_POST: (_PERSONS, (E.PLACE, E.PARK, E.COMPANY, E.ORGANIZATION)),
    R.VISITED: (_PERSONS, (E.PARK, E.COMPANY, E.PROJECT, E.PLACE, E.ORGANIZATION)),
    R.LOCATED_IN: ((E.PARK, E.COMPANY, E.PROJECT, E.ORGANIZATION), (E.PARK, E.PLACE)),
    R.INVESTS_IN: ((E.COMPANY,), (E.PROJECT,)),
    R.SIGNED_WITH: (_PARTIES, _PARTIES),
}
# Words between two names that tell how they relate, each a feature when it stands between them.
_CUES = {
    "visit": lexicon.VISIT_VERBS,
    "move": lexicon.MOVE_VERBS,
    "located": lexicon.LOCATION_VERBS + ("内", "里", "境内", "辖区"),
    "sign": lexicon.SIGNING_WORDS,
    "invest": lexicon.INVEST_WORDS + ("投资建设", "出资", "总投资"),
    "title": lexicon.OFFICIAL_TITLES + lexicon.PERSON_TITLES,
    "with": ("与", "和", "同"),
    "list": ("、",),
    "comma": (",", "，"),
    "colon": (":", "：", ";", "；"),
    "of": ("的",),
    "at": ("在", "于"),
    "attend": lexicon.ATTENDANCE_WORDS,
    "accompany": lexicon.ACCOMPANY_WORDS + ("一同",),
    "project": ("项目",),
    "enter": ("入驻", "落户", "进驻", "入园", "引进"),
}
_CUE_PATTERNS = {
    k: re.compile("|".join(map(re.escape, sorted(set(v), key=len, reverse=True)))) for k, v in _CUES.items()
}


# A person named before these leads the party that visits: 率…代表团, 带队, 一行.
_LEADS = re.compile("率(?!先)|带领|带队|一行")
# The subjects of a delegation's visit, once its leaders have been named.
_DELEGATION = re.compile("代表团|考察团|调研组|考察组|一行")

# Two entities named at most this many characters apart are a candidate pair.
NEAR = 200


def _bucket(n: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if n <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


@dataclass
class ArticleView:
    """An article as the pair features see it, indexed so that each feature costs a look-up, not a scan."""

    t: Text
    entities: dict[str, Entity]
    mentions: dict[str, list[Mention]]  # entity key -> its mentions, in order
    context: PlaceContext
    rules: dict[tuple[RelationType, str, str], Relation]

    def __post_init__(self) -> None:
        self._sentence_starts = [s for s, _ in self.t.sentences]
        self._line_starts = [m.end() for m in re.finditer("\n", self.t.text)]
        self.by_position = sorted(
            ((m, k) for k, ms in self.mentions.items() for m in ms), key=lambda x: (x[0].start, x[0].end, x[1])
        )
        self.starts = [m.start for m, _ in self.by_position]
        self.of_type: dict[EntityType, tuple[list[int], list[int], list[str]]] = {}  # starts, ends, keys
        for etype in EntityType:
            ms = [(m.start, m.end, k) for m, k in self.by_position if self.entities[k].type is etype]
            self.of_type[etype] = ([x[0] for x in ms], [x[1] for x in ms], [x[2] for x in ms])
        self.counts = Counter(e.type for e in self.entities.values())
        self.main: dict[EntityType, str] = {}  # the most often named entity of each type
        for k, e in sorted(
            self.entities.items(), key=lambda x: (-len(self.mentions.get(x[0], [])), self._first(x[0]), x[0])
        ):
            self.main.setdefault(e.type, k)
        self.first: dict[EntityType, str] = {}
        for _, k in self.by_position:
            self.first.setdefault(self.entities[k].type, k)
        self.opening: dict[int, str] = {}  # sentence -> the entity named first in it
        for m, k in self.by_position:
            self.opening.setdefault(self.sentence_index(m.start), k)
        self.headline = self.t.text[: self._line_starts[0]] if self._line_starts else self.t.text
        # the roles the rules give entities anywhere in the article: (relation, "head"|"tail", key)
        self.roles = {(r, "head", h) for r, h, _ in self.rules} | {(r, "tail", t) for r, _, t in self.rules}
        self._codes: dict[str, tuple[set[str], set[str]]] = {}
        # (head, tail) -> the features of the pair that no relation type changes (see pair_features)
        self.shared: dict[tuple[str, str], tuple[str, list[str], list[str]]] = {}
        self.in_sentences = {k: Counter(self.sentence_index(m.start) for m in ms) for k, ms in self.mentions.items()}
        self.in_lines = {k: Counter(self.line_index(m.start) for m in ms) for k, ms in self.mentions.items()}
        self.leaders, self.delegation_visits = self._delegation()
        # where a person's name ends -> where it starts, for walking back over a list of names
        self.person_ending = {m.end: m.start for m, k in self.by_position if self.entities[k].type in _PERSONS}

    def _delegation(self) -> tuple[set[str], set[int]]:
        """The persons who lead a delegation (张祥安、市长张君毅率…代表团, 李良浩一行), and the sentences
        where a delegation visits (代表团考察…, 调研组一行先后来到…): the leaders visit what those name."""
        text, leaders, visits = self.t.text, set(), set()
        for i, (s, e) in enumerate(self.t.sentences):
            for marker in _LEADS.finditer(text, s, e):
                clause_start = self.t.clause(marker.start(), marker.start())[0]
                first = bisect.bisect_left(self.starts, clause_start)
                for m, k in self.by_position[first : bisect.bisect_left(self.starts, marker.start())]:
                    if m.end <= marker.start() and self.entities[k].type in _PERSONS:
                        leaders.add(k)
            if _DELEGATION.search(text, s, e) and _CUE_PATTERNS["visit"].search(text, s, e):
                visits.add(i)
        return leaders, visits

    def listed_after(self, start: int) -> int:
        """Where the person named before `start` begins, when `start` follows it in a list (A、B);
        else -1."""
        if self.t.text[start - 1 : start] != "、":
            return -1
        return self.person_ending.get(start - 1, -1)

    def list_start(self, start: int) -> int:
        """Where the list of persons a name at `start` is in begins (省领导黄建盛、陈海波、…: at 黄建盛)."""
        while (before := self.listed_after(start)) >= 0:
            start = before
        return start

    def _first(self, key: str) -> int:
        ms = self.mentions.get(key)
        return ms[0].start if ms else 1 << 30

    def sentence_index(self, pos: int) -> int:
        return bisect.bisect_right(self._sentence_starts, pos) - 1

    def line_index(self, pos: int) -> int:
        return bisect.bisect_right(self._line_starts, pos)

    def codes_in_name(self, key: str) -> set[str]:
        """Codes of the divisions named inside the entity's names, and of the divisions they lie in."""
        return self._places_in_name(key)[1]

    def named_in_name(self, key: str) -> set[str]:
        """Codes of the divisions named inside the entity's names (鄂托克旗 in 鄂托克经济开发区, not 内蒙古)."""
        return self._places_in_name(key)[0]

    def _places_in_name(self, key: str) -> tuple[set[str], set[str]]:
        if key not in self._codes:
            self._codes[key] = _places_in_name(self.entities[key])
        return self._codes[key]

    def nearest_of_type(self, etype: EntityType, pos: int, before: bool, scope: str) -> str | None:
        """The entity of `etype` named nearest before (or after) `pos` in its sentence, line or the article."""
        starts, ends, keys = self.of_type[etype]
        if before:
            i = bisect.bisect_right(ends, pos) - 1  # ends ascend with starts for mentions of one type, mostly
            while i >= 0 and ends[i] > pos:
                i -= 1
            if i < 0:
                return None
            j = i
        else:
            j = bisect.bisect_left(starts, pos)
            if j >= len(starts):
                return None
        if scope == "sentence" and self.sentence_index(starts[j]) != self.sentence_index(pos):
            return None
        if scope == "line" and self.line_index(starts[j]) != self.line_index(pos):
            return None
        return keys[j]

    def between(self, start: int, end: int) -> int:
        """How many mentions start in [start, end)."""
        return bisect.bisect_left(self.starts, end) - bisect.bisect_left(self.starts, start)

    def anchors(self) -> set[str]:
        """What the article is about: its places by context, the main and first entity of each type, headline names."""
        out = {k for k, e in self.entities.items() if e.type is E.PLACE and _context_role(self, e)}
        out |= set(self.main.values()) | set(self.first.values())
        head_end = len(self.headline)
        out |= {k for m, k in self.by_position if m.start < head_end}
        return out


def _names(e: Entity) -> tuple[str, ...]:
    return (e.name, *e.aliases)


def candidates(a: ArticleView) -> list[tuple[RelationType, str, str]]:
    """The (relation, head key, tail key) worth judging; signed_with once per unordered pair."""
    pairs: set[tuple[str, str]] = set()
    positions = a.by_position
    for i, (m, k) in enumerate(positions):
        j = i + 1
        while j < len(positions) and positions[j][0].start - m.end <= NEAR:
            other = positions[j][1]
            if other != k:
                pairs.add((k, other))
                pairs.add((other, k))
            j += 1
    for _, h, t in a.rules:
        pairs.update(((h, t), (t, h)))
    anchors = a.anchors() | a.leaders
    for k in a.entities:
        for anchor in anchors:
            if anchor != k:
                pairs.update(((k, anchor), (anchor, k)))
    by_code = defaultdict(list)
    for k, e in a.entities.items():
        if e.type is E.PLACE and e.code:
            by_code[e.code].append(k)
    for k, e in a.entities.items():
        if e.type is not E.PLACE:
            for code in a.codes_in_name(k):
                for place in by_code.get(code, ()):
                    pairs.update(((k, place), (place, k)))
    out = []
    for h, t in sorted(pairs):
        head, tail = a.entities[h].type, a.entities[t].type
        for rtype, (heads, tails) in ALLOWED.items():
            if head in heads and tail in tails and not (rtype is R.SIGNED_WITH and t < h) and allowed(a, rtype, h, t):
                out.append((rtype, h, t))
    return out


def allowed(a: ArticleView, rtype: RelationType, head: str, tail: str) -> bool:
    """False for a relation with an implied place (one the article does not name) but a post there."""
    return rtype is R.HOLDS_POST or (head in a.mentions and tail in a.mentions)


def _context_role(a: ArticleView, e: Entity) -> str | None:
    ctx = a.context
    for role, division in (("city", ctx.city), ("county", ctx.county)):
        if division is not None and e.code == division.code:
            return role
    if ctx.city is not None and e.code and e.code == (gazetteer().parent(ctx.city) or ctx.city).code:
        return "province"
    return None


def _places_in_name(e: Entity) -> tuple[set[str], set[str]]:
    """Codes of the divisions named inside an entity's names, and those with the divisions they lie in."""
    gz = gazetteer()
    named: set[str] = set()
    codes: set[str] = set()
    for name in _names(e):
        for length in range(2, min(len(name), gz.max_name_length) + 1):
            for i in range(0, len(name) - length + 1):
                found = gz.lookup(name[i : i + length])
                if len(found) == 1:
                    named.add(found[0].code)
                    codes.update(d.code for d in gz.ancestors(found[0]))
    return named, codes | named


def _nearest_pair(a: ArticleView, hm: list[Mention], tm: list[Mention]) -> tuple[bool, int, Mention, Mention] | None:
    """The two mentions named nearest, same sentence first: (in other sentences, gap, head's, tail's)."""
    tail_starts = [m.start for m in tm]
    best = None
    for x in hm:
        i = bisect.bisect_left(tail_starts, x.start)
        for y in tm[max(0, i - 2) : i + 2]:
            if x.start < y.end and y.start < x.end:
                continue  # one inside the other: the name features tell it
            gap = y.start - x.end if x.end <= y.start else x.start - y.end
            key = (a.sentence_index(x.start) != a.sentence_index(y.start), gap)
            if best is None or key < best[:2]:
                best = (*key, x, y)
    return best


def pair_features(a: ArticleView, rtype: RelationType, hk: str, tk: str) -> list[str]:
    """The features of the candidate (rtype, head, tail), as names.

    Most of them are the pair's whatever the relation (a pair is a candidate
    of two relations, or more, a third of the time): those are computed once.
    """
    if (hk, tk) not in a.shared:
        a.shared[hk, tk] = _shared_features(a, hk, tk)
    pair, named, placed = a.shared[hk, tk]
    f = [f"pair={pair}"]

    def add(name: str) -> None:
        f.append(name)
        f.append(f"{pair}&{name}")

    # what the rules say of the pair, and of each entity
    for other in R:
        if (other, hk, tk) in a.rules or (other is R.SIGNED_WITH and (other, tk, hk) in a.rules):
            add(f"rule={other}" if other is rtype else f"other-rule={other}")
        if (other, "head", hk) in a.roles:
            add(f"head-is-a-head-of-{other}")
        if (other, "tail", tk) in a.roles:
            add(f"tail-is-a-tail-of-{other}")
    f += named
    if rtype is R.HOLDS_POST:
        t = a.entities[tk]
        for name in _post_clause_features(a, a.mentions.get(hk, []), t, _names(t)):
            add(name)
    f += placed
    return f


def _shared_features(a: ArticleView, hk: str, tk: str) -> tuple[str, list[str], list[str]]:
    """The pair's type, what its names and standing say (before a post's clause is read), and how near
    and with what between the two are named (after)."""
    h, t = a.entities[hk], a.entities[tk]
    tail_type = f"{t.type}/{t.level}" if t.level else str(t.type)
    pair = f"{h.type}>{tail_type}"
    f: list[str] = []

    def add(name: str) -> None:
        f.append(name)
        f.append(f"{pair}&{name}")

    # the names
    hn, tn = _names(h), _names(t)
    if any(x in y for x in tn for y in hn if x != y):
        add("tail-name-in-head-name")
        if any(y.startswith(x) for x in tn for y in hn):
            add("head-name-opens-with-tail")
    if any(y in x for x in tn for y in hn if x != y):
        add("head-name-in-tail-name")
        if any(x.startswith(y) for x in tn for y in hn):
            add("tail-name-opens-with-head")
    if h.type is E.PARK and t.type is E.PARK and park_kind(h.name) == park_kind(t.name):
        add("parks-of-one-kind")  # a 经开区 does not lie in another 经开区
    if tk not in a.mentions:
        add("tail-implied")
    if t.type is E.PLACE and t.code:
        role = _context_role(a, t)
        if role:
            add(f"tail-is-article-{role}")
        if t.code in a.codes_in_name(hk):
            add("tail-is-or-holds-a-place-of-head-name")
            # the narrowest division a name gives is the one it lies in: 鄂托克旗, not 内蒙古
            add("tail-named-in-head-name" if t.code in a.named_in_name(hk) else "tail-holds-a-place-of-head-name")
    # the entities' standing in the article
    hm, tm = a.mentions.get(hk, []), a.mentions.get(tk, [])
    add(f"head-mentions={_bucket(len(hm), (1, 2, 4))}")
    add(f"tail-mentions={_bucket(len(tm), (1, 2, 4))}")
    add(f"tails-of-type={_bucket(a.counts[t.type], (1, 2, 4))}")
    if a.main.get(t.type) == tk:
        add("tail-is-main-of-type")
    if a.first.get(t.type) == tk:
        add("tail-is-first-of-type")
    if a.main.get(h.type) == hk:
        add("head-is-main-of-type")
    if any(n in a.headline for n in tn):
        add("tail-in-headline")
    if any(n in a.headline for n in hn):
        add("head-in-headline")
    if hm:
        first = hm[0]
        for scope in ("sentence", "line", "article"):
            if a.nearest_of_type(t.type, first.start, True, scope) == tk:
                add(f"tail-nearest-of-type-before-in-{scope}")
                break
        if a.nearest_of_type(t.type, first.end, False, "sentence") == tk:
            add("tail-nearest-of-type-after-in-sentence")
        if a.opening.get(a.sentence_index(first.start)) == tk:
            add("tail-opens-head-sentence")
        if a.t.is_listed(first.start, first.end):
            add("head-in-list")
    if hk in a.leaders:
        add("head-leads-a-delegation")
        if any(a.sentence_index(m.start) in a.delegation_visits for m in tm):
            add("head-leads-a-delegation&tail-in-its-visit")
    named, f = f, []
    for m in tm[:3]:
        s, _ = a.t.sentences[a.sentence_index(m.start)]
        for cue in ("visit", "move", "located", "sign", "enter"):
            if _CUE_PATTERNS[cue].search(a.t.text, s, m.start):
                add(f"tail-after-{cue}-in-its-sentence")
    # how often and how near the two are named together, and what stands between them
    empty: Counter[int] = Counter()
    head_sentences, tail_sentences = a.in_sentences.get(hk, empty), a.in_sentences.get(tk, empty)
    head_lines, tail_lines = a.in_lines.get(hk, empty), a.in_lines.get(tk, empty)
    add(f"same-sentence={_bucket(sum(n * tail_sentences[s] for s, n in head_sentences.items()), (0, 1, 2))}")
    add(f"same-line={_bucket(sum(n * tail_lines[s] for s, n in head_lines.items()), (0, 1, 3))}")
    best = _nearest_pair(a, hm, tm)
    if best is None:
        return pair, named, f
    other_sentence, gap, x, y = best
    if other_sentence:
        add(f"sentences-apart={_bucket(abs(a.sentence_index(x.start) - a.sentence_index(y.start)), (1, 2, 4))}")
        if a.line_index(x.start) == a.line_index(y.start):
            add("same-line-nearest")
        return pair, named, f
    order = "head-first" if x.start < y.start else "tail-first"
    add(f"order={order}")
    add(f"gap={_bucket(gap, (0, 1, 3, 6, 12, 25, 50))}")
    start, end = (x.end, y.start) if x.start < y.start else (y.end, x.start)
    between = a.t.text[start:end]
    for cue, pattern in _CUE_PATTERNS.items():
        if pattern.search(between):
            add(f"{order}&between:{cue}")
    if between in ("(", "（"):
        add("bracketed")
    if _CUE_PATTERNS["title"].fullmatch(between):
        add("only-a-title-between")
    add(f"entities-between={_bucket(a.between(start, end), (0, 1, 3))}")
    s, e = a.t.sentences[a.sentence_index(x.start)]
    sentence = a.t.text[s:e]
    for cue in ("visit", "move", "located", "sign", "invest", "enter", "attend", "accompany"):
        if _CUE_PATTERNS[cue].search(sentence):
            add(f"sentence:{cue}")
    head_clause_start = max((i for i in (sentence.rfind(c, 0, x.start - s) for c in ",，;；") if i >= 0), default=-1)
    if _CUE_PATTERNS["visit"].search(sentence, max(0, head_clause_start), y.start - s if y.start > x.start else 0):
        add("visit-verb-before-tail")
    around = a.t.text[max(0, min(x.start, y.start) - 4) : min(x.start, y.start)]
    for cue in ("move", "at", "located", "enter"):
        if _CUE_PATTERNS[cue].search(around):
            add(f"before-first:{cue}")
    return pair, named, f


# The first character of a post tells the level of division it belongs to (市委书记: a city's post).
_POST_LEVELS = {"省": "province", "市": "city", "州": "city", "区": "county", "县": "county", "旗": "county"}


def _post_clause_features(a: ArticleView, hm: list[Mention], t: Entity, tn: tuple[str, ...]) -> set[str]:
    """What the words before a person's name in its clause (市委常委、常务副市长) say of the tail.

    A bare city post (市长) is the article's city's; a named body or place opening
    the clause (开发区党工委书记, 保定市委书记) is the post's.
    """
    out: set[str] = set()
    for m in hm[:3]:
        opening = a.list_start(m.start)
        clause = a.t.text[a.t.clause(opening, opening, reach=40)[0] : m.start]
        if not _CUE_PATTERNS["title"].search(clause):
            continue
        if any(n in clause for n in tn):
            out.add("tail-named-in-head-post-clause")
            if clause.startswith(tn):
                out.add("tail-opens-head-post-clause")
        level = _POST_LEVELS.get(clause[:1])
        if level:
            out.add(f"post-clause-opens-at-{level}")
            if t.level == level:
                out.add("post-clause-level-is-tail-level")
                if t.type is E.PLACE and _context_role(a, t):
                    out.add("post-clause-level-is-article-division")
    return out


def article_view(
    t: Text,
    mentions: Sequence[Mention],
    key_of: Mapping[Mention, str],
    entities: Sequence[Entity],
    context: PlaceContext,
    rule_relations: Iterable[Relation],
) -> ArticleView:
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        if m in key_of:
            by_key[key_of[m]].append(m)
    rules = {(r.type, r.head, r.tail): r for r in rule_relations}
    return ArticleView(t, {e.key: e for e in entities}, dict(by_key), context, rules)


def samples(a: ArticleView) -> list[tuple[RelationType, str, str, list[str]]]:
    """Every candidate of the article with its features."""
    return [(rtype, h, t, pair_features(a, rtype, h, t)) for rtype, h, t in candidates(a)]


def decide(
    a: ArticleView, model: LogisticModel, most_per_head: dict[str, int] | None = None, floor: float = 0.05
) -> list[Relation]:
    """The candidates the model gives at least `floor` probability, as relations with their evidence,
    each head keeping no more than `most_per_head` of a type (its likeliest)."""
    out = []
    for rtype, hk, tk, features in samples(a):
        p = model.probability(str(rtype), as_features(features))
        if p < floor:
            continue
        rule = a.rules.get((rtype, hk, tk)) or a.rules.get((rtype, tk, hk))
        span = _evidence(a, hk, tk, rule)
        title = rule.title if rule is not None else (_title(a, hk, tk) if rtype is R.HOLDS_POST else None)
        if rtype is R.HOLDS_POST and not title:
            continue
        out.append(Relation(rtype, hk, tk, a.t.text[span[0] : span[1]].strip(), span, title, confidence=round(p, 4)))
    return likeliest_per_head(out, most_per_head or {})


def likeliest_per_head(relations: list[Relation], most_per_head: dict[str, int]) -> list[Relation]:
    """The relations less those beyond the `most_per_head[type]` likeliest of their head and type:
    a park lies in a county and a city, seldom in four places the article names near it."""
    seen: Counter[tuple[RelationType, str]] = Counter()
    kept = set()
    for r in sorted(relations, key=lambda r: -r.confidence):
        seen[r.type, r.head] += 1
        if seen[r.type, r.head] <= most_per_head.get(str(r.type), len(relations)):
            kept.add(id(r))
    return [r for r in relations if id(r) in kept]


def _evidence(a: ArticleView, hk: str, tk: str, rule: Relation | None) -> tuple[int, int]:
    if rule is not None:
        return rule.evidence_span
    hm, tm = a.mentions.get(hk, []), a.mentions.get(tk, [])
    best = _nearest_pair(a, hm, tm)
    if best is not None and not best[0]:
        return a.t.sentences[a.sentence_index(best[2].start)]
    first = (hm or tm)[0] if (hm or tm) else None
    return a.t.sentences[a.sentence_index(first.start)] if first else (0, 0)


def _title(a: ArticleView, hk: str, tk: str) -> str | None:
    """The title word nearest before a mention of the person in its sentence, or before the list of
    persons it ends (省领导黄建盛、陈海波、…、沈莹: each of them is a 省领导)."""
    pattern = _CUE_PATTERNS["title"]
    for m in a.mentions.get(hk, []):
        s, _ = a.t.sentences[a.sentence_index(m.start)]
        start = m.start
        while start >= s:
            found = list(pattern.finditer(a.t.text, max(s, start - 12), start))
            if found:
                return found[-1].group()
            start = a.listed_after(start)
    return None
