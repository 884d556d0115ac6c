"""Report fixtures: one lake filled by the product's own `newslens run` with tiny models, an
empty lake, and a headless Chromium (Debian's package, installed here when missing)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SAMPLES_DIR

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIRST_RUN = sorted(p.name for p in SAMPLES_DIR.glob("0[1-6]_*.txt"))


def _run_cli(*args: str) -> None:
    from typer.testing import CliRunner

    from newslens.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def filled_lake(tmp_path_factory, tiny_models_dir, prefect_harness) -> Path:
    """A lake of two runs over data/samples (tiny models): the second adds an empty file,
    which is rejected, so every chart of the report has something to draw."""
    root = tmp_path_factory.mktemp("report-lake")
    first, second = root / "first", root / "second"
    first.mkdir()
    for name in FIRST_RUN:
        shutil.copy(SAMPLES_DIR / name, first / name)
    shutil.copytree(SAMPLES_DIR, second)
    (second / "empty.txt").write_text("")
    lake = root / "lake"
    for inbox in (first, second):
        _run_cli("run", str(inbox), "--lake", str(lake), "--models", str(tiny_models_dir))
    return lake


@pytest.fixture(scope="session")
def empty_lake(tmp_path_factory) -> Path:
    from newslens.lake import transaction

    lake = tmp_path_factory.mktemp("report-empty") / "lake"
    with transaction(lake):  # a DuckLake lake with every table and no rows
        pass
    return lake


def _works(exe: Path) -> bool:
    try:
        done = subprocess.run([str(exe), "--headless", "--no-sandbox", "--version"],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _install_chromium() -> str | None:
    """apt-get install chromium as root; the reason it could not be done, or None."""
    if os.geteuid() != 0:
        return "chromium is not installed and the tests do not run as root to install it"
    if shutil.which("apt-get") is None:
        return "chromium is not installed and there is no apt-get to install it"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    lock = ["-o", "DPkg::Lock::Timeout=600"]
    for cmd in (["apt-get", *lock, "update"],
                ["apt-get", *lock, "install", "-y", "--no-install-recommends", "chromium"]):
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=1200, env=env)
        except subprocess.TimeoutExpired:
            return f"`{' '.join(cmd)}` did not finish in 20 minutes"
        if done.returncode != 0:
            return f"`{' '.join(cmd)}` failed: {(done.stderr or done.stdout)[-600:]}"
    return None


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's chromium, installed once per session when missing."""
    if not CHROMIUM.exists():
        reason = _install_chromium()
        if reason:
            pytest.skip(f"no Chromium for the browser tests: {reason}")
    if not _works(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is installed but does not start headless")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser_context(chromium_path: Path, tmp_path_factory) -> Iterator[object]:
    """A headless Chromium with background networking off and a fresh user-data folder.

    Module-scoped: Playwright's sync API keeps an asyncio loop on the main thread while it is
    open, and Prefect's sync calls in later test modules must not see it.
    """
    playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with playwright_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(chromium_path), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900})
        try:
            yield context
        finally:
            context.close()


def _lake_of(root: Path, names: list[str], *extra: str) -> Path:
    inbox, lake = root / "inbox", root / "lake"
    inbox.mkdir()
    for name in names:
        shutil.copy(SAMPLES_DIR / name, inbox / name)
    _run_cli("run", str(inbox), "--lake", str(lake), *extra)
    return lake


@pytest.fixture(scope="session")
def one_article_lake(tmp_path_factory, tiny_models_dir, prefect_harness) -> Path:
    """One dated English article about NATO, every stage."""
    return _lake_of(tmp_path_factory.mktemp("report-one"), ["04_en_nato_baltic_drills.txt"],
                    "--models", str(tiny_models_dir))


@pytest.fixture(scope="session")
def undated_lake(tmp_path_factory, tiny_models_dir, prefect_harness) -> Path:
    """Two articles without a publication date, every stage."""
    return _lake_of(tmp_path_factory.mktemp("report-undated"),
                    ["05_en_beijing_washington_chips.txt", "09_de_peking_elektro_lkw.txt"],
                    "--models", str(tiny_models_dir))
