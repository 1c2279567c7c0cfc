"""docs/schema.md is what analysis.schema_docs generates from the declarations and a built sample."""

from analysis.schema_docs import render

from .conftest import ROOT


def test_schema_docs_are_current(sample_db):
    committed = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert committed == render(str(sample_db)), "docs/schema.md is stale: run `make docs`"


def test_every_table_and_macro_is_documented(sample_db):
    text = render(str(sample_db))
    assert "### `core.events`" in text and "`marts.place_risk_at(as_of_date)`" in text
