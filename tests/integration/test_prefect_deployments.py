"""prefect.yaml and `newslens serve` against a real Prefect server on 127.0.0.1.

Starts `prefect server start` (temporary PREFECT_HOME), deploys with `prefect deploy --all`
from the repo root, runs the `adhoc` deployment through a process worker, checks the
`nightly` schedule, then serves `nightly` with `newslens serve` and runs it. Every wait is
bounded and every process started here is stopped (its whole process group).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from newslens.lake import read_table

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = REPO_ROOT / "data" / "samples"
BIN = Path(sys.executable).parent
TIMEZONE = "Europe/Rome"  # not the default, so the test sees NEWSLENS_TIMEZONE reach the schedule


def _exe(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, n: int = 4000) -> str:
    return path.read_text(errors="replace")[-n:] if path.exists() else ""


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process started in its own session, and everything it started."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _poll(what: str, check: Callable[[], Any], timeout: float, every: float = 1.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f}s waiting for {what}")
        time.sleep(every)


@dataclass
class Server:
    url: str
    env: dict[str, str]
    home: Path
    log: Path

    def cli(self, *args: str, cwd: Path = REPO_ROOT, timeout: float = 120,
            env: dict[str, str] | None = None) -> str:
        done = subprocess.run([_exe("prefect"), *args], cwd=cwd, env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout)
        out = done.stdout + done.stderr
        assert done.returncode == 0, f"prefect {' '.join(args)} failed:\n{out[-4000:]}"
        return out

    def get(self, path: str) -> Any:
        response = httpx.get(f"{self.url}{path}", timeout=10)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: dict) -> Any:
        response = httpx.post(f"{self.url}{path}", json=body, timeout=10)
        response.raise_for_status()
        return response.json()

    def deployment(self, name: str) -> dict:
        return self.get(f"/deployments/name/analyze-articles/{name}")

    def flow_run_state(self, flow_run_id: str) -> str | None:
        state = self.get(f"/flow_runs/{flow_run_id}").get("state") or {}
        return state.get("type")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("prefect-server-home")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSLENS_"))}
    env.update(PREFECT_HOME=str(home), PREFECT_API_URL=url, PREFECT_CLI_PROMPT="false",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", HF_HUB_OFFLINE="1",
               TOKENIZERS_PARALLELISM="false", NEWSLENS_TIMEZONE=TIMEZONE,
               NEWSLENS_INBOX=str(home / "inbox"), COLUMNS="200", PYTHONUNBUFFERED="1")
    log = home / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([_exe("prefect"), "server", "start", "--host", "127.0.0.1",
                                 "--port", str(port)], env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        def healthy() -> bool:
            assert proc.poll() is None, f"prefect server exited:\n{_tail(log)}"
            try:
                return httpx.get(f"{url}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        _poll("the Prefect server to answer /api/health", healthy, timeout=120)
        yield Server(url=url, env=env, home=home, log=log)
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def deployed(server: Server) -> Server:
    """The work pool created and every deployment of prefect.yaml applied, as documented."""
    server.cli("work-pool", "create", "newslens", "--type", "process")
    out = server.cli("--no-prompt", "deploy", "--all")
    assert "analyze-articles/nightly" in out and "analyze-articles/adhoc" in out, out
    assert "build-report/report" in out, out
    assert "lake-maintenance/maintenance" in out, out
    return server


def _inbox(folder: Path, samples: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in samples:
        shutil.copy(SAMPLES / name, folder / name)
    return folder


def _flow_run_id(output: str) -> str:
    found = re.search(r"UUID: ([0-9a-f-]{36})", output)
    assert found, output
    return found.group(1)


def _assert_lake_filled(lake: Path, n_articles: int) -> None:
    assert len(read_table(lake, "articles")) == n_articles
    for table in ("sentences", "sentiment", "stance"):
        assert len(read_table(lake, table)) > 0, f"{table} is empty"
    assert read_table(lake, "runs").iloc[0]["status"] == "completed"
    assert len(read_table(lake, "rejects")) == 0  # a model failure would hide behind Completed


def test_nightly_carries_its_schedule_and_gets_upcoming_runs(deployed: Server):
    dep = deployed.deployment("nightly")
    assert dep["work_pool_name"] == "newslens"
    assert dep["entrypoint"] == "flows/analyze.py:analyze_articles"
    assert dep["parameters"] == {"input": str(deployed.home / "inbox"), "incremental": True}
    assert (deployed.home / "inbox").is_dir()
    assert dep["global_concurrency_limit"]["limit"] == 1
    assert dep["pull_steps"] == [{"prefect.deployments.steps.set_working_directory":
                                  {"directory": str(REPO_ROOT)}}]
    [schedule] = dep["schedules"]
    assert schedule["active"]
    assert schedule["schedule"]["cron"] == "0 2 * * *"
    assert schedule["schedule"]["timezone"] == TIMEZONE
    adhoc = deployed.deployment("adhoc")
    assert adhoc["schedules"] == [] and adhoc["work_pool_name"] == "newslens"
    maintenance = deployed.get("/deployments/name/lake-maintenance/maintenance")
    assert maintenance["entrypoint"] == "flows/maintenance.py:compact_lake"
    assert maintenance["parameters"] == {"retention_days": 30}
    [weekly] = maintenance["schedules"]
    assert weekly["active"] and weekly["schedule"]["cron"] == "0 4 * * 0"
    assert weekly["schedule"]["timezone"] == TIMEZONE

    def scheduled() -> list[dict]:
        return deployed.post("/flow_runs/filter", {
            "deployments": {"id": {"any_": [dep["id"]]}},
            "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}}})

    runs = _poll("the scheduler to create nightly runs", scheduled, timeout=60)
    for run in runs:
        local = dt.datetime.fromisoformat(run["expected_start_time"]).astimezone(ZoneInfo(TIMEZONE))
        assert (local.hour, local.minute) == (2, 0), local
        assert run["parameters"]["incremental"] is True


def _report_trigger(server: Server) -> tuple[dict, dict]:
    dep = server.get("/deployments/name/build-report/report")
    [automation] = server.get(f"/automations/related-to/prefect.deployment.{dep['id']}")
    return dep, automation


def test_report_runs_when_a_nightly_run_completes(deployed: Server):
    dep, automation = _report_trigger(deployed)
    assert dep["entrypoint"] == "flows/report.py:build_report_flow"
    assert dep["work_pool_name"] == "newslens" and dep["schedules"] == []
    trigger = automation["trigger"]
    assert trigger["expect"] == ["prefect.flow-run.Completed"]
    assert trigger["posture"] == "Reactive" and trigger["threshold"] == 1
    related = {(m["prefect.resource.role"], m["prefect.resource.name"]) for m in trigger["match_related"]}
    assert related == {("flow", "analyze-articles"), ("deployment", "nightly")}
    [action] = automation["actions"]
    assert action["type"] == "run-deployment" and action["deployment_id"] == dep["id"]


def test_adhoc_run_through_a_worker_fills_the_lake(deployed: Server, tiny_models_dir, tmp_path):
    inbox = _inbox(tmp_path / "adhoc-in", sorted(p.name for p in SAMPLES.glob("0[1-3]_*.txt")))
    lake = tmp_path / "lake"
    out = deployed.cli("deployment", "run", "analyze-articles/adhoc",
                       "--param", f"input={inbox}", "--param", f"lake={lake}",
                       "--param", f"models_dir={tiny_models_dir}")
    flow_run_id = _flow_run_id(out)
    log = tmp_path / "worker.log"
    with open(log, "w") as wout:  # a worker started in the repo root, as documented
        worker = subprocess.Popen([_exe("prefect"), "worker", "start", "--pool", "newslens",
                                   "--run-once"], cwd=REPO_ROOT, env=deployed.env, stdout=wout,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        worker.wait(timeout=240)
    except subprocess.TimeoutExpired:
        pass
    finally:
        _stop(worker)
    state = deployed.flow_run_state(flow_run_id)
    assert state == "COMPLETED", f"flow run {state}; worker log:\n{_tail(log)}"
    _assert_lake_filled(lake, 3)
    run = read_table(lake, "runs").iloc[0]
    assert run["flow_run_id"] == flow_run_id


def test_newslens_serve_registers_and_runs_nightly(server: Server, deployed: Server, tiny_models_dir,
                                                  tmp_path):
    """Route (a): no pool, no worker; `newslens serve` owns the nightly deployment and its runs.

    Runs last: it takes over the `nightly` name from the prefect.yaml deployment.
    """
    inbox = _inbox(tmp_path / "inbox", ["04_en_nato_baltic_drills.txt", "12_uk_kyiv_es_transh.txt"])
    lake = tmp_path / "lake"
    env = {**server.env, "NEWSLENS_INBOX": str(inbox)}
    log = tmp_path / "serve.log"
    with open(log, "w") as sout:
        proc = subprocess.Popen([_exe("newslens"), "serve", "--lake", str(lake),
                                 "--models", str(tiny_models_dir)], cwd=tmp_path, env=env,
                                stdout=sout, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        def served() -> dict | None:
            assert proc.poll() is None, f"newslens serve exited:\n{_tail(log)}"
            try:
                dep = server.deployment("nightly")
            except httpx.HTTPStatusError:
                return None
            ok = dep["work_pool_name"] is None and dep["parameters"].get("input") == str(inbox)
            return dep if ok else None

        dep = _poll("newslens serve to register nightly", served, timeout=90)
        assert dep["parameters"] == {"input": str(inbox), "lake": str(lake), "incremental": True,
                                     "models_dir": str(tiny_models_dir)}
        assert dep["entrypoint"] == "flows/analyze.py:analyze_articles"  # runs start in the repo
        [schedule] = dep["schedules"]
        assert schedule["schedule"]["cron"] == "0 2 * * *"
        assert schedule["schedule"]["timezone"] == TIMEZONE
        assert dep["global_concurrency_limit"]["limit"] == 1

        flow_run_id = _flow_run_id(server.cli("deployment", "run", "analyze-articles/nightly"))

        def finished() -> str | None:
            state = server.flow_run_state(flow_run_id)
            return state if state in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"} else None

        state = _poll("the served nightly run to finish", finished, timeout=180)
        assert state == "COMPLETED", f"flow run {state}; serve log:\n{_tail(log)}"
        _assert_lake_filled(lake, 2)
        assert len(read_table(lake, "input_files")) == 2  # the nightly run is incremental

        # The completed nightly run fires the `report` deployment's trigger (prefect.yaml).
        report_id = server.get("/deployments/name/build-report/report")["id"]

        def report_runs() -> list[dict]:
            return server.post("/flow_runs/filter", {"deployments": {"id": {"any_": [report_id]}}})

        _poll("the completed nightly run to trigger a report run", report_runs, timeout=90)
    finally:
        _stop(proc)
