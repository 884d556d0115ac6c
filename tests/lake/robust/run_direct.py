"""`newslens run` minus the Prefect flow, for tests that start dozens of runs.

The flow adds an ephemeral API server (about ten seconds a process on two cores) and nothing
the lake's guarantees depend on: `newslens run` and this both call `run_pipeline`, which
decides and writes everything. Prints the run summary as one JSON line at the end.

    python -m tests.lake.robust.run_direct INPUT --lake DIR [--stages a,b] [--reprocess a,b]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from newslens.config import MODEL_STAGES, STAGES, load_settings
from newslens.pipeline.runner import run_pipeline
from newslens.threads import limit_threads


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("input", type=Path)
    p.add_argument("--lake", type=Path, required=True)
    p.add_argument("--stages", default=",".join(STAGES))
    p.add_argument("--reprocess", default="")
    args = p.parse_args(argv)
    stages = [s for s in args.stages.split(",") if s]
    redo = [s for s in args.reprocess.split(",") if s in MODEL_STAGES]
    settings = load_settings(lake=str(args.lake), models_dir=os.environ.get("NEWSLENS_MODELS_DIR"))
    limit_threads(settings.torch_threads)
    summary = run_pipeline(args.input, settings, stages=stages, reprocess=redo)
    print(json.dumps(summary.__dict__, default=str), flush=True)
    return 0 if summary.status == "completed" else 1


if __name__ == "__main__":
    raise SystemExit(main())
