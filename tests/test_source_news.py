"""News articles → events (issue 7): dates against the dateline, places, actors and types from reference
CSVs (one TSV line per case), whole-file errors naming the file, and a build in which the extracted events
enter core.events as source 'news', are deduplicated and weigh 0.6 in the scores."""

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from analysis.cli import main
from analysis.news import dates, places, typing_rules
from analysis.news.extract import fatalities, minerals
from analysis.sources import news, registry
from analysis.sources.errors import InputError
from analysis.warehouse import meta
from analysis.warehouse.build import build
from analysis.warehouse.inputs import Input

from .conftest import HERE, SHARED_DATA, TINY_AS_OF, tiny_world

FIXTURES = HERE / "fixtures" / "news"
CASES = HERE / "cases"
GOMA = SHARED_DATA / "news" / "2025-01-29_goma_kagame_ceasefire.txt"


def _cases(name: str) -> list[dict]:
    with open(CASES / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.mark.parametrize("case", _cases("news_dates.tsv"), ids=lambda c: c["why"])
def test_date_expressions(case):
    found = dates.resolve(case["sentence"], date.fromisoformat(case["dateline"]))
    if not case["expected"]:
        assert found is None
    else:
        assert (found.day, found.precision) == (date.fromisoformat(case["expected"]), int(case["precision"]))


@pytest.mark.parametrize("case", _cases("news_places.tsv"), ids=lambda c: c["why"])
def test_place_aliases(case):
    found = places.best_place(places.find_places(case["sentence"], places.default_gazetteer()))
    if not case["expected"]:
        assert found is None
    else:
        assert found.name == case["expected"]
        assert found.resolved == (case["resolved"] == "true")


@pytest.mark.parametrize("case", _cases("news_typing.tsv"), ids=lambda c: c["why"])
def test_event_typing(case):
    rule = typing_rules.classify(case["sentence"])
    if not case["event_type"]:
        assert rule is None
    else:
        assert (rule.event_type, rule.sub_event_type) == (case["event_type"], case["sub_event_type"])


def test_fatalities_and_minerals():
    assert fatalities("At least 17 peacekeepers were killed in the fighting.") == (17, True)
    assert fatalities("Rebels shelled the town, killing 3 people.") == (3, False)
    assert fatalities("Two soldiers died of their wounds.") == (2, False)
    assert fatalities("Rebels took the town.") == (0, False)
    assert minerals("a hub for cassiterite, coltan and wolframite") == "tantalum, tin, tungsten"


def _events(name: str, dateline: date | None = None):
    return news.extract_file(FIXTURES / name, dateline)


def test_invented_article_yields_its_events():
    got = {(e.event_date, e.event_type, e.place): e for e in _events("2024-03-06_sake_minova.txt")}
    shelling = got[(date(2024, 3, 3), "Explosions/Remote violence", "Sake")]
    assert (shelling.actor1, shelling.fatalities, shelling.fatalities_approx) == (
        "M23: March 23 Movement",
        4,
        True,
    )
    assert got[(date(2024, 3, 5), "Battles", "Minova")].actor2 == "Wazalendo"
    assert (date(2024, 3, 2), "Protests", "Bukavu") in got
    looting = got[(date(2024, 2, 28), "Strategic developments", "Rubaya")]
    assert (looting.date_precision, looting.minerals) == (2, "tin")
    assert got[(date(2024, 3, 5), "Strategic developments", "Goma")].sub_event_type == "Arrests"
    unresolved = got[(date(2024, 3, 4), "Battles", "Democratic Republic of Congo")]
    assert unresolved.lat is None
    assert len(got) == 6  # "since 2021" and "for 25 years" give none


def test_article_without_events_gives_none():
    assert _events("2024-03-06_no_event.txt") == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("2024-03-06_french.txt", "does not look like English"),
        ("2024-03-06_empty.txt", "empty file"),
        ("undated_masisi.txt", "no dateline"),
        ("2024-02-30_bad_date.txt", "is not a date"),
    ],
)
def test_unreadable_articles_name_the_file(name, message):
    with pytest.raises(InputError, match=message) as err:
        _events(name)
    assert name in str(err.value)


