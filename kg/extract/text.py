"""Helpers over an article's text: sentences, word boundaries, name starts."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, cached_property

from .. import segment
from . import lexicon

# Sentences end at 。！？ and line ends; ；and ， do not end them.
_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』)）]*|\n+")
_CJK = re.compile(r"[\u3400-\u9fff]")
NAME_CHARS = re.compile(r"[\u3400-\u9fffA-Za-z0-9+·\-]")
# Characters that close a date or an address when a digit stands before them.
_AFTER_NUMBER = "年月日号楼层室栋"
# Six or more letters, digits and dashes opening a name are a code, not a name (E20创意园 keeps E20).
_LEADING_CODE = re.compile(r"[A-Za-z0-9\-]{6,}")
# Counts and amounts that open a name but are no part of it: 91家, 第十八次, 7个, 5亿元.
_NUMBER_WORD = re.compile(
    r"^(?=.)第?[\d０-９.一二三四五六七八九十百千万亿两几多数余]*"
    r"(?:个|家|座|批|项|所|条|期|类|大|次|届|亿元|万元|亿|万|元|平方公里|亩)?$"
)


@dataclass
class Text:
    """An article's text with its sentences and jieba word boundaries."""

    text: str

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        spans, start = [], 0
        for m in _SENTENCE_END.finditer(self.text):
            if m.end() > start and self.text[start : m.start()].strip():
                spans.append((start, m.end() if m.group().strip() else m.start()))
            start = m.end()
        if self.text[start:].strip():
            spans.append((start, len(self.text)))
        return spans

    @cached_property
    def words(self) -> list[tuple[str, int, int]]:
        return segment.tokens(self.text)

    @cached_property
    def word_starts(self) -> set[int]:
        return {s for _, s, _ in self.words}

    @cached_property
    def word_ends(self) -> set[int]:
        return {e for _, _, e in self.words}

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    @cached_property
    def _word_ends_in_order(self) -> list[int]:
        return [e for _, _, e in self.words]

    def sentence_of(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        if i >= 0 and pos < self.sentences[i][1]:
            return self.sentences[i]
        return pos, pos

    def clause(self, start: int, end: int, reach: int | None = None) -> tuple[int, int]:
        """The clause of the sentence at `start` holding [start, end): from the mark (,;:) before it,
        or at most `reach` characters back, to the mark after it."""
        s, e = self.sentence_of(start)
        lo = s if reach is None else max(s, start - reach)
        marks = [m.end() for m in lexicon.CLAUSE_BREAK.finditer(self.text, lo, start)]
        after = lexicon.CLAUSE_BREAK.search(self.text, end, e)
        return (marks[-1] if marks else lo), (after.start() if after else e)

    def is_listed(self, start: int, end: int) -> bool:
        """Whether [start, end) is an item of a list: A、B, A、B等."""
        return self.text[start - 1 : start] == "、" or self.text[end : end + 1] in ("、", "等")

    def _words_from(self, start: int) -> int:
        """The index of the first word ending after `start`."""
        return bisect.bisect_right(self._word_ends_in_order, start)

    def memo(self, key: str, compute):
        """What `compute()` gives, computed once per text: stages share what they derive from it."""
        memos = self.__dict__.setdefault("_memos", {})
        if key not in memos:
            memos[key] = compute()
        return memos[key]

    def is_word(self, start: int, end: int) -> bool:
        """True if [start, end) starts and ends at word boundaries."""
        return start in self.word_starts and end in self.word_ends

    def words_in(self, start: int, end: int) -> list[str]:
        """The words inside [start, end), cut at its edges."""
        out = []
        words = self.words
        for i in range(self._words_from(start), len(words)):
            _, s, e = words[i]
            if s >= end:
                break
            out.append(self.text[max(s, start) : min(e, end)])
        return out

    @cached_property
    def word_ending_at(self) -> dict[int, str]:
        return {e: w for w, _, e in self.words}

    def is_clause_verb(self, end: int) -> bool:
        """True if a common verb or preposition that no name holds ends at `end`: 了解|象州县产业园区, 随着|更多项目."""
        word = self.word_ending_at.get(end)
        return (
            word is not None
            and len(word) >= 2
            and (segment.is_verb(word, strict=True) or segment.is_preposition(word))
            and segment.frequency(word) >= lexicon.COMMON_VERB_FREQUENCY
            and word not in lexicon.NAME_VERBS
            and not _is_place(word)  # 开封 is a verb too
        )

    def name_start(
        self,
        end: int,
        boundary_words: tuple[str, ...] = lexicon.BOUNDARY_WORDS,
        stop_at_verbs: bool | str = True,
    ) -> int:
        """Where a name ending at `end` starts, walking back to a boundary.

        A boundary is a character that is no part of a name, a whole word of
        `boundary_words` (的, 和, 位于, 到 …): 位于丁卯街道的|鑫鼎茂工业园, or
        (with `stop_at_verbs`) a common verb: 市政府印发|激励工业园区; with
        `stop_at_verbs="after-first-word"` the word right before `end` is the
        name's own even when a verb (江西木林森|照明|有限公司).
        A bracket holding a place stays in: 爱励铝业(镇江)有限公司.
        """
        i = end
        text = self.text
        by_length = _by_length(boundary_words)  # once per call: the loop below runs for every character
        while i > 0 and end - i < lexicon.MAX_NAME_LENGTH:
            ch = text[i - 1]
            if ch in ")）":
                opening = max(text.rfind("(", 0, i - 1), text.rfind("（", 0, i - 1))
                inner = text[opening + 1 : i - 1]
                if opening > 0 and 2 <= len(inner) <= 4 and _CJK.match(text[opening - 1]) and _is_place(inner):
                    i = opening
                    continue
                break
            if not NAME_CHARS.match(ch) or (ch == "+" and _CJK.match(text[i - 2 : i - 1] or "x")):
                break  # 5G+ is a name's, 街道+集团 a list's
            if ch in _AFTER_NUMBER and text[i - 2 : i - 1].isdigit():
                break  # a date or an address ends here: 1月18日|…项目, 居民委员会6楼|江苏建发…公司
            if any(text[i - n : i] in words and self.is_word(i - n, i) for n, words in by_length):
                break
            if stop_at_verbs and self.is_clause_verb(i) and not (stop_at_verbs == "after-first-word" and i == end):
                break
            i -= 1
        code = _LEADING_CODE.match(text, i, end)
        if code and code.end() < end:
            i = code.end()  # a tender or file number glued to the name: JSJF06-HLG2022108|江苏泰州…
        return i

    def trim_generic_head(self, start: int, end: int) -> int:
        """Skip counts and generic words that open a name: 91家|省级|经济开发区."""
        words = self.words
        for i in range(self._words_from(start), len(words)):
            _, s, e = words[i]
            if s >= end:
                break
            piece = self.text[max(s, start) : e]
            if _NUMBER_WORD.match(piece) or piece in lexicon.HEAD_WORDS or piece in lexicon.BOUNDARY_WORDS:
                start = e
                continue
            break
        return start


@cache
def _by_length(words: tuple[str, ...]) -> tuple[tuple[int, frozenset[str]], ...]:
    """`words` grouped by length: a few slices to look up where each word would cost a comparison."""
    lengths = sorted({len(w) for w in words if w})
    return tuple((n, frozenset(w for w in words if len(w) == n)) for n in lengths)


def _is_place(name: str) -> bool:
    from ..gazetteer import gazetteer

    return gazetteer().is_name(name) or name == "中国"


def is_generic(words: list[str]) -> bool:
    """True if nothing in `words` is more than a generic word or a number."""
    return all(w in lexicon.GENERIC_WORDS or _NUMBER_WORD.match(w) or not w.strip() for w in words)


def is_name_like(word: str) -> bool:
    """A word that can carry a name: a proper noun or a word jieba rarely sees."""
    return (
        not segment.is_common_word(word)
        and word not in lexicon.GENERIC_WORDS
        and word not in lexicon.BOUNDARY_WORDS
        and not _NUMBER_WORD.match(word)
        and not segment.is_verb(word)
        and not segment.is_function_word(word)  # 当好 (an adverb) names nothing
    )


def chunks(words: list[str]) -> list[str]:
    """Words with runs of single characters joined: jieba splits 鑫鼎茂 and 智造, which it does not know."""
    out: list[str] = []
    run = ""
    for w in words:
        if len(w) == 1 and _CJK.match(w) and w not in lexicon.BOUNDARY_WORDS:
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        out.append(w)
    if run:
        out.append(run)
    return out


def has_name_word(words: list[str]) -> bool:
    """True if some word (or run of characters jieba split) can carry a name."""
    return any(len(w) >= 2 and is_name_like(w) for w in chunks(words))
