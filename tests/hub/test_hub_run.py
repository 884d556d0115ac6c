"""`newslens run` on the samples with an empty HF cache and the loopback hub: it downloads,
converts (CTranslate2, ONNX) and runs every stage; a second run needs no network at all; a
missing model stops the run before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.hub_server import LoopbackHub
from tests.hub.conftest import REPO_ROOT, publish_defaults

SAMPLES = REPO_ROOT / "data" / "samples"
# ONNX int8 whatever the CPU, so the export path runs too (auto picks bf16 on AMX machines).
ONNX = {"NEWSLENS_CLASSIFIER_PRECISION": "onnx-int8"}


def _sql(product, lake: Path, query: str) -> list[dict]:
    done = product.newslens("sql", query, "--lake", str(lake), "--format", "json")
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_run_downloads_converts_and_records_hub_revisions(hub, product, public_models_dir, tmp_path):
    shas = publish_defaults(hub, public_models_dir)
    lake = tmp_path / "lake"
    first = product.newslens("run", str(SAMPLES), "--lake", str(lake), **ONNX)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-4000:]
    assert "completed" in first.stdout
    assert any((product.cache_dir / "ct2").iterdir()), "no CTranslate2 conversion"
    assert list((product.cache_dir / "onnx").rglob("*.onnx")), "no ONNX export"

    rows = _sql(product, lake, "SELECT DISTINCT translation_model AS m, translation_model_revision AS r "
                               "FROM sentences WHERE translation_model IS NOT NULL")
    assert len(rows) >= 3
    for row in rows:
        assert row["r"] == shas[row["m"]]
    for table in ("sentiment", "stance_mentions"):
        rows = _sql(product, lake, f"SELECT DISTINCT model AS m, model_revision AS r FROM {table}")
        assert rows and all(row["r"] == shas[row["m"]] for row in rows), (table, rows)

    # Second run, into a new lake: the real hub is gone and a tripwire hub stands in its place.
    hub.stop()
    cache_before = _files(product.cache_dir)
    with LoopbackHub(tmp_path / "tripwire") as tripwire:
        second = product.newslens("run", str(SAMPLES), "--lake", str(tmp_path / "lake2"),
                                  HF_ENDPOINT=tripwire.url, **ONNX)
        assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-4000:]
        assert tripwire.requests() == [], "the cached run touched the network"
    assert _files(product.cache_dir) == cache_before, "conversions were redone"
    rows = _sql(product, tmp_path / "lake2", "SELECT DISTINCT translation_model_revision AS r "
                                             "FROM sentences WHERE translation_model IS NOT NULL")
    assert {row["r"] for row in rows} <= set(shas.values())


def test_missing_model_stops_the_run_before_any_write(hub, product, public_models_dir, tmp_path):
    publish_defaults(hub, public_models_dir)
    lake = tmp_path / "lake"
    done = product.newslens("run", str(SAMPLES), "--lake", str(lake),
                            NEWSLENS_STANCE_MODEL="nobody/gone-nli")
    assert done.returncode == 2
    assert "nobody/gone-nli" in done.stderr and "no article data was written" in done.stderr
    # Only the ledger's row of the failed run (issue 9: every run is on record) was written.
    assert {p.relative_to(lake / "data" / "main").parts[0] for p in lake.rglob("*.parquet")} <= {"runs"}
