"""Text cleaners, each `str -> str`: pinyin debris, Traditional script, page chrome.

Every cleaner is idempotent: cleaning clean text changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import opencc

# A parenthesised group of pinyin with at least one tone mark after a CJK
# character (or the `?` a lost character became, or a mojibake letter): 產(chǎn) -> 產, but not
# 爱励铝业(镇江)有限公司, (记者 崔骏), (000910), 华为(Huawei).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
PINYIN_ARTEFACT = re.compile(
    rf"(?<=[\u3400-\u9fff?A-Za-z])[(（](?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]"
)
# Where a page lost a character with its opening bracket, a `?` stands before
# the character's pinyin: 湛江日?qǐng)?bào)社. The first such group after a
# character is that character's own (garbled) pinyin; a group that follows
# another group is a lost character.
LOST_CHARACTER = re.compile(rf"\?(?=[a-zü{_TONED}]*[{_TONED}])([a-zü{_TONED}]{{1,7}})\)")
# A restored character must make a word this common with a neighbour (日报: 4,000+).
_RESTORE_MIN_FREQUENCY = 100
# A two-character name padded to the width of three: 监制:龚 曦 -> 监制:龚曦.
# Other spaces between CJK separate things (记者 麦凯 通讯员 李璇) and stay.
_PADDED_NAME = re.compile(r"(?<=[:：\s][\u4e00-\u9fff])[ \u3000\xa0](?=[\u4e00-\u9fff](?:\s|$))")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_CJK = re.compile(r"[\u3400-\u9fff]")

# Lines of page chrome that may stand anywhere: breadcrumbs, log-in prompts,
# a CMS's "admin1年前 (2024-09-24)" line, decoration such as ↓↓↓ or a lone ?.
_CHROME_LINE = re.compile(
    r"^(?:当前位置|您的位置|你的位置|首页\s*>)|>[^>\n]*>\s*正文"  # not >.*>: quadratic on a line of >
    r"|^登录.{0,12}账号$|^admin\d*\S*前|^\S{0,8}\d+(?:年|个月|天|小时|分钟)前\s*\("
    r"|^[↓↑→←\s?？|｜*#=\-_.·…]*$"
)
# Lines where the article ends and the page's tail begins: contact and ad
# blocks, copyright, tags, sharing, related articles, hot-news lists, comments.
_TAIL_START = re.compile(
    r"^(?:相关(?:文章|阅读|新闻|推荐|报道|链接)|推荐阅读|延伸阅读|猜你喜欢|热点新闻|热门(?:文章|新闻|推荐)"
    r"|最新(?:文章|新闻)|上一篇|下一篇|版权(?:声明|所有)|免责声明|本文链接|标签[:：]|分享(?:给朋友|到)"
    r"|扫一扫|扫描二维码|长按|评论|发表评论|网友评论|我要评论|打印\s*[|｜]|爆料(?:热线|邮箱)|广告热线"
    r"|\S{0,6}图片$|责任编辑[:：]?$)"
)
# The heading of a list of teasers for other articles.
_TEASER_LIST = re.compile(r"^(?:相关(?:文章|阅读|新闻|推荐|报道)|推荐阅读|延伸阅读)\s*$")
_TEASER_HEADLINE_MIN, _TEASER_HEADLINE_MAX = 8, 60
# A short line about how to reach someone: 或微信/手机:13391219793, 葛毅明微信号.
_CONTACT = re.compile(r"微信|手机|电话|热线|邮箱|QQ|联系人")
# A line of the article's body: a sentence of this many Chinese characters or more. Tail
# cues above the first one (扫一扫, 发表评论 in a page's header) are header chrome, not the tail.
_BODY_CHARACTERS = 6
_BODY_END = re.compile(r"[。！？][”」)）]*(?:[(（][^()（）]*[)）])?$")
_PHONE = re.compile(r"\d[\d \-—]{6,}\d")


# Line separators other than \n (U+2028, U+0085, vertical tab, form feed, the C0 file and
# group separators) end lines; other control and invisible characters go. Strict RDF
# and JSON readers, and str.splitlines, would otherwise see lines and junk no reader sees.
_LINE_BREAKS = dict.fromkeys(map(ord, "\u2028\u2029\u0085\v\f\x1c\x1d\x1e"), "\n")
_INVISIBLE = dict.fromkeys(
    [*range(0x00, 0x09), *range(0x0E, 0x1C), 0x1F, 0x7F, *range(0x80, 0xA0), 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]
)


def remove_control_characters(text: str) -> str:
    r"""Line separators as \n; NUL, other control characters and zero-width spaces removed.

    >>> remove_control_characters("徐州\u2028经开区\x00\u200b")
    '徐州\n经开区'
    """
    return text.translate(_LINE_BREAKS).translate(_INVISIBLE)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def remove_pinyin_artefacts(text: str) -> str:
    """Drop the pinyin a web page put after each character: 產(chǎn)業(yè) -> 產業.

    A character lost as `?` before its pinyin is restored where only one
    character with that reading makes a word with its neighbours, else left as `?`:

    >>> remove_pinyin_artefacts("來源:湛江日?qǐng)?bào)社")
    '來源:湛江日报社'
    """
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    last = 0
    previous_end = None  # where the last group ended
    for m in LOST_CHARACTER.finditer(text):
        out.append(text[last : m.start()])
        if m.start() == previous_end:
            before = next((piece[-1] for piece in reversed(out) if piece), "")
            after = PINYIN_ARTEFACT.sub("", text[m.end() : m.end() + 12])[:1]
            out.append(_restore(m.group(1), before, after))
        # else: the garbled pinyin of the character before it, dropped
        last = previous_end = m.end()
    out.append(text[last:])
    return PINYIN_ARTEFACT.sub("", "".join(out))


@cache
def _readings() -> dict[str, tuple[str, ...]]:
    """Pinyin with tone marks -> the characters read so, from pypinyin's table."""
    from pypinyin.pinyin_dict import pinyin_dict

    table: dict[str, list[str]] = {}
    for code, readings in pinyin_dict.items():
        if 0x4E00 <= code <= 0x9FFF:
            for reading in readings.split(","):
                table.setdefault(reading, []).append(chr(code))
    return {k: tuple(v) for k, v in table.items()}


