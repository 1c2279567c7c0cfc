"""Every table of a built warehouse is documented in schema/*.yml and passes its declared checks."""

from analysis.warehouse.checks import failures, undeclared


def test_every_table_and_column_is_declared(tiny):
    assert undeclared(tiny) == []


def test_declared_checks_hold_on_tiny_world(tiny):
    assert failures(tiny) == []


def test_declared_checks_hold_on_bundled_sample(sample):
    assert undeclared(sample) == []
    assert failures(sample) == []


def test_a_broken_check_is_reported(tiny_db, tmp_path):
    import shutil

    import duckdb

    copy = tmp_path / "broken.duckdb"
    shutil.copyfile(tiny_db, copy)
    con = duckdb.connect(str(copy))
    con.execute("update core.sites set lat = 123 where site_id = 'S-COD-ALPHA'")
    con.execute("insert into core.hubs select * from core.hubs limit 1")
    found = failures(con)
    assert "core.sites.lat: range [-90, 90] fails for 1 rows" in found
    assert "core.hubs.hub_id: unique fails for 1 rows" in found
