"""Dates of events: 8月7日上午 in a visit's sentence, resolved against the article's date.

A date with no year takes the publication year, or the year before when it
would fall after publication (a December visit reported in January). With
no publication date, only a date that gives its year resolves. Of a range
(8月23日至24日) the first day is kept.
"""

from __future__ import annotations

import re
from datetime import date

# 2017年8月9日, 8月7日, 8月23日至24日 (-> 8月23日), 9日上午 (a day of the article's month).
_DATE = re.compile(
    r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:[至到\-—~](?:\d{1,2}月)?\d{1,2}日)?"
    r"(?=[上下中晚早凌,，、]|前后|起)"
)


# The lead: the headline, the dateline and the first paragraph.
_LEAD_PARAGRAPHS = 3


def _nth_newline(text: str, n: int) -> int:
    i = -1
    for _ in range(n):
        i = text.find("\n", i + 1)
        if i < 0:
            return len(text)
    return i


def resolve(year: int | None, month: int | None, day: int, published: date | None) -> date | None:
    """The calendar date of a (year?, month?, day) mention, or None when it cannot be known.

    >>> resolve(None, 8, 7, date(2021, 8, 9))
    datetime.date(2021, 8, 7)
    >>> resolve(None, 12, 30, date(2022, 1, 4))
    datetime.date(2021, 12, 30)
    >>> resolve(None, None, 9, date(2024, 9, 24))
    datetime.date(2024, 9, 9)
    """
    if year is None and published is None:
        return None
    if month is None:
        if published is None:
            return None
        month = published.month
    if year is None:
        year = published.year
        if (month, day) > (published.month, published.day):
            year -= 1
    try:
        return date(year, month, day)
    except ValueError:
        return None


def event_date(text: str, pos: int, published: str | None) -> str | None:
    """The ISO date of the event told at `pos`: the last date before it in its
    paragraph, else the date the article's lead gives (the day of the visit it reports)."""
    start = text.rfind("\n", 0, pos) + 1
    found = None
    for m in _DATE.finditer(text, start, pos):
        found = m
    if found is None:
        lead_end = _nth_newline(text, _LEAD_PARAGRAPHS)
        found = _DATE.search(text, 0, min(lead_end, pos))
    if found is None:
        return None
    year, month, day = found.groups()
    try:
        published_on = date.fromisoformat(published) if published else None
    except ValueError:
        published_on = None  # not a date (2023-02-29): the event's own date may still tell its year
    day_of = resolve(int(year) if year else None, int(month) if month else None, int(day), published_on)
    return day_of.isoformat() if day_of else None
