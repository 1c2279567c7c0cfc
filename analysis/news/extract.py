"""Events proposed from one news article: each sentence that reports an event the rules (or a trained typer)
recognise, with its date, place, actors, fatalities, minerals and a confidence. Pure: text in, events out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from . import actors as actor_mod
from . import dates, places, typing_rules

MINERALS = {
    "tin": "tin", "cassiterite": "tin", "tantalum": "tantalum", "coltan": "tantalum",
    "tungsten": "tungsten", "wolframite": "tungsten", "gold": "gold",
}  # fmt: skip
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
         "twenty")
    )
}  # fmt: skip
_FATALITIES = re.compile(
    r"\b(?P<q>at least|more than|over|about|around|nearly|almost|some|up to)?\s*(?P<n>\d[\d,]*|"
    + "|".join(_NUMBER_WORDS)
    + r")\s+(?:[a-z]+\s+){0,2}?(?:(?:were|have been|had been|was)\s+)?(?:killed|dead|died)\b"
    r"|\bkill(?:ed|ing)\s+(?P<q2>at least|more than|over|about|around|nearly|some)?\s*(?P<n2>\d[\d,]*)",
    re.IGNORECASE,
)
_HEDGES = re.compile(
    r"\bunverified\b|\ballegedly\b|\breportedly\b|\bunconfirmed\b|\bcould not be verified\b", re.I
)
_CLAUSE_BREAK = re.compile(r",?\s+but\b,?\s*|;\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’]?\s+(?=[“\"‘A-Z0-9])")

# A typer maps a sentence to (event_type, sub_event_type) or None; the rules are the default.
Typer = Callable[[str], tuple[str, str] | None]


@dataclass(frozen=True)
class Article:
    dateline: date
    headline: str
    paragraphs: tuple[str, ...]  # the lead first


@dataclass(frozen=True)
class NewsEvent:
    event_date: date
    date_precision: int
    date_expression: str | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    place: str | None
    country_iso3: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geo_precision: int
    fatalities: int
    fatalities_approx: bool
    minerals: str | None
    sentence: str
    paragraph: int
    confidence: float


def split_sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(paragraph.strip()) if s.strip()]


def fatalities(sentence: str) -> tuple[int, bool]:
    """Deaths stated in the sentence ("at least 17 peacekeepers killed" → 17, approximate), else 0."""
    m = _FATALITIES.search(sentence)
    if not m:
        return 0, False
    raw = (m["n"] or m["n2"]).lower().replace(",", "")
    n = _NUMBER_WORDS[raw] if raw in _NUMBER_WORDS else int(raw)
    return n, bool(m["q"] or m["q2"])


def minerals(sentence: str) -> str | None:
    found = sorted({v for k, v in MINERALS.items() if re.search(rf"\b{k}\b", sentence, re.IGNORECASE)})
    return ", ".join(found) or None


def rule_typer(sentence: str) -> tuple[str, str] | None:
    rule = typing_rules.classify(sentence)
    return (rule.event_type, rule.sub_event_type) if rule else None


def _confidence(
    when: dates.EventDate | None, where: places.Place | None, n_actors: int, hedged: bool
) -> float:
    """A transparent score, not a probability: a stated day, a town and a named actor each make the record
    more usable; a hedge ("unverified") makes it less."""
    score = 0.4 + (0.2 if when and when.precision == dates.DAY else 0.0)
    score += 0.2 if where and where.resolved and where.geo_precision == 1 else 0.1 if where else 0.0
    score += 0.1 if n_actors else 0.0
    score -= 0.2 if hedged else 0.0
    return round(min(max(score, 0.05), 0.95), 2)


def _merge(events: list[NewsEvent]) -> list[NewsEvent]:
    """One event per (type, sub-type, place, day or week): an article repeats its lead and recaps; the
    record with the most precise date (then the highest confidence, then the first) is kept."""
    kept: dict[tuple, NewsEvent] = {}
    for e in sorted(events, key=lambda e: (e.date_precision, -e.confidence, e.paragraph)):
        key = (e.event_type, e.sub_event_type, e.place)
        same = [k for k, v in kept.items() if k[:3] == key and abs((v.event_date - e.event_date).days) <= 7]
        if same and e.date_precision > 1:
            continue  # a week-precise mention of an incident already dated to the day
        if any(kept[k].event_date == e.event_date for k in same):
            continue
        kept[(*key, e.event_date)] = e
    return sorted(kept.values(), key=lambda e: (e.paragraph, e.event_date))


def split_clauses(sentence: str) -> list[str]:
    """Clauses that can report different events: "shops had been looted but, after days of fighting, ..."."""
    return [c for c in _CLAUSE_BREAK.split(sentence) if c.strip()]


def _clause_event(
    clause: str,
    sentence: str,
    paragraph: int,
    dateline: date,
    context: places.Place | None,
    gazetteer: tuple[places.Place, ...],
    aliases: tuple[actor_mod.Alias, ...],
    rebel: str,
    typer: Typer,
) -> NewsEvent | None:
    typed = typer(clause)
    if typed is None:
        return None
    when = dates.resolve(clause, dateline)
    if when is None and dates.is_historical(clause):
        return None
    when = when or dates.EventDate(dateline, dates.WEEK, None)
    where = places.best_place(places.find_places(clause, gazetteer)) or context
    who = actor_mod.find_actors(clause, aliases, rebel)
    deaths, approx = fatalities(clause)
    return NewsEvent(
        event_date=when.day,
        date_precision=when.precision,
        date_expression=when.expression,
        event_type=typed[0],
        sub_event_type=typed[1],
        actor1=who[0] if who else None,
        actor2=who[1] if len(who) > 1 else None,
        place=where.name if where else None,
        country_iso3=where.country_iso3 if where else None,
        admin1=where.admin1 if where else None,
        lat=where.lat if where else None,
        lon=where.lon if where else None,
        geo_precision=where.geo_precision if where else 3,
        fatalities=deaths,
        fatalities_approx=approx,
        minerals=minerals(sentence),
        sentence=sentence,
        paragraph=paragraph,
        confidence=_confidence(when, where, len(who), bool(_HEDGES.search(sentence))),
    )


def extract(
    article: Article,
    gazetteer: tuple[places.Place, ...] | None = None,
    aliases: tuple[actor_mod.Alias, ...] | None = None,
    typer: Typer | None = None,
) -> list[NewsEvent]:
    """The events the article reports. Sentences without a date inherit the dateline at week precision
    unless they look historical ("30 years ago"); sentences without a place inherit the paragraph's last."""
    gazetteer = gazetteer if gazetteer is not None else places.default_gazetteer()
    aliases = aliases if aliases is not None else actor_mod.default_aliases()
    typer = typer or rule_typer
    rebel = actor_mod.article_rebel(" ".join(article.paragraphs), aliases)
    events = []
    for number, paragraph in enumerate(article.paragraphs):
        context: places.Place | None = None
        for sentence in split_sentences(paragraph):
            in_sentence = places.best_place(places.find_places(sentence, gazetteer))
            context = in_sentence or context
            for clause in split_clauses(sentence):
                event = _clause_event(
                    clause, sentence, number, article.dateline, context, gazetteer, aliases, rebel, typer
                )
                if event is not None:
                    events.append(event)
    return _merge(events)