def test_plain_text_with_a_date():
    found = _events("undated_masisi.txt", date(2024, 3, 6))
    assert {(e.event_date, e.event_type, e.place) for e in found} == {
        (date(2024, 3, 1), "Battles", "Masisi"),
        (date(2024, 3, 5), "Protests", "Uvira"),
    }


def test_detection_by_first_line_and_suffix():
    assert registry.detect(FIXTURES / "2024-03-06_sake_minova.txt").name == "news_article"
    assert not news._detect(FIXTURES / "undated_masisi.txt")
    assert not news._detect(HERE / "cases" / "news_dates.tsv")


def test_shared_goma_article_quality_bar():
    if not GOMA.exists():
        pytest.skip("shared news sample not available")
    events = news.extract_file(GOMA)
    got = {(e.event_date, e.event_type, e.sub_event_type, e.place) for e in events}
    monday, tuesday = date(2025, 1, 27), date(2025, 1, 28)
    assert (monday, "Battles", "Non-state actor overtakes territory", "Goma") in got
    assert (monday, "Battles", "Armed clash", "Goma") in got  # fire across the border
    assert any(e.sub_event_type == "Looting/property destruction" and e.place == "Goma" for e in events)
    assert (tuesday, "Strategic developments", "Change to group/activity", "Goma") in got
    assert (tuesday, "Riots", "Violent demonstration", "Kinshasa") in got
    assert all(e.event_date >= date(2025, 1, 20) for e in events)  # nothing from "13 years", "30 years ago"
    entry = next(e for e in events if e.sub_event_type == "Non-state actor overtakes territory")
    assert entry.actor1 == "M23: March 23 Movement" and "marched into Goma" in entry.sentence
    assert not any("30 years ago" in e.sentence for e in events)


def _build_tiny(tmp: Path, files: list[Path]) -> duckdb.DuckDBPyConnection:
    sample, reference = tiny_world(tmp / "w")
    db = tmp / "w.duckdb"
    inputs = [Input(f, "news_article", meta.sha256_of(f)) for f in files]
    build(db, as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference, inputs=inputs)
    return duckdb.connect(str(db), read_only=True)


@pytest.fixture(scope="module")
def tiny_news(tmp_path_factory):
    files = [FIXTURES / "2025-01-29_gtown_tiny.txt", FIXTURES / "2024-03-06_sake_minova.txt"]
    con = _build_tiny(tmp_path_factory.mktemp("news"), files)
    yield con
    con.close()


def test_accounting_and_unresolved_places_rejected(tiny_news):
    rows = tiny_news.execute(
        "select regexp_extract(path, '[^/]+$'), rows_read, rows_loaded, rows_rejected from meta.files "
        "where format = 'news_article' order by 1"
    ).fetchall()
    assert rows == [("2024-03-06_sake_minova.txt", 6, 5, 1), ("2025-01-29_gtown_tiny.txt", 2, 2, 0)]
    path, column, reason = tiny_news.execute(
        "select path, column_name, reason from meta.rejects where table_name = 'staging.news_events'"
    ).fetchone()
    assert path.endswith("2024-03-06_sake_minova.txt") and column == "location"
    assert "'Democratic Republic of Congo'" in reason


