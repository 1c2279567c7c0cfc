"""ACLED event type and sub-type of a sentence by transparent keyword rules
(datasets/reference/news_event_rules.csv): the first rule, in rule order, whose pattern matches wins."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..paths import reference_dir


@dataclass(frozen=True)
class Rule:
    rule: int
    pattern: re.Pattern[str]
    event_type: str
    sub_event_type: str


def read_rules(path: Path | None = None) -> tuple[Rule, ...]:
    with open(path or reference_dir() / "news_event_rules.csv", newline="", encoding="utf-8") as f:
        rules = [
            Rule(
                int(r["rule"]), re.compile(r["pattern"], re.IGNORECASE), r["event_type"], r["sub_event_type"]
            )
            for r in csv.DictReader(f)
        ]
    return tuple(sorted(rules, key=lambda r: r.rule))


@cache
def default_rules() -> tuple[Rule, ...]:
    return read_rules()


def classify(sentence: str, rules: tuple[Rule, ...] | None = None) -> Rule | None:
    """The first matching rule, or None: the sentence reports no event the rules know."""
    for rule in rules if rules is not None else default_rules():
        if rule.pattern.search(sentence):
            return rule
    return None
