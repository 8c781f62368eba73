"""Word segmentation: the only module that imports jieba.

One tokenizer for the process, with parkkg's user dictionary (suffixes,
titles and the gazetteer's division names) so that those come out whole.
jieba's global tokenizer is never touched.
"""

from __future__ import annotations

import logging
from functools import cache
from importlib import resources

import jieba

from .gazetteer import gazetteer
from .model import PlaceLevel

log = logging.getLogger(__name__)

# A word jieba has seen fewer times than this is no common word: 复星 (42) and
# 中联 (71) are brands; 九州 (257), 左岸 (219) and 清华 (1057) are words.
RARE_FREQUENCY = 100
# Tags of proper nouns in jieba's dictionary: place, person, organisation, other.
PROPER_TAGS = frozenset({"ns", "nr", "nrt", "nt", "nz", "nrfg"})


@cache
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    with resources.files("kg.data").joinpath("userdict.txt").open("rb") as f:
        tokenizer.load_userdict(f)  # jieba leaves a file it opened itself unclosed
    gz = gazetteer()
    for division in gz.by_code.values():
        if division.level is not PlaceLevel.TOWNSHIP:
            for name in (division.name, division.short):
                if name and not tokenizer.FREQ.get(name):
                    tokenizer.add_word(name, 500, "ns")  # words jieba knows keep its counts
    return tokenizer


@cache
def _tags() -> dict[str, str]:
    # half a second to import, as it reads the tags of jieba's dictionary (only extraction needs them);
    # that dictionary is the tokenizer's, so its table is read once, not again for the tokenizer
    import jieba.posseg

    tokenizer = _tokenizer()
    return {**jieba.posseg.dt.word_tag_tab, **tokenizer.user_word_tag_tab}


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Words of `text` with their [start, end) offsets; no HMM guessing."""
    return [(w, s, e) for w, s, e in _tokenizer().tokenize(text, HMM=False)]


def boundaries(text: str) -> set[int]:
    """Offsets in `text` where a word starts or ends."""
    out = {0, len(text)}
    for _, start, end in tokens(text):
        out.add(start)
        out.add(end)
    return out


def frequency(word: str) -> int:
    """How often jieba's dictionary has seen `word` (0 if never)."""
    return _tokenizer().FREQ.get(word) or 0


def is_proper_noun(word: str) -> bool:
    return _tags().get(word) in PROPER_TAGS


def is_common_word(word: str, threshold: int = RARE_FREQUENCY) -> bool:
    """A dictionary word seen `threshold` times or more that is no proper noun: 农业, 九州."""
    return frequency(word) >= threshold and not is_proper_noun(word)


# Tags of words that carry no name: adverbs, conjunctions, prepositions, particles, pronouns.
_FUNCTION_TAGS = frozenset({"d", "c", "p", "u", "r", "uj", "ul", "uz", "ud", "ug", "uv"})


def is_function_word(word: str) -> bool:
    """True if jieba's dictionary tags `word` as an adverb, conjunction, preposition, particle or pronoun."""
    return _tags().get(word) in _FUNCTION_TAGS


def is_place_name(word: str) -> bool:
    """True if jieba's dictionary tags `word` as a place name (ns): 九州, 中联."""
    return _tags().get(word) == "ns"


def is_preposition(word: str) -> bool:
    """True if jieba's dictionary tags `word` as a preposition: 随着, 按照."""
    return _tags().get(word) == "p"


def is_verb(word: str, strict: bool = False) -> bool:
    """True if jieba's dictionary tags `word` as a verb: 招引, 挂钩.

    With `strict`, verbal nouns (移动, vn) and other verb-like tags do not count.
    """
    tag = _tags().get(word) or ""
    return tag == "v" if strict else tag.startswith("v")


def tag(word: str) -> str:
    """jieba's dictionary tag of `word` ('x' when it has none): 'ns', 'v', 'n'…"""
    return _tags().get(word) or "x"
