"""Shared pytest set-up: Prefect runs in a temporary home, tiny models come from fixture plugins."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Ephemeral Prefect state must not land in the user's ~/.prefect; set before Prefect is imported.
_PREFECT_HOME = tempfile.mkdtemp(prefix="newslens-prefect-home-")
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME)
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

pytest_plugins = ["tests.fixtures.tiny_marian", "tests.fixtures.tiny_encoders"]

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = REPO_ROOT.parent / "shared" / "seed"
SAMPLES_DIR = REPO_ROOT / "data" / "samples"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def seed_article() -> Path:
    files = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
    if not files:
        pytest.skip("seed article not present (../shared/seed)")
    return files[0]
