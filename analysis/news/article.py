"""Reading a news article: `date YYYY-MM-DD` then the lead on the first line, the headline on the second,
then one paragraph a line; or plain text with the date given separately."""

from __future__ import annotations

import re
from datetime import date

from .extract import Article

DATELINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*(.*)$", re.IGNORECASE)
_ENGLISH = frozenset(
    ("the", "and", "of", "in", "to", "a", "on", "said", "was", "were", "is", "are", "has", "have", "for",
     "with", "that", "by", "from", "at")
)  # fmt: skip


class ArticleError(ValueError):
    """The text is not an article minrisk can read (empty, not English, bad dateline)."""


def _check_english(text: str) -> None:
    words = re.findall(r"[a-zà-ÿ’']+", text.lower())
    if not words:
        raise ArticleError("no text")
    share = sum(w in _ENGLISH for w in words) / len(words)
    if len(words) >= 5 and share < 0.08:  # English prose has ~25% of these words; French/Swahili ~0-3%
        raise ArticleError(
            f"does not look like English ({share:.0%} common English words); only English is read"
        )


def parse_article(text: str, dateline: date | None = None) -> Article:
    """An Article from the text; `dateline` is required when the text has no `date` first line."""
    lines = [line.strip() for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    if not lines:
        raise ArticleError("empty file")
    m = DATELINE.match(lines[0])
    if m:
        try:
            found = date.fromisoformat(m[1])
        except ValueError:
            raise ArticleError(f"first line: '{m[1]}' is not a date (YYYY-MM-DD)") from None
        lead, rest = m[2].strip(), lines[1:]
        headline, body = (rest[0], rest[1:]) if rest else ("", [])
        paragraphs = ([lead] if lead else []) + body
        dateline = dateline or found
    else:
        if dateline is None:
            raise ArticleError("no dateline: the first line must be 'date YYYY-MM-DD' (or pass --date)")
        headline, paragraphs = "", lines
    _check_english(" ".join(paragraphs) or headline)
    return Article(dateline, headline, tuple(paragraphs))
