"""The nightly run, the Prefect way: served from one process, or deployed to a work pool.

Two routes (docs/deployments.md):
  (a) one machine, no workers: `prefect server start`, then `newslens serve` (this module's
      `serve_nightly`), which registers the `nightly` deployment and runs its flow runs itself;
  (b) workers: `prefect deploy --all` with the repo's prefect.yaml, whose build step is
      `deploy_settings` below, so both routes read the schedule from the same Settings.

Schedules only fire with a persistent API server: in Prefect's ephemeral mode nothing is ever
scheduled, so serving refuses to start without one rather than idling silently.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from newslens.config import Settings, load_settings

FLOW_NAME = "analyze-articles"
NIGHTLY_NAME = "nightly"
NIGHTLY_CRON = "0 2 * * *"
ENTRYPOINT = "flows/analyze.py"

ROUTE_A_HELP = """\
newslens serve needs a running Prefect server: Prefect's ephemeral mode never schedules runs.
One machine, no workers (route (a) in docs/deployments.md):
  1. in another terminal:   prefect server start
  2. point clients at it:   prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api
                            (or export PREFECT_API_URL=http://127.0.0.1:4200/api)
  3. then:                  newslens serve"""


class ServerNotConfiguredError(RuntimeError):
    """No Prefect API server is configured, or the configured one does not answer."""


def nightly_parameters(settings: Settings) -> dict[str, Any]:
    """Flow parameters of the nightly run: the inbox, incrementally, into the lake.

    Paths are made absolute so the served runs do not depend on the runner's working directory.
    """
    params: dict[str, Any] = {
        "input": str(Path(settings.inbox).resolve()),
        "lake": str(Path(settings.lake).resolve()),
        "incremental": True,
    }
    if settings.models_dir:
        params["models_dir"] = str(Path(settings.models_dir).resolve())
    return params


def nightly_schedule(settings: Settings):
    """02:00 every day in the configured timezone (NEWSLENS_TIMEZONE, default UTC)."""
    from prefect.schedules import Cron

    return Cron(NIGHTLY_CRON, timezone=settings.timezone)


def check_server() -> str:
    """The configured API URL, once the server there answers; else a clear error."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise ServerNotConfiguredError(f"no Prefect server configured (PREFECT_API_URL is unset).\n"
                                       f"{ROUTE_A_HELP}")
    with get_client(sync_client=True) as client:
        problem = client.api_healthcheck()
    if problem is not None:
        raise ServerNotConfiguredError(
            f"the Prefect server at {url} does not answer ({type(problem).__name__}: {problem}).\n"
            f"{ROUTE_A_HELP}")
    return url


def serve_nightly(settings: Settings | None = None) -> None:
    """Register `analyze-articles/nightly` and execute its scheduled runs until interrupted.

    Runs start in the checkout that holds the flow (as a worker's do, through prefect.yaml's
    pull step), so relative settings such as data/targets.yaml resolve there; the inbox, lake
    and models folders are resolved against the caller's directory first.
    """
    settings = settings or load_settings()
    url = check_server()
    schedule = nightly_schedule(settings)  # invalid timezones fail here, before registering
    params = nightly_parameters(settings)
    Path(params["input"]).mkdir(parents=True, exist_ok=True)

    from newslens.flows import analyze
    from newslens.flows.analyze import analyze_articles

    project = Path(analyze.__file__).resolve().parents[1]  # the checkout holding flows/
    os.chdir(project)
    print(f"newslens: serving {FLOW_NAME}/{NIGHTLY_NAME} against {url}\n"
          f"  schedule {NIGHTLY_CRON} ({settings.timezone}), inbox {params['input']}, "
          f"lake {params['lake']}, runs start in {project}")
    analyze_articles.serve(
        name=NIGHTLY_NAME, schedule=schedule, parameters=params, global_limit=1,
        description="Nightly incremental run over the inbox (new or changed files only).",
        tags=["newslens", "nightly"])


def deploy_settings() -> dict[str, str]:
    """prefect.yaml build step: the values its deployments template in, from Settings.

    Runs in `prefect deploy`, whose working directory is the checkout holding prefect.yaml;
    that directory becomes the workers' working directory (the pull step), so a clone works
    wherever it lives. The inbox is created so the first nightly run finds it.
    """
    project = Path.cwd().resolve()
    if not (project / ENTRYPOINT).is_file():
        raise FileNotFoundError(f"run `prefect deploy` from the newslens checkout; "
                                f"{ENTRYPOINT} not found under {project}")
    settings = load_settings()
    nightly_schedule(settings)  # fail the deploy on a bad NEWSLENS_TIMEZONE
    inbox = Path(settings.inbox)
    (inbox if inbox.is_absolute() else project / inbox).mkdir(parents=True, exist_ok=True)
    return {"timezone": settings.timezone, "inbox": str(settings.inbox),
            "project_dir": str(project)}
