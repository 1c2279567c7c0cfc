import pytest

from analysis.config import ConfigError, load_params


def test_defaults_are_flat_and_typed():
    params = load_params()
    assert params["linking.radius_km"] == 50.0
    assert params["scoring.half_life_days"] == 180.0


def test_override_and_int_promotion(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[scoring]\nhalf_life_days = 90\n")
    assert load_params(cfg)["scoring.half_life_days"] == 90.0


@pytest.mark.parametrize(
    "text,message",
    [
        ("[scoring]\nhalf_lfe_days = 90\n", "unknown parameter 'scoring.half_lfe_days'"),
        ("[scoring]\nhalf_life_days = 'soon'\n", "'scoring.half_life_days' must be float"),
        ("[scoring\n", "cannot read config"),
    ],
)
def test_bad_config_is_named(tmp_path, text, message):
    cfg = tmp_path / "c.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_params(cfg)


def test_config_changes_the_scores(tmp_path):
    from analysis.warehouse.build import build

    from .conftest import TINY_AS_OF, tiny_world

    sample, reference = tiny_world(tmp_path / "w")
    cfg = tmp_path / "c.toml"
    cfg.write_text("[scoring]\ncontrol_points = 0.0\n")
    db = build(
        tmp_path / "w.duckdb", as_of=TINY_AS_OF, config=cfg, sample_dir=sample, reference_dir=reference
    ).db_path
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select max(control_points) from marts.place_risk").fetchone()[0] == 0
