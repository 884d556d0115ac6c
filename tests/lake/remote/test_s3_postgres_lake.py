"""The lake in object storage with a PostgreSQL catalog, against real servers started by the
fixtures (moto's S3 server, a throwaway PostgreSQL): input read from a bucket, two writers at
once, `newslens sql` and `newslens lake compact` through the CLI, and secrets kept out of sight."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from newslens.lake.location import Location, advisory_lock, bind
from tests.lake.remote.conftest import clean_env
from tests.lake.remote.services import PG_PASSWORD, S3_SECRET
from tests.lake.robust.procs import REPO_ROOT, SAMPLES, newslens_cmd, newslens_env, start

pytestmark = pytest.mark.integration
RUN_TIMEOUT_S = 240

# The deterministic content of the article tables (run ids and timestamps left out), and the
# key counts, as one row: one `newslens sql` process per look at a lake.
COMPARE = """
SELECT (SELECT list(t ORDER BY t.article_id) FROM (
            SELECT article_id, source_uri, title, title_en, lang, body, n_sentences, simhash,
                   duplicate_of, published FROM articles) t) AS articles,
       (SELECT list(t ORDER BY t.article_id, t.sent_idx) FROM (
            SELECT article_id, sent_idx, text, text_en FROM sentences) t) AS sentences,
       (SELECT list(t ORDER BY t.article_id) FROM (
            SELECT article_id, sentiment_label, round(sentiment_score, 5) AS s, stance_labels
            FROM article_overview) t) AS overview,
       (SELECT count(*) FROM articles) AS n_rows,
       (SELECT count(DISTINCT article_id) FROM articles) AS n_ids
"""


def _upload_samples(s3, bucket: str) -> int:
    s3.create_bucket(Bucket=bucket)
    files = sorted(p for p in SAMPLES.iterdir() if p.is_file() and not p.name.startswith("."))
    for path in files:
        s3.upload_file(str(path), bucket, f"inbox/{path.name}")
    return len(files)


def _env(tiny_models_dir: Path, home: Path, aws_env: dict[str, str], **extra: str) -> dict[str, str]:
    """A subprocess environment: tiny models, its own Prefect home, the test's AWS variables and
    no AWS/PostgreSQL/lake variables of the caller's."""
    (home / "prefect").mkdir(parents=True, exist_ok=True)
    base = newslens_env(tiny_models_dir, home, NEWSLENS_BATCH_ARTICLES="8")
    ours = set(base) - set(os.environ)  # what newslens_env adds
    keep = clean_env()
    return {**{k: v for k, v in base.items() if k in keep or k in ours}, **aws_env, **extra}


def _wait(procs: list[tuple[subprocess.Popen, Path]]) -> list[str]:
    outputs = []
    for proc, log in procs:
        try:
            proc.wait(timeout=RUN_TIMEOUT_S)
        finally:
            if proc.poll() is None:
                proc.kill()
        text = log.read_text(errors="replace")
        assert proc.returncode == 0, f"{proc.args} exited {proc.returncode}:\n{text[-4000:]}"
        outputs.append(text)
    return outputs


