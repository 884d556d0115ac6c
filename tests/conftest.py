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
# Converted models and benchmark artefacts go to a temporary folder, not the checkout's data/.
os.environ.setdefault("NEWSLENS_CACHE_DIR", tempfile.mkdtemp(prefix="newslens-cache-"))
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# `auto` precision is measured per machine in real runs; the suite compares lakes filled by
# separate runs, so it takes the CPU-flag rule (same answer every time). The measured path is
# tested in tests/models/test_calibration.py, through get_classifier and a run.
os.environ.setdefault("NEWSLENS_CLASSIFIER_CALIBRATION", "false")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

# Import Prefect now so its console log handler binds to the session's stderr, not to the
# short-lived stream of one CliRunner invocation (a closed stream breaks later runs).
from prefect.logging.configuration import setup_logging  # noqa: E402

setup_logging()

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


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for every flow test in the session."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory) -> Path:
    """Tiny models for every configured model id, written by the product's own `models tiny`."""
    from newslens.config import Settings
    from newslens.models.inventory import make_tiny_models

    out = tmp_path_factory.mktemp("models-tiny")
    make_tiny_models(Settings(), out)
    return out


def pytest_addoption(parser):
    """`--trials N`: kill moments per kill test (tests/lake/test_kill.py); hundreds outside CI."""
    parser.addoption("--trials", type=int, default=None,
                     help="kill moments per kill test (default 10; raise it for a long soak)")


@pytest.fixture(scope="session")
def kill_trials(request) -> int:
    return request.config.getoption("--trials") or 10
