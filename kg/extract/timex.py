"""Normalise time expressions against the article's publication date.

>>> from datetime import date
>>> normalise_date("Wednesday", date(2023, 11, 7)), normalise_date("October 7", date(2023, 11, 1))
('2023-11-01', '2023-10-07')
>>> normalise_date("Wednesday, November 1", None), normalise_date("1 November 2023", None)
(None, '2023-11-01')
>>> normalise_date("today", date(2023, 11, 1)), normalise_date("2007", None)
('2023-11-01', '2007')
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from kg.calendar import MONTHS, WEEKDAYS

_RELATIVE = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(text: str) -> tuple[int, int] | None:
    m = re.search(rf"\b([a-z]+)\.?\s+{_ORD}\b", text) or None
    if m and m[1] in MONTHS:
        return MONTHS[m[1]], int(m[2])
    m = re.search(rf"\b{_ORD}\s+(?:of\s+)?([a-z]+)\b", text)
    if m and m[2] in MONTHS:
        return MONTHS[m[2]], int(m[1])
    return None


def normalise_date(text: str, published: date | None, *, future: bool = False) -> str | None:
    """ISO value of a date expression, or None when it cannot be pinned down.

    Explicit dates (with a year) always resolve.  Relative ones ("Wednesday", "today",
    "October 7") resolve only against a publication date: weekdays to the most recent such
    day on or before it (on or after it when ``future``, for "will reopen on Friday"),
    month-days to that year (the previous one if that would be more than a week after
    publication).

    >>> normalise_date("Friday", date(2024, 3, 6), future=True)
    '2024-03-08'
    """
    t = " ".join(text.casefold().replace(",", " ").split())
    t = re.sub(r"^(?:on|the|last|this|early|late)\s+", "", t)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        d = _safe(int(m[1]), int(m[2]), int(m[3]))
        return d.isoformat() if d else None
    year_m = re.search(r"\b(1[89]\d\d|20\d\d)\b", t)
    md = _month_day(t)
    if md and year_m:
        d = _safe(int(year_m[1]), *md)
        return d.isoformat() if d else None
    if year_m and re.fullmatch(r"(?:in\s+)?(1[89]\d\d|20\d\d)", t):
        return year_m[1]
    if published is None:
        return None
    try:
        return _relative(t, md, published, future=future)
    except (OverflowError, ValueError):  # a placeholder date at the calendar's edge: 0001-01-01
        return None


def _relative(t: str, md: tuple[int, int] | None, published: date, *, future: bool) -> str | None:
    """A relative date expression resolved against the publication date."""
    if t in _RELATIVE:
        return (published + timedelta(days=_RELATIVE[t])).isoformat()
    if md:
        d = _safe(published.year, *md)
        if d and d > published + timedelta(days=7):
            d = _safe(published.year - 1, *md)
        return d.isoformat() if d else None
    words = t.split()
    if words and words[0] in WEEKDAYS and len(words) <= 2:
        if future:
            ahead = (WEEKDAYS[words[0]] - published.weekday()) % 7
            return (published + timedelta(days=ahead)).isoformat()
        back = (published.weekday() - WEEKDAYS[words[0]]) % 7
        return (published - timedelta(days=back)).isoformat()
    return None


__all__ = ["normalise_date"]
