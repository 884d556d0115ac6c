"""The wheel installs one top-level package, newslens; the Prefect edge goes in as newslens.flows
and newslens.tasks, bench/ stays in the checkout; prefect.yaml's entrypoints still load."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent


def test_the_edge_is_imported_from_the_checkout_folders():
    import newslens.flows.analyze
    import newslens.tasks.stages

    assert Path(newslens.flows.analyze.__file__).resolve() == REPO / "flows" / "analyze.py"
    assert Path(newslens.tasks.stages.__file__).resolve() == REPO / "tasks" / "stages.py"


def test_prefect_yaml_entrypoints_load(monkeypatch):
    from prefect.flows import load_flow_from_entrypoint

    monkeypatch.chdir(REPO)
    # Loading a script puts its folder on sys.path and registers it under a bare module name:
    # undo both, so later tests import nothing through them.
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "modules", dict(sys.modules))
    config = yaml.safe_load((REPO / "prefect.yaml").read_text())
    entrypoints = {d.get("entrypoint", config["definitions"]["deployment"]["entrypoint"])
                   for d in config["deployments"]}
    names = {load_flow_from_entrypoint(e).name for e in entrypoints}
    assert names == {"analyze-articles", "build-report", "lake-maintenance"}


@pytest.mark.slow
def test_the_wheel_holds_only_newslens(tmp_path):
    pytest.importorskip("setuptools", minversion="68")
    src = tmp_path / "src"  # a copy, so the build leaves nothing in the checkout
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("newslens", "flows", "tasks", "bench"):
        shutil.copytree(REPO / folder, src / folder, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path), str(src)], check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("newslens-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"newslens", wheel.name.split("-py")[0] + ".dist-info"}
    assert {"newslens/flows/analyze.py", "newslens/tasks/stages.py", "newslens/report/page.js"} <= set(names)
    # The checkout's pointer packages are not shipped: the wheel's newslens/flows is flows/.
    assert "__path__" not in zipfile.ZipFile(wheel).read("newslens/flows/__init__.py").decode()
