"""Fixtures of the remote-lake tests: a moto S3 server and a PostgreSQL server, one each per
session, and the environment a `newslens` subprocess needs to reach them."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.lake.remote.services import S3_KEY_ID, S3_SECRET, Postgres, start_postgres


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on 127.0.0.1 (a free port), for the whole session."""
    server_mod = pytest.importorskip("moto.server", reason="moto[server] is not installed")
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="session")
def aws_env(s3_endpoint: str) -> dict[str, str]:
    return {"AWS_ACCESS_KEY_ID": S3_KEY_ID, "AWS_SECRET_ACCESS_KEY": S3_SECRET,
            "AWS_ENDPOINT_URL": s3_endpoint, "AWS_REGION": "us-east-1"}


@pytest.fixture
def s3(aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch):
    """A boto3 client of the test server, with the AWS variables set in this process too."""
    import boto3

    for key, value in aws_env.items():
        monkeypatch.setenv(key, value)
    return boto3.client("s3", endpoint_url=aws_env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                        aws_access_key_id=S3_KEY_ID, aws_secret_access_key=S3_SECRET)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    server, why = start_postgres()
    if server is None:
        pytest.skip(why)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fresh_names(request) -> str:
    """A short unique name for this test's bucket and database."""
    import uuid

    return f"t{uuid.uuid4().hex[:10]}"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PG", "NEWSLENS_LAKE"))}
    env.update(extra)
    return env
