from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from analysis.warehouse.build import build

from .cmrt_writer import write_cmrt

HERE = Path(__file__).parent
ROOT = HERE.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
TINY_AS_OF = date(2025, 1, 31)

TINY_BUYER_ROWS = [
    # Resolved by id; origins from China's supply mix (trade statistics + own production).
    {"metal": "Tantalum", "name": "Tiny Tantalum Works", "country": "CHINA", "cid": "CID900001"},
    # Resolved by name (no id given); declared mine country takes precedence over statistics.
    {
        "metal": "Tin",
        "name": "TINY TIN SMELTER",
        "country": "MALAYSIA",
        "mine_countries": "CONGO, DEMOCRATIC REPUBLIC OF THE",
    },
    # Not in the smelter list at all: unknown origin, pooled risk.
    {"metal": "Tantalum", "name": "Nameless Refining Co", "country": "UNKNOWN"},
    # 100 % recycled.
    {"metal": "Tin", "name": "Tiny Tin Smelter", "cid": "CID900002", "recycled": "Yes"},
]


def tiny_world(folder: Path) -> tuple[Path, Path]:
    """The tiny world's sample folder and reference folder: the project's reference tables, with the ones
    the golden tests compute by hand (weights, metal content, baselines) pinned by tests/fixtures/tiny."""
    sample = folder / "sample"
    shutil.copytree(HERE / "fixtures" / "tiny" / "sample", sample)
    write_cmrt(sample / "tiny_buyer.xlsx", "Tiny Buyer Ltd", TINY_BUYER_ROWS)
    reference = folder / "reference"
    shutil.copytree(ROOT / "datasets" / "reference", reference)
    for pinned in (HERE / "fixtures" / "tiny" / "reference").glob("*.csv"):
        shutil.copyfile(pinned, reference / pinned.name)
    return sample, reference


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tiny")
    sample, reference = tiny_world(folder)
    db = folder / "tiny.duckdb"
    build(db, as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference)
    return db


@pytest.fixture
def tiny(tiny_db):
    con = duckdb.connect(str(tiny_db), read_only=True)
    yield con
    con.close()


SAMPLE_AS_OF = None  # the bundled sample builds at its own latest event date


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    if not (ROOT / "datasets" / "sample" / "events.csv").exists():
        pytest.skip("the bundled sample is not in datasets/sample")
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    build(db)
    return db


@pytest.fixture
def sample(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    yield con
    con.close()
