"""A text classifier of ACLED event types trained on the `notes` of a user's own ACLED file (TF-IDF word
and bigram features + logistic regression), compared with the keyword rules on held-out rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import joblib
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from ..paths import reference_dir
from . import typing_rules
from .extract import Typer

HELD_OUT = 0.2
SEED = 7
MIN_ROWS = 50


@dataclass(frozen=True)
class Evaluation:
    rows: int
    held_out: int
    model_accuracy: float
    rules_accuracy: float  # a sentence the rules leave untyped counts as wrong
    rules_coverage: float  # share of held-out notes the rules type at all


def labelled_notes(path: Path) -> pd.DataFrame:
    """notes and today's event type of an ACLED CSV (HXL tag row skipped); pre-2019 types are mapped by
    reference.acled_legacy_event_types (the rows valid for any interaction), unmapped ones dropped."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"event_date", "event_type", "notes"} - set(frame.columns)
    if missing:
        raise ValueError(f"missing columns: {', '.join(sorted(missing))}")
    frame = frame[~frame["event_date"].str.startswith("#")]
    legacy = pd.read_csv(reference_dir() / "acled_legacy_event_types.csv", dtype=str)
    legacy = legacy[legacy.interaction == "*"].set_index("old_event_type").event_type.to_dict()
    current = {r.event_type for r in typing_rules.default_rules()}
    types = frame.event_type.map(lambda t: t if t in current else legacy.get(t))
    out = pd.DataFrame({"notes": frame.notes, "event_type": types}).dropna()
    return out[out.notes.str.strip() != ""].reset_index(drop=True)


def train(frame: pd.DataFrame) -> Pipeline:
    model = Pipeline(
        [
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
            ("logreg", LogisticRegression(max_iter=1000, class_weight="balanced")),
        ]
    )
    return model.fit(frame.notes, frame.event_type)


def train_and_evaluate(frame: pd.DataFrame) -> tuple[Pipeline, Evaluation]:
    """A model trained on 80% of the rows, scored with the rules on the other 20%; then refitted on all."""
    if len(frame) < MIN_ROWS or frame.event_type.nunique() < 2:
        raise ValueError(f"need at least {MIN_ROWS} rows with notes and two event types, got {len(frame)}")
    counts = frame.event_type.value_counts()
    stratify = frame.event_type if counts.min() >= 2 else None
    fit, test = train_test_split(frame, test_size=HELD_OUT, random_state=SEED, stratify=stratify)
    predicted = train(fit).predict(test.notes)
    ruled = [typing_rules.classify(n) for n in test.notes]
    truth = list(test.event_type)
    evaluation = Evaluation(
        rows=len(frame),
        held_out=len(test),
        model_accuracy=float((predicted == test.event_type.to_numpy()).mean()),
        rules_accuracy=sum(r is not None and r.event_type == t for r, t in zip(ruled, truth, strict=True))
        / len(test),
        rules_coverage=sum(r is not None for r in ruled) / len(test),
    )
    return train(frame), evaluation


def save(model: Pipeline, path: Path) -> None:
    joblib.dump(model, path)


def load_typer(path: Path) -> Typer:
    """A typer for extract(): the model's event type, with the rules' sub-type when the rules agree on the
    type (else the type's most general sub-type, 'Other'); None when the rules see no event at all, so the
    model re-types event sentences but never turns commentary into events."""
    model = joblib.load(path)

    def typer(sentence: str) -> tuple[str, str] | None:
        rule = typing_rules.classify(sentence)
        if rule is None:
            return None
        event_type = str(model.predict([sentence])[0])
        return event_type, rule.sub_event_type if rule.event_type == event_type else "Other"

    return typer
