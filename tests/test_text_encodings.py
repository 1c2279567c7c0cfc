"""Delimited text as users have it: UTF-8 with or without BOM, cp1252, Latin-1; commas, semicolons, tabs."""

import pytest

from analysis.schema import table
from analysis.sources.csv_table import load_csv
from analysis.sources.errors import InputError
from analysis.sources.text import peek_header, prepare
from analysis.warehouse import meta

from .conftest import HERE

EVENTS = (HERE / "fixtures" / "tiny" / "sample" / "events.csv").read_text(encoding="utf-8")
# A note with characters whose bytes differ between encodings: é (Latin-1/cp1252: E9), ’ (cp1252: 92).
ACCENTED = EVENTS.replace("Clash at Alpha on the as-of day.", "Affrontements à Kalémie: l’armée.")


def _load(path):
    import duckdb

    con = duckdb.connect()
    meta.create(con)
    stats = load_csv(con, path, table("staging.sample_events"), 1, "sample_csv")
    note = con.execute("select notes from staging.sample_events where event_id = 'T-1'").fetchone()[0]
    return stats, note


@pytest.mark.parametrize(
    "encoding,delimiter,text",
    [
        ("utf-8", ",", ACCENTED),
        ("utf-8-sig", ",", ACCENTED),
        ("cp1252", ",", ACCENTED),
        ("latin-1", ",", ACCENTED.replace("’", "'")),
        ("utf-8", ";", None),
        ("utf-8", "\t", None),
    ],
)
def test_encodings_and_delimiters(tmp_path, encoding, delimiter, text):
    import csv
    import io

    if text is None:  # re-write with another delimiter
        rows = list(csv.reader(io.StringIO(ACCENTED)))
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
        text = out.getvalue()
    path = tmp_path / "events.csv"
    path.write_bytes(text.encode(encoding))
    stats, note = _load(path)
    assert (stats.rows_read, stats.rows_rejected) == (7, 0)
    assert note.startswith("Affrontements à Kalémie")
    assert prepare(path).delimiter == delimiter
    assert peek_header(path)[0] == "event_id"


def test_encoding_is_detected(tmp_path):
    for encoding, expected in [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252")]:
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(ACCENTED.encode(encoding))
        assert prepare(path).encoding == expected


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "the file is empty"),
        (b"PK\x03\x04\x00\x00binary", "binary content"),
        (b"just one column and no delimiter\n1\n", "no delimiter"),
    ],
)
def test_unreadable_files_are_named(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        _load(path)