def _restore(reading: str, before: str, after: str) -> str:
    """The one character read `reading` that makes a common word with `before` or `after`, else '?'."""
    from .segment import frequency

    fits = set()
    for c in _readings().get(reading, ()):
        c = to_simplified(c)
        words = (to_simplified(before) + c, c + to_simplified(after))
        if max(frequency(w) for w in words) >= _RESTORE_MIN_FREQUENCY:
            fits.add(c)
    return fits.pop() if len(fits) == 1 else "?"


def to_simplified(text: str) -> str:
    """Traditional to Simplified Chinese with OpenCC (names included: 徐啟方 -> 徐启方).

    Converted twice: OpenCC takes a few characters only part of the way (薴 -> 苧, and 苧 -> 苎
    on a second pass), and cleaning a cleaned text must change nothing.
    """
    t2s = _t2s()
    return t2s.convert(t2s.convert(text))


def normalize_whitespace(text: str) -> str:
    """One space at most, no blank-line runs, LF endings, padded names closed up."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _PADDED_NAME.sub("", _SPACES.sub(" ", line).strip())
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip("\n")


def _is_contact(line: str) -> bool:
    return bool(_CONTACT.search(line)) and (len(line) <= 40 or bool(_PHONE.search(line)))


def _is_paragraph(line: str) -> bool:
    return len(_CJK.findall(line)) >= _BODY_CHARACTERS and bool(_BODY_END.search(line))


def strip_chrome(text: str) -> str:
    """Keep the article: drop chrome lines, and cut the page's tail.

    The tail starts at the first line, after the article's first paragraph, that
    opens a contact block, copyright notice, tag list, related-article list or
    comment widget; such a line above the first paragraph is dropped alone.
    """
    kept: list[str] = []
    body = False
    for line in text.split("\n"):
        if _CHROME_LINE.search(line):
            continue
        if kept and (_TAIL_START.search(line) or _is_contact(line)):
            if body:
                break
            continue
        kept.append(line)
        body = body or _is_paragraph(line)
    return "\n".join(kept).strip("\n")


def _unchromed(text: str) -> str:
    return normalize_whitespace(to_simplified(remove_pinyin_artefacts(remove_control_characters(text))))


def clean_text(text: str) -> str:
    """Every cleaner in order: artefacts, script, chrome, whitespace."""
    return normalize_whitespace(strip_chrome(_unchromed(text)))


def clean_page(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The cleaned article, and the (headline, snippet) of each related-article teaser after it."""
    text = _unchromed(text)
    return normalize_whitespace(strip_chrome(text)), teasers(text)


def teasers(text: str) -> list[tuple[str, str]]:
    """The teasers of a "相关文章" list: each a headline line followed by its snippet.

    A headline is a short line that ends no sentence (repeated, as pages
    often show it twice); its snippet is the longer line after it.
    """
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if _TEASER_LIST.match(line)), None)
    if start is None:
        return []
    found: list[tuple[str, str]] = []
    headline = None
    for line in lines[start + 1 :]:
        if not line:
            continue
        if _TEASER_LIST.match(line) or _TAIL_START.search(line) or _is_contact(line):
            break
        is_headline = _TEASER_HEADLINE_MIN <= len(line) <= _TEASER_HEADLINE_MAX and not line.endswith(
            ("。", "…", "...")
        )
        if headline and line == headline:
            continue
        if headline and not is_headline:
            found.append((headline, line))
            headline = None
        elif is_headline:
            headline = line
        else:
            headline = None
    return found