def _sql(query: str, lake: Path, env: dict[str, str], *extra: str) -> list[dict]:
    got = subprocess.run(newslens_cmd("sql", query, "--lake", str(lake), "--format", "json", *extra),
                         cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert got.returncode == 0, got.stderr[-3000:]
    assert PG_PASSWORD not in got.stdout + got.stderr and S3_SECRET not in got.stdout + got.stderr
    return json.loads(got.stdout)


def test_bucket_input_to_s3_lake_with_postgres_catalog(postgres, s3, aws_env, tiny_models_dir,
                                                       tmp_path, fresh_names):
    name = fresh_names
    n_files = _upload_samples(s3, f"{name}-in")
    s3.create_bucket(Bucket=f"{name}-lake")
    postgres.create_database(name)
    source = f"s3://{name}-in/inbox/"
    remote = ["--catalog", postgres.url(name), "--data-path", f"s3://{name}-lake/news"]

    # Two writers at once on the remote lake (each with its own folder, as on two machines;
    # one told the lake by options, one by the environment) and, beside them, a local-folder
    # lake of the same input.
    by_env = {"NEWSLENS_LAKE_CATALOG": postgres.url(name), "NEWSLENS_LAKE_DATA": f"s3://{name}-lake/news"}
    procs = []
    for tag, extra, more_env in (("a", [], by_env), ("b", remote, {}), ("local", [], {})):
        env = _env(tiny_models_dir, tmp_path / f"home-{tag}", aws_env, **more_env)
        log = tmp_path / f"{tag}.log"
        cmd = newslens_cmd("run", source, "--lake", str(tmp_path / f"lake-{tag}"), *extra)
        procs.append((start(cmd, env, log), log))
    t0 = time.monotonic()
    outputs = _wait(procs)
    print(f"three concurrent runs: {time.monotonic() - t0:.1f} s")

    # A reader on a third folder, told the lake through the environment alone.
    reader_env = _env(tiny_models_dir, tmp_path / "home-reader", aws_env,
                      NEWSLENS_LAKE_CATALOG=postgres.url(name), NEWSLENS_LAKE_DATA=f"s3://{name}-lake/news")
    reader = tmp_path / "lake-reader"
    local_env = _env(tiny_models_dir, tmp_path / "home-reader", aws_env)
    got = _sql(COMPARE, reader, reader_env)[0]
    want = _sql(COMPARE, tmp_path / "lake-local", local_env)[0]
    for part in ("articles", "sentences", "overview"):
        assert got[part] == want[part], f"{part}: the S3 + PostgreSQL lake differs from the local one"
    assert got["n_rows"] == got["n_ids"] == want["n_ids"] > 0  # two writers, no article stored twice
    assert len(got["sentences"]) > got["n_ids"] and all(a["source_uri"].startswith(source) for a in got["articles"])
    runs = _sql("SELECT * FROM runs", reader, reader_env)
    assert len(runs) == 2 and {r["status"] for r in runs} == {"completed"}
    assert {r["input"] for r in runs} == {source.rstrip("/")}
    configs = [json.loads(r["config"]) for r in runs]
    assert sorted(str(c["lake_catalog"]) for c in configs) == \
        sorted(["None", postgres.url(name).replace(PG_PASSWORD, "***")])
    local_run = _sql("SELECT n_inputs, n_new FROM runs", tmp_path / "lake-local", local_env)[0]
    assert {r["n_new"] for r in runs} != {0}
    assert local_run["n_inputs"] >= n_files and [r["n_inputs"] for r in runs] == [local_run["n_inputs"]] * 2
    assert sum(r["n_new"] for r in runs) == local_run["n_new"]  # each article new in one run only
    # The data really is in the bucket, and nothing was written to the local folders but the pointer.
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=f"{name}-lake").get("Contents", [])]
    assert keys and all(k.startswith("news/") and k.endswith(".parquet") for k in keys)
    assert not list((tmp_path / "lake-a").rglob("*.parquet"))

    # `newslens sql` cannot reach around DuckLake into the catalog server (a COMMIT, then a write).
    evil = subprocess.run(newslens_cmd("sql", "SELECT * FROM postgres_execute('__ducklake_metadata_lake', "
                                       "'COMMIT; CREATE TABLE newslens_evil (a int)')", "--lake", str(reader)),
                          cwd=REPO_ROOT, env=reader_env, capture_output=True, text=True, timeout=120)
    assert evil.returncode == 2 and "refused" in evil.stderr
    import psycopg

    with psycopg.connect(postgres.url(name)) as conn:
        assert conn.execute("SELECT to_regclass('newslens_evil')").fetchone()[0] is None

    compacted = subprocess.run(newslens_cmd("lake", "compact", "--lake", str(tmp_path / "lake-a")),
                               cwd=REPO_ROOT, env=reader_env, capture_output=True, text=True, timeout=120)
    assert compacted.returncode == 0, compacted.stderr[-3000:]
    assert _sql(COMPARE, reader, reader_env)[0] == got  # the same rows after compaction

    # Secrets: in no process output, no runs row, no file the runs left in their folders.
    seen = "\n".join([*outputs, json.dumps(runs), compacted.stdout, compacted.stderr])
    for folder in ("lake-a", "lake-b", "lake-reader"):
        seen += "".join(p.read_text(errors="replace") for p in (tmp_path / folder).rglob("*") if p.is_file())
    assert PG_PASSWORD not in seen and S3_SECRET not in seen
    assert json.loads((tmp_path / "lake-a" / "location.json").read_text())["catalog"] == \
        postgres.url(name, password=False)


def test_advisory_lock_excludes_a_second_writer(postgres, fresh_names, tmp_path, monkeypatch):
    """The commit lock of a remote lake is held in PostgreSQL: a second holder waits."""
    postgres.create_database(fresh_names)
    monkeypatch.setenv("PGPASSWORD", PG_PASSWORD)
    location = bind(tmp_path / "lake", postgres.url(fresh_names, password=False), "s3://bucket/x")
    assert isinstance(location, Location)
    events: list[str] = []
    inside = threading.Event()

    def second() -> None:
        inside.wait(10)
        with advisory_lock(location):
            events.append("second in")

    worker = threading.Thread(target=second)
    worker.start()
    with advisory_lock(location):
        events.append("first in")
        inside.set()
        time.sleep(1.0)
        events.append("first out")
    worker.join(10)
    assert events == ["first in", "first out", "second in"]


def test_unreachable_catalog_error_names_no_password(tmp_path, monkeypatch):
    from newslens.lake.connection import open_writer
    from tests.lake.remote.services import free_port

    monkeypatch.setenv("PGPASSWORD", "an-older-one")  # recorded, so what bind sets is undone after
    port = free_port()  # nothing listens there
    bind(tmp_path / "lake", f"postgresql://u:{PG_PASSWORD}@127.0.0.1:{port}/db", "s3://bucket/x")
    with pytest.raises(ConnectionError) as err:
        open_writer(tmp_path / "lake")
    assert f"127.0.0.1:{port}" in str(err.value) and PG_PASSWORD not in str(err.value)
