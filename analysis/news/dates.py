"""Event dates in news sentences, resolved against the article's dateline.

Only expressions that name the day (or week) an event happened are read: weekdays ("on Monday", "on Sunday
night"), "yesterday", "today", "last night", "last week", explicit "January 27" / "27 January 2025".
Durations and anniversaries ("for the second time in 13 years", "30 years ago", "since 1994") are never
event dates: `is_historical` flags them so a sentence with no other date is not dated from the dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
DAY = 1  # precision codes as in ACLED's time_precision: 1 day, 2 week, 3 month
WEEK = 2
FUTURE_DAYS = 60  # a year-less date up to this far after the dateline is announced, not past

_MONTH = "|".join(MONTHS)
_EXPLICIT = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH}))"
    r"(?:,?\s+(?P<y>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(rf"\b(?:on|since|last|early|late)?\s*\b(?P<wd>{'|'.join(WEEKDAYS)})\b", re.IGNORECASE)
_RELATIVE = {
    "yesterday": (1, DAY),
    "last night": (1, DAY),
    "overnight": (1, DAY),
    "today": (0, DAY),
    "this morning": (0, DAY),
    "earlier this week": (3, WEEK),
    "last week": (7, WEEK),
}
_HISTORICAL = re.compile(
    r"\b(?:\d+|\w+)\s+(?:years?|decades?)\s+ago\b|\bin\s+(?:the\s+)?(?:past|last\s+)?\d+\s+years\b"
    r"|\bsince\s+(?:19|20)\d\d\b|\bin\s+(?:19|20)\d\d\b|\b(?:19|20)\d\ds\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class EventDate:
    day: date
    precision: int  # 1 day, 2 week
    expression: str  # the words it was read from


def _weekday_before(dateline: date, weekday: int) -> date:
    """The latest day on or before the dateline that falls on `weekday` (Monday = 0)."""
    return dateline - timedelta(days=(dateline.weekday() - weekday) % 7)


def _explicit(match: re.Match[str], dateline: date) -> date | None:
    month = MONTHS.index((match["m1"] or match["m2"]).lower()) + 1
    day = int(match["d1"] or match["d2"])
    year = int(match["y"]) if match["y"] else dateline.year
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    # "December 30" in a January article is last year; "February 14" in a January article is ahead
    if not match["y"] and (found - dateline).days > FUTURE_DAYS:
        found = date(year - 1, month, day)
    return found


def resolve(sentence: str, dateline: date) -> EventDate | None:
    """The date of the event a sentence reports, or None when it names none.

    An explicit date wins over a weekday, a weekday over a relative word; dates after the dateline are not
    event dates (announcements of what will happen) and are skipped.
    """
    for match in _EXPLICIT.finditer(sentence):
        found = _explicit(match, dateline)
        if found is not None and found <= dateline:
            return EventDate(found, DAY, match.group(0).strip())
    lowered = sentence.lower()
    for match in _WEEKDAY.finditer(sentence):
        if match.group(0).strip().lower().startswith("since"):
            continue
        found = _weekday_before(dateline, WEEKDAYS.index(match["wd"].lower()))
        if match.group(0).strip().lower().startswith("last") and found == dateline:
            found -= timedelta(days=7)
        return EventDate(found, DAY, match.group(0).strip())
    for words, (days_back, precision) in _RELATIVE.items():
        if re.search(rf"\b{words}\b", lowered):
            return EventDate(dateline - timedelta(days=days_back), precision, words)
    return None


def is_historical(sentence: str) -> bool:
    """The sentence refers to a past beyond the news cycle ("30 years ago", "since 1994")."""
    return _HISTORICAL.search(sentence) is not None
