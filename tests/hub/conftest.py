"""The loopback hub, the models it serves, and running the product against it in a subprocess.

huggingface_hub reads `HF_ENDPOINT`, `HF_HOME` and `HF_HUB_OFFLINE` once, at import, so the
product runs in a child process with those set (and HF_HUB_OFFLINE, which the suite sets for
every other test, removed). Flow runs in the child report to the session's Prefect test API.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from newslens.config import Settings
from newslens.models.loading import folder_name
from tests.fixtures.hub_layouts import family_of, public_repo
from tests.fixtures.hub_server import LoopbackHub

REPO_ROOT = Path(__file__).resolve().parents[2]
# Every child process is killed after this long: a hang fails the test instead of the suite.
CHILD_TIMEOUT_S = 240


@dataclass
class Product:
    """Runs `newslens` (or a snippet) the way a user would, against one hub and one HF_HOME."""

    hub_url: str
    hf_home: Path
    cache_dir: Path
    extra_env: dict[str, str]

    def env(self, **overrides: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("HF_HUB_OFFLINE", "NEWSLENS_MODELS_DIR", "TRANSFORMERS_OFFLINE")}
        env.update(HF_ENDPOINT=self.hub_url, HF_HOME=str(self.hf_home),
                   HF_HUB_DISABLE_TELEMETRY="1", HF_HUB_DOWNLOAD_TIMEOUT="3",
                   HF_HUB_ETAG_TIMEOUT="3", NEWSLENS_HUB_TIMEOUT_S="3",
                   NEWSLENS_CACHE_DIR=str(self.cache_dir), PYTHONPATH=str(REPO_ROOT),
                   **self.extra_env)
        env.update(overrides)
        return env

    def newslens(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "newslens.cli", *args], cwd=REPO_ROOT,
                              env=self.env(**env), capture_output=True, text=True,
                              timeout=CHILD_TIMEOUT_S)

    def python(self, code: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=self.env(**env),
                              capture_output=True, text=True, timeout=CHILD_TIMEOUT_S)


@pytest.fixture(scope="session")
def public_models_dir(tiny_models_dir, tmp_path_factory) -> Path:
    """The tiny defaults, each in the file layout of its public repository."""
    out = tmp_path_factory.mktemp("public-layouts")
    for role, ids in Settings().model_ids().items():
        for model_id in ids:
            public_repo(tiny_models_dir / folder_name(model_id), family_of(role),
                        out / folder_name(model_id))
    return out


def publish_defaults(hub: LoopbackHub, public_models_dir: Path) -> dict[str, str]:
    """Every configured default model on the hub, under its real id; returns id -> sha."""
    shas = {}
    for ids in Settings().model_ids().values():
        for model_id in ids:
            shas[model_id] = hub.add_repo(model_id, public_models_dir / folder_name(model_id))
    return shas


@pytest.fixture
def hub(tmp_path):
    with LoopbackHub(tmp_path / "hub-repos") as server:
        yield server


@pytest.fixture
def product(hub, tmp_path, prefect_harness) -> Product:
    from prefect.settings import PREFECT_API_URL

    return Product(hub_url=hub.url, hf_home=tmp_path / "hf-home", cache_dir=tmp_path / "cache",
                   extra_env={"PREFECT_API_URL": str(PREFECT_API_URL.value())})
