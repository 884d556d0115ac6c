"""Subprocesses for the lake's robustness tests: newslens runs to kill, readers to poll.

Every process starts in its own session so a SIGKILL reaches it and everything it started
(nothing survives to write later). The environment points newslens at the session's tiny
models, a temporary Prefect home and small batches, so one run makes several commits.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
SAMPLES = REPO_ROOT / "data" / "samples"
# Articles per batch: data/samples (20 stored articles) then commits five batches per run.
BATCH_ARTICLES = 4
RUN_TIMEOUT_S = 240


def newslens_env(models: Path, home: Path, **extra: str) -> dict[str, str]:
    """The environment every subprocess gets: this checkout first on the path, tiny models."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.update({
        "NEWSLENS_MODELS_DIR": str(models),
        "NEWSLENS_BATCH_ARTICLES": str(BATCH_ARTICLES),
        # Tiny models run in fp32: no ONNX export per process, the same output on every CPU.
        "NEWSLENS_CLASSIFIER_PRECISION": "fp32",
        "NEWSLENS_TORCH_THREADS": "1",
        "NEWSLENS_CACHE_DIR": str(home / "cache"),
        "PREFECT_HOME": str(home / "prefect"),
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    })
    env.update(extra)
    return env


def newslens_cmd(*args: str) -> list[str]:
    """The `newslens` command line (the CLI module, so the checkout on PYTHONPATH is the one run)."""
    return [sys.executable, "-m", "newslens.cli", *args]


def direct_run_cmd(*args: str) -> list[str]:
    """`newslens run` without the Prefect flow (see tests/lake/run_direct.py)."""
    return [sys.executable, "-m", "tests.lake.robust.run_direct", *args]


@dataclass
class Finished:
    """A process that ran to its end (or was killed): exit code, seconds, output."""

    returncode: int
    seconds: float
    output: str
    killed: bool = False

    def json_tail(self) -> dict:
        """The last output line that is a JSON object (run_direct prints its summary so)."""
        for line in reversed(self.output.splitlines()):
            line = line.strip()
            if line.startswith("{"):
                return json.loads(line)
        raise AssertionError(f"no JSON summary in the output:\n{self.output[-3000:]}")


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a process in its own session, output to `log`."""
    fh = open(log, "wb")
    try:
        return subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
    finally:
        fh.close()


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the process and everything in its session; reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


def run(cmd: list[str], env: dict[str, str], log: Path, *, timeout: float = RUN_TIMEOUT_S,
        check: bool = True) -> Finished:
    """Run to completion; with `check`, a non-zero exit fails the test with the output."""
    t0 = time.monotonic()
    proc = start(cmd, env, log)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise AssertionError(f"{cmd} ran past {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")
    done = Finished(proc.returncode, time.monotonic() - t0, log.read_text(errors="replace"))
    if check and done.returncode != 0:
        raise AssertionError(f"{cmd} exited {done.returncode}:\n{done.output[-4000:]}")
    return done


def run_and_kill(cmd: list[str], env: dict[str, str], log: Path, at_s: float) -> Finished:
    """Run `cmd` and SIGKILL it `at_s` seconds after the start, unless it ended before."""
    t0 = time.monotonic()
    proc = start(cmd, env, log)
    try:
        proc.wait(timeout=at_s)
        killed = False
    except subprocess.TimeoutExpired:
        kill_group(proc)
        killed = True
    return Finished(proc.returncode, time.monotonic() - t0, log.read_text(errors="replace"), killed)


def kill_moments(duration_s: float, n: int, seed: int) -> list[float]:
    """`n` seeded moments spread over a run: one uniform draw in each n-th of its duration."""
    rng = random.Random(seed)
    return [duration_s * (i + rng.random()) / n for i in range(n)]
