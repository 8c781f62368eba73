"""Cleaners on real snippets from the seed articles, and their invariants."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.clean import clean_text, normalize_whitespace, remove_pinyin_artefacts, strip_chrome, to_simplified


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("市產(chǎn)業(yè)園區(qū)項目", "市產業園區項目"),
        ("建設(shè)現(xiàn)場推進(jìn)會", "建設現場推進會"),
        # real parentheses stay
        ("爱励铝业(镇江)有限公司", "爱励铝业(镇江)有限公司"),
        ("参加调研。(记者 崔骏)", "参加调研。(记者 崔骏)"),
        ("大亚圣象(000910):日常关联交易", "大亚圣象(000910):日常关联交易"),
        ("(呂正龍)", "(呂正龍)"),
        ("华为(Huawei)", "华为(Huawei)"),
    ],
)
def test_clean_remove_pinyin_artefacts(raw, expected):
    assert remove_pinyin_artefacts(raw) == expected


def test_clean_to_simplified_keeps_names():
    assert (
        to_simplified("與會人員在市委書記、市人大常委會主任戴源帶領下")
        == "与会人员在市委书记、市人大常委会主任戴源带领下"
    )


def test_clean_seed_001_headline():
    raw = "市產(chǎn)業(yè)園區(qū)項目載體建設(shè)現(xiàn)場推進(jìn)會與會人員來亭觀摩"
    assert clean_text(raw) == "市产业园区项目载体建设现场推进会与会人员来亭观摩"


@pytest.mark.parametrize(
    "page, kept, dropped",
    [
        # the related-article list after the article (seed 000)
        (
            "市委常委、常务副市长郭建参加调研。(记者 崔骏)\n相关文章\n大亚圣象(000910):日常关联交易预计公告",
            "郭建",
            "大亚圣象",
        ),
        # a contact line that opens an ad block
        ("徐州经开区召开大会。\n或微信/手机:13391219793\n某某产业园招商", "徐州经开区", "某某产业园"),
        # a breadcrumb above the headline
        ("当前位置:首页 > 新闻 > 正文\n徐州经开区召开大会。", "徐州经开区", "当前位置"),
        # a page header's sharing widget above the article is header chrome, not the tail (train a043)
        (
            "• 首页\n扫一扫\n关注公众号\n重大项目集中开工\n9月26日,重庆经开区举行重大项目集中开工活动。",
            "重庆经开区",
            "扫一扫",
        ),
        # …and one below the article's first paragraph still ends it
        ("9月26日,重庆经开区举行重大项目集中开工活动。\n扫一扫\n某某产业园招商", "重庆经开区", "某某产业园"),
    ],
)
def test_clean_strip_chrome(page, kept, dropped):
    text = strip_chrome(page)
    assert kept in text
    assert dropped not in text


def test_clean_normalize_whitespace_closes_padded_names():
    assert normalize_whitespace("监制:龚 曦\n\n\n记者 麦凯 通讯员 李璇") == "监制:龚曦\n\n记者 麦凯 通讯员 李璇"


_cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_text = st.text(st.one_of(_cjk, st.sampled_from(list(" \n()（）:，。、0123456789abcǎ?"))), max_size=200)


def test_clean_to_simplified_goes_all_the_way():
    # OpenCC's t2s takes 薴 to 苧 and 苧 to 苎: one pass would leave a text a second cleaning changes
    assert to_simplified("薴") == to_simplified("苧") == "苎"


@given(_text)
def test_clean_text_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once


# Characters U+4E00..U+4FFF hold no chrome cue (评论, 微信, 电话…), so any loss is the cleaner's fault.
_plain_cjk = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=30)
_toned = st.sampled_from(["chǎn", "yè", "qū", "shè", "xiàn", "jìn", "bào", "lǐng"])
_CJK_ONLY = re.compile(r"[^\u3400-\u9fff]")


@given(st.lists(st.tuples(_plain_cjk, st.lists(_toned, max_size=3)), min_size=1, max_size=8))
def test_clean_text_keeps_every_chinese_character_outside_artefacts(parts):
    plain = "。".join(cjk for cjk, _ in parts)
    with_artefacts = "。".join(cjk[:-1] + cjk[-1] + "".join(f"({p})" for p in pinyin) for cjk, pinyin in parts)
    expected = _CJK_ONLY.sub("", to_simplified(plain))
    assert _CJK_ONLY.sub("", clean_text(with_artefacts)) == expected
    assert _CJK_ONLY.sub("", clean_text(plain)) == expected


def test_clean_restores_a_lost_character_only_when_certain():
    assert remove_pinyin_artefacts("來(lái)源:湛江日?qǐng)?bào) 作者") == "來源:湛江日报 作者"
    # 日?(bào) with nothing to tell 报 from 暴/抱: the ? stays, the pinyin goes
    assert remove_pinyin_artefacts("一?qǐng)?bào)") == "一?"