def test_news_events_enter_core_and_the_scores(tiny_news):
    rows = tiny_news.execute(
        "select event_type, location, lat, source_ref, notes from core.events "
        "where source = 'news' and event_date = '2025-01-27'"
    ).fetchall()
    (event_type, location, lat, ref, notes) = rows[0]
    assert (len(rows), event_type, location, lat) == (1, "Battles", "Gtown", -1.55)  # a warehouse hub
    assert ref.startswith('2025-01-29_gtown_tiny.txt: "Rebels of the M23 captured Gtown')
    assert notes.startswith("Extracted from news (confidence")
    weights = tiny_news.execute(
        "select distinct source_factor from marts.place_risk_contributors where source = 'news'"
    ).fetchall()
    assert weights == [(0.6,)]
    looting = tiny_news.execute(
        "select location from core.events where source = 'news' and sub_event_type like 'Looting%' "
        "and event_date = '2025-01-28'"
    ).fetchall()
    assert looting == [("Alpha mine",)]  # a warehouse site


def test_news_duplicates_of_curated_events_are_recognised(tmp_path):
    if not GOMA.exists():
        pytest.skip("shared news sample not available")
    db = tmp_path / "w.duckdb"
    build(db, inputs=[Input(GOMA, "news_article", meta.sha256_of(GOMA))])
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select count(*), count(duplicate_of) from core.events where source = 'news'"
    ).fetchone()
    assert rows[0] == 5 and rows[1] >= 1  # the bundled sample's curated records of the fall of Goma


def test_ingest_news_cli_ingests_plain_text_through_a_dated_copy(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    code = main(
        ["ingest-news", str(FIXTURES / "undated_masisi.txt"), "--date", "2024-03-06", "--db", str(db)]
    )
    out = capsys.readouterr().out
    copy = tmp_path / "news" / "2024-03-06_undated_masisi.txt"
    assert code == 0 and "2 events extracted from news" in out and str(copy) in out
    assert copy.read_text().startswith("date 2024-03-06 Fighting broke out")
    con = duckdb.connect(str(db), read_only=True)
    dates = con.execute("select event_date from core.events where source = 'news' order by 1").fetchall()
    assert [str(d) for (d,) in dates] == ["2024-03-01", "2024-03-05"]  # Friday; yesterday
    con.close()
    assert main(["ingest-news", str(FIXTURES / "2024-03-06_french.txt"), "--no-ingest"]) == 3


def test_train_event_typer_on_real_acled(tmp_path, capsys):
    acled_file = SHARED_DATA / "conflict" / "acled_drc_2018-08-01_2018-11-26.csv"
    if not acled_file.exists():
        pytest.skip("shared ACLED sample not available")
    model = tmp_path / "typer.joblib"
    assert main(["train-event-typer", str(acled_file), "--out", str(model)]) == 0
    out = capsys.readouterr().out
    assert "292 rows with notes; 59 held out" in out and "model accuracy" in out and model.exists()
    code = main(
        ["ingest-news", str(FIXTURES / "2024-03-06_sake_minova.txt"), "--typer", str(model), "--no-ingest"]
    )
    out = capsys.readouterr().out
    assert code == 0 and "6 events extracted from news" in out  # the model re-types, never adds events


def test_train_event_typer_rejects_a_file_without_notes(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("event_date,event_type\n2024-01-01,Battles\n")
    assert main(["train-event-typer", str(bad), "--out", str(tmp_path / "m.joblib")]) == 3


def test_the_same_incident_in_two_articles_is_one_news_event(tmp_path):
    first = FIXTURES / "2025-01-29_gtown_tiny.txt"
    second = tmp_path / "2025-01-30_gtown_followup.txt"
    second.write_text(
        "date 2025-01-30 Rebels of the M23 captured Gtown on January 27, witnesses said.\nFollow-up\n",
        encoding="utf-8",
    )
    con = _build_tiny(tmp_path, [first, second])
    rows = con.execute(
        "select count(*) from core.events where source = 'news' and event_date = '2025-01-27' "
        "and sub_event_type = 'Non-state actor overtakes territory'"
    ).fetchone()
    staged = con.execute("select count(*) from staging.news_events where location = 'Gtown'").fetchone()
    con.close()
    assert (rows[0], staged[0]) == (1, 2)
