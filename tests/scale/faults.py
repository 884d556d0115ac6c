"""Faults injected into Dask worker processes by a worker plugin (the test's own code, never
the product's): a worker that kills itself in the middle of a shard, and a model stage that
fails on every article of one shard."""

from __future__ import annotations

import os
import signal
import uuid
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin


class ShardFault(RuntimeError):
    """The injected model failure."""


class KillOnce(WorkerPlugin):
    """SIGKILL the worker process at the sentiment stage of the `nth` shard any worker runs
    (once for the whole cluster, arbitrated by an exclusive marker file in `folder`)."""

    name = "newslens-kill-once"

    def __init__(self, folder: str, nth: int = 2) -> None:
        self.folder, self.nth = folder, nth

    def setup(self, worker) -> None:
        import newslens.pipeline.batches as batches

        self._original = original = batches.sentiment_batch
        folder, nth = Path(self.folder), self.nth

        def sentiment_batch(sentences, *args, **kwargs):
            (folder / f"call-{os.getpid()}-{uuid.uuid4().hex}").touch()
            if len(list(folder.glob("call-*"))) >= nth:
                try:
                    os.close(os.open(folder / "killed", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                except FileExistsError:
                    pass
                else:
                    (folder / "killed").write_text(str(os.getpid()))
                    os.kill(os.getpid(), signal.SIGKILL)
            return original(sentences, *args, **kwargs)

        batches.sentiment_batch = sentiment_batch

    def teardown(self, worker) -> None:
        import newslens.pipeline.batches as batches

        batches.sentiment_batch = self._original


class PoisonShard(WorkerPlugin):
    """Make the sentiment stage fail for the shard holding `article_id`: every frame that
    contains it, and then every article of that shard, one by one. Each whole-shard attempt
    leaves a file in `folder`, so the test counts the retries."""

    name = "newslens-poison-shard"

    def __init__(self, folder: str, article_id: str) -> None:
        self.folder, self.article_id = folder, article_id

    def setup(self, worker) -> None:
        import newslens.pipeline.batches as batches

        self._original = original = batches.sentiment_batch
        folder, poison = Path(self.folder), self.article_id
        shard: set[str] = set()

        def sentiment_batch(sentences, *args, **kwargs):
            ids = set(sentences["article_id"])
            if poison in ids:
                shard.update(ids)
                if len(ids) > 1:  # the whole shard, not the one-by-one pass after it
                    (folder / f"attempt-{uuid.uuid4().hex}").write_text(",".join(sorted(ids)))
            if ids & shard:
                raise ShardFault(f"injected failure for {sorted(ids & shard)}")
            return original(sentences, *args, **kwargs)

        batches.sentiment_batch = sentiment_batch

    def teardown(self, worker) -> None:
        import newslens.pipeline.batches as batches

        batches.sentiment_batch = self._original
