"""The layout of a CMRT 6.x workbook, whatever language it was saved in: where the "Smelter List" header is,
that its columns are in the 6.x order (A-Q), and the words of its drop-downs (Yes / No / Unknown).

The template's labels are formulas over its hidden sheet "L", which holds every label in each of the
template's languages. Excel caches them in the language chosen on the Declaration sheet; a workbook written
by a script (openpyxl) caches nothing. So the header is found by its labels when they are cached (English, or
any language of the workbook's own "L" sheet), else taken at row 4 as in every 6.x revision; either way the
reader then checks the data: the 3TG metals must be in column B.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from .errors import InputError

TEMPLATE_HEADER_ROW = 4
SEARCH_ROWS = 12
MIN_LABELS = 8  # of the 17: a header row, not a stray cell that happens to say "Metal"
LETTERS = "ABCDEFGHIJKLMNOPQ"
# A word of each column's English label that the 6.x revisions keep (their wording varies a little).
KEYWORDS = dict(
    zip(
        LETTERS,
        (
            "input column",
            "metal",
            "look-up",
            "smelter name",
            "country",
            "smelter identification",
            "source of smelter",
            "street",
            "city",
            "state",
            "contact name",
            "email",
            "next steps",
            "name of mine",
            "location (country) of mine",
            "recycled",
            "comment",
        ),
        strict=True,
    )
)
ANSWER_CELLS = {"AH5": True, "AH6": False, "AH7": None}  # 'Smelter List' drop-down of column P in sheet L
ENGLISH_ANSWERS = {
    "yes": True,
    "y": True,
    "true": True,
    "no": False,
    "n": False,
    "false": False,
    "unknown": None,
}


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().casefold()


@dataclass
class Vocabulary:
    """Labels and answers in every language of the workbook's "L" sheet (English only when it has none)."""

    labels: dict[str, set[str]] = field(default_factory=dict)  # column letter → its header labels
    answers: dict[str, bool | None] = field(default_factory=lambda: dict(ENGLISH_ANSWERS))
    company_labels: set[str] = field(default_factory=lambda: {"company name (*):", "company name"})


def vocabulary(workbook: openpyxl.Workbook, english: tuple[str, ...]) -> Vocabulary:
    vocab = Vocabulary(
        labels={letter: {normalise(label)} for letter, label in zip(LETTERS, english, strict=True)}
    )
    if "L" not in workbook.sheetnames:
        return vocab
    # Columns: key (a formula, not cached in script-written copies), sheet, cell, then one per language.
    for row in workbook["L"].iter_rows(min_col=2, values_only=True):
        if len(row) < 3 or not isinstance(row[0], str) or not isinstance(row[1], str):
            continue
        sheet, cell = row[0], row[1]
        words = {normalise(v) for v in row[2:] if isinstance(v, str) and v.strip()}
        if sheet == "Smelter List" and cell[-1:] == "4" and cell[:-1] in vocab.labels and cell[:-1].isalpha():
            vocab.labels[cell[:-1]] |= words
        elif sheet == "Smelter List" and cell in ANSWER_CELLS:
            vocab.answers.update(dict.fromkeys(words, ANSWER_CELLS[cell]))
        elif sheet == "Declaration" and cell == "B8":
            vocab.company_labels |= words
    return vocab


def _label_column(label: str, vocab: Vocabulary) -> str | None:
    return next((letter for letter, known in vocab.labels.items() if label in known), None)


def header_row(rows: list[tuple], vocab: Vocabulary, path: Path) -> tuple[int, str]:
    """(row number of the Smelter List header, how it was found: 'labels' or 'position')."""
    for number, values in enumerate(rows[:SEARCH_ROWS], 1):
        labels = [normalise(v) if isinstance(v, str) else "" for v in values[: len(LETTERS)]]
        in_place = sum(
            1
            for letter, label in zip(LETTERS, labels, strict=False)
            if label and (label in vocab.labels[letter] or KEYWORDS[letter] in label)
        )
        if in_place >= MIN_LABELS:
            return number, "labels"
        misplaced = [
            (label, LETTERS[i], found)
            for i, label in enumerate(labels)
            if label and (found := _label_column(label, vocab)) and found != LETTERS[i]
        ]
        if len(misplaced) >= 3:
            shown = "; ".join(
                f"'{label}' in column {at}, expected {want}" for label, at, want in misplaced[:3]
            )
            raise InputError(
                f"{path}: sheet 'Smelter List' row {number} has the CMRT header labels in other columns "
                f"({shown}): not the CMRT 6.x layout (columns A-Q)"
            )
    return TEMPLATE_HEADER_ROW, "position"


def check_metal_column(records: list[tuple[int, dict]], metals: tuple[str, ...], path: Path) -> None:
    """Rows carry their metal in column B; metals found only elsewhere mean the columns are shifted."""
    lowered = {m.lower() for m in metals}
    in_b = sum(1 for _, r in records if (r.get("metal") or "").lower() in lowered)
    if in_b or not records:
        return
    for key, letter in (("id_input", "A"), ("smelter_lookup", "C"), ("smelter_name", "D")):
        if sum(1 for _, r in records if (r.get(key) or "").lower() in lowered) > len(records) // 2:
            raise InputError(
                f"{path}: sheet 'Smelter List' has the metals in column {letter}, not B: "
                "not the CMRT 6.x layout (columns A-Q, header on row 4)"
            )
