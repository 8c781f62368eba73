"""Extraction rules pinned on short real sentences, and the offset invariant."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import extract
from kg.model import Article, EntityType

from .conftest import EXAMPLES


def _extract(sentence: str):
    return extract(Article("t", "t.txt", sentence))


def _names(ex, etype):
    return sorted(e.name for e in ex.entities if e.type is etype)


def _relations(ex, rtype):
    name = {e.key: e.name for e in ex.entities}
    return sorted((name[r.head], name[r.tail], r.title) for r in ex.relations if r.type == rtype)


@pytest.mark.parametrize(
    "sentence, park",
    [
        ("8月7日上午,市委书记庄兆林到徐州经济技术开发区调研。", "徐州经济技术开发区"),
        ("11月12日,县委书记张东带队到象州县工业园区开展调研工作。", "象州县工业园区"),
        ("泰州海陵工业园区首次挺进二十强。", "泰州海陵工业园区"),
        ("省级以下工业园区整合优化工作。", None),  # a counted kind, no name
    ],
)
def test_extract_parks(sentence, park):
    assert _names(_extract(sentence), EntityType.PARK) == ([park] if park else [])


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("8月7日上午,市委书记庄兆林到徐州经济技术开发区调研。", ("庄兆林", "徐州市", "市委书记")),
        ("开封市委书记高建军出席仪式。", ("高建军", "开封市", "市委书记")),
        ("王伟市场部的同事参加。", None),  # 市 inside 市场 is no post
    ],
)
def test_extract_holds_post(sentence, expected):
    posts = _relations(_extract(sentence), "holds_post")
    assert posts == ([expected] if expected else [])


def test_extract_visit_subject_carried_across_a_list():
    ex = _extract(
        "11月12日,县委书记张东带队到象州县工业园区开展调研工作。"
        "张东一行先后到三江口森林工业城、广西金福华实业有限公司、广西彼翔电器有限公司调研。"
    )
    visited = {tail for head, tail, _ in _relations(ex, "visited") if head == "张东"}
    assert {"广西金福华实业有限公司", "广西彼翔电器有限公司"} <= visited


def test_extract_company_suffixes():
    ex = _extract("张东在广西金福华实业有限公司调研。")
    assert _names(ex, EntityType.COMPANY) == ["广西金福华实业有限公司"]


_places = st.sampled_from(["徐州", "镇江市", "泰州", "湛江", "开封市", "丹徒区"])
_titles = st.sampled_from(["市委书记", "市长", "副市长", "党工委书记", "区委常委"])
_names_st = st.sampled_from(["庄兆林", "徐曙海", "王鹤", "曾进泽", "高建军"])
_parks = st.sampled_from(["经济技术开发区", "高新区", "经开区", "工业园区", "综合保税区"])
_verbs = st.sampled_from(["调研", "考察", "检查"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_places, _titles, _names_st, _places, _parks, _verbs), min_size=1, max_size=4))
def test_extract_mentions_point_at_the_entity_text(sentences):
    text = "".join(f"{p}{t}{n}到{q}{k}{v}。" for p, t, n, q, k, v in sentences)
    ex = _extract(text)
    for e in ex.entities:
        for start, end in e.mentions:
            assert text[start:end] in (e.name, *e.aliases)
    for r in ex.relations:
        assert text[r.evidence_span[0] : r.evidence_span[1]] == r.evidence


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_extract_mentions_point_at_the_entity_text_in_every_seed(path):
    from kg.read import read_inputs

    (article,), _ = read_inputs([path])
    ex = extract(article)
    for e in ex.entities:
        for start, end in e.mentions:
            assert article.text[start:end] in (e.name, *e.aliases), e
