"""Object storage (`s3://bucket/prefix`) through fsspec/s3fs: listing and bounded reads.

Credentials, region and endpoint come from the usual AWS environment variables (or the AWS
config files), read by botocore itself; newslens never handles them here.
"""

from __future__ import annotations

from typing import Any

SCHEME = "s3://"


def is_remote(path: object) -> bool:
    """True for an `s3://` URL (also as `pathlib.Path` folds it: `s3:/bucket/...`)."""
    text = str(path)
    return text.startswith(SCHEME) or text.startswith("s3:/")


def as_url(path: object) -> str:
    """The `s3://bucket/key` a string or a folded Path stands for."""
    text = str(path)
    return text if text.startswith(SCHEME) else SCHEME + text[len("s3:/"):].lstrip("/")


def filesystem() -> Any:
    import os

    import s3fs

    # botocore reads the AWS_* variables; an explicit endpoint also covers older botocore.
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    return s3fs.S3FileSystem(client_kwargs={"endpoint_url": endpoint} if endpoint else {},
                             skip_instance_cache=True)


def list_files(url: str, fs: Any = None) -> list[str]:
    """Every object below `url` (or `url` itself when it names one), as sorted `s3://` URLs,
    leaving out hidden names (a part starting with '.'). FileNotFoundError when nothing is there."""
    fs = fs or filesystem()
    url = as_url(url)
    key = url[len(SCHEME):]
    if fs.isfile(key):
        return [url]
    found = sorted(fs.find(key.rstrip("/") + "/"))
    prefix = key.rstrip("/") + "/"
    keep = [k for k in found if not any(p.startswith(".") for p in k[len(prefix):].split("/"))]
    if not keep and not fs.isdir(key):
        raise FileNotFoundError(f"input path does not exist: {url}")
    return [SCHEME + k for k in keep]


def read_at_most(url: str, limit: int, fs: Any = None) -> tuple[bytes, int]:
    """(up to `limit` + 1 bytes of the object, its size); OSError when it cannot be read."""
    fs = fs or filesystem()
    key = as_url(url)[len(SCHEME):]
    size = int(fs.info(key)["size"])
    if size > limit:
        return b"", size
    with fs.open(key, "rb") as handle:
        return handle.read(limit + 1), size
