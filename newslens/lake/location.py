"""Where a lake lives: a local folder (the default), or a PostgreSQL catalog plus an object-store
data path (`s3://bucket/prefix/`), so that several machines write one lake.

The lake folder is always there: it holds the temporary files of a writer and, for a remote lake,
`location.json`, which names the catalog (without any password) and the data path. Every
command given the folder then finds the same remote lake, and nothing secret is written down:
the catalog password comes from libpq's own PGPASSWORD or ~/.pgpass (or the `--catalog` URL, in
which case the CLI hands it to libpq through PGPASSWORD for this process and its children), and
the S3 keys from the usual AWS environment variables. `mask` hides secrets in anything shown.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator
from urllib.parse import parse_qsl, unquote, urlsplit

from newslens.files import write_atomically
from newslens.lake.names import catalog_path, sql_quote

LOCATION_FILE = "location.json"
_SCHEMES = ("postgresql", "postgres")
_SECRET_ENV = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "PGPASSWORD")


class LakeLocationError(ValueError):
    """A catalog URL or data path that newslens cannot use, or a folder bound elsewhere."""


@dataclass(frozen=True)
class Location:
    """A remote lake: libpq keywords of its catalog (no password) and its data path (ends in /)."""

    catalog: str  # postgresql://user@host:port/db[?sslmode=...], never with a password
    data_path: str

    def libpq(self) -> str:
        """The catalog as libpq `key=value` keywords (what DuckDB and psycopg both accept)."""
        parts = urlsplit(self.catalog)
        words = {"host": parts.hostname, "port": parts.port,
                 "dbname": unquote(parts.path.lstrip("/")) or None,
                 "user": unquote(parts.username) if parts.username else None,
                 **dict(parse_qsl(parts.query))}
        return " ".join(f"{k}={_libpq_value(str(v))}" for k, v in words.items() if v not in (None, ""))

    def identity(self) -> str:
        return f"{self.catalog} {self.data_path}"

    def lock_key(self) -> int:
        """A signed 64-bit advisory-lock key, the same for every writer of this lake."""
        digest = hashlib.blake2b(f"newslens-commit {self.data_path}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big", signed=True)


def _libpq_value(text: str) -> str:
    if text and not re.search(r"[\s'\\]", text):
        return text
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def parse_catalog(url: str) -> tuple[str, str | None]:
    """(the catalog URL without its password, the password or None); LakeLocationError if unusable."""
    parts = urlsplit(url.strip())
    if parts.scheme not in _SCHEMES or not parts.hostname or not parts.path.strip("/"):
        raise LakeLocationError(f"--catalog must look like postgresql://user@host:port/database, "
                                f"got {mask(url)!r}")
    try:
        port = parts.port
    except ValueError:
        raise LakeLocationError(f"--catalog has a bad port: {mask(url)!r}") from None
    user = f"{parts.username}@" if parts.username else ""
    netloc = f"{user}{parts.hostname}" + (f":{port}" if port else "")
    clean = f"postgresql://{netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    return clean, (unquote(parts.password) if parts.password is not None else None)


def parse_data_path(path: str) -> str:
    text = path.strip()
    if not re.match(r"^s3://[a-z0-9][a-z0-9.\-]{1,62}(/|$)", text):
        raise LakeLocationError(f"--data-path must be s3://bucket/prefix, got {text!r}")
    return text.rstrip("/") + "/"


def locate(lake: Path) -> Location | None:
    """The remote location a lake folder is bound to, or None for a local lake."""
    path = Path(os.path.abspath(lake)) / LOCATION_FILE
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text())
        return Location(catalog=parse_catalog(raw["catalog"])[0],
                        data_path=parse_data_path(raw["data_path"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise LakeLocationError(f"{path} is not a valid lake location: {mask(str(exc))}") from None


def bind(lake: Path, catalog: str | None, data_path: str | None) -> Location | None:
    """Point a lake folder at a remote catalog and data path (both, or neither).

    The first time writes `location.json`; later calls must name the same lake (a folder bound
    to one lake is never silently pointed at another). A password in `catalog` is given to
    libpq through PGPASSWORD (for this process and its children) and written nowhere.
    Returns the folder's location (None: a local lake).
    """
    if catalog is None and data_path is None:
        return locate(lake)
    if catalog is None or data_path is None:
        raise LakeLocationError("a remote lake needs both --catalog (PostgreSQL) and --data-path (s3://)")
    clean, password = parse_catalog(catalog)
    wanted = Location(catalog=clean, data_path=parse_data_path(data_path))
    if password is not None:  # the URL is the more specific: it wins over an older PGPASSWORD
        os.environ["PGPASSWORD"] = password
    folder = Path(os.path.abspath(lake))
    have = locate(folder)
    if have is not None:
        if have != wanted:
            raise LakeLocationError(f"the lake folder {folder} is bound to {have.catalog} with data at "
                                    f"{have.data_path}; use another folder for {wanted.catalog}")
        return have
    if catalog_path(folder).exists():
        raise LakeLocationError(f"{folder} holds a local lake; use another folder for a remote one")
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"catalog": wanted.catalog, "data_path": wanted.data_path}, indent=1) + "\n"
    write_atomically(folder / LOCATION_FILE, lambda tmp: tmp.write_text(text))
    return wanted


def mask(text: str) -> str:
    """`text` with URL passwords, `password=` keywords and the secret env values blanked."""
    out = re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", str(text))
    out = re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", out, flags=re.I)
    for name in _SECRET_ENV:
        value = os.environ.get(name)
        if value and len(value) >= 4:
            out = out.replace(value, "***")
    return out


def s3_secret_sql(env: dict[str, str] | None = None) -> str:
    """`CREATE SECRET` for DuckDB's httpfs from the AWS environment variables (keys, session
    token, region, endpoint). A custom endpoint (MinIO, a test server) gets path-style URLs,
    and TLS only when it is https."""
    env = dict(os.environ if env is None else env)
    fields = {"KEY_ID": env.get("AWS_ACCESS_KEY_ID"), "SECRET": env.get("AWS_SECRET_ACCESS_KEY"),
              "SESSION_TOKEN": env.get("AWS_SESSION_TOKEN"),
              "REGION": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")}
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL")
    options = [f"{k} {sql_quote(v)}" for k, v in fields.items() if v]
    if endpoint:
        parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        options += [f"ENDPOINT {sql_quote(parts.netloc)}", "URL_STYLE 'path'",
                    f"USE_SSL {'true' if parts.scheme == 'https' else 'false'}"]
    return f"CREATE OR REPLACE SECRET newslens_s3 (TYPE s3{''.join(', ' + o for o in options)})"


@contextmanager
def advisory_lock(location: Location) -> Iterator[None]:
    """Hold the lake's commit lock in its PostgreSQL catalog: one writer at a time on any host.

    A session-level `pg_advisory_lock` on a connection of its own; the server releases it when
    the session ends, so a writer that dies never leaves the lake locked.
    """
    import psycopg

    try:
        # Keepalives, so the server ends (and unlocks) the session of a writer whose host died
        # within about a minute rather than after the system's two-hour TCP default.
        conn = psycopg.connect(location.libpq(), autocommit=True, application_name="newslens-lock",
                               connect_timeout=30, keepalives=1, keepalives_idle=30,
                               keepalives_interval=10, keepalives_count=3)
    except psycopg.Error as exc:
        raise ConnectionError(f"cannot reach the lake catalog {location.catalog} for its commit "
                              f"lock: {mask(str(exc)).strip()}") from None
    try:
        conn.execute("SELECT pg_advisory_lock(%s)", [location.lock_key()])
        try:
            yield
        finally:
            if not conn.closed:
                conn.execute("SELECT pg_advisory_unlock(%s)", [location.lock_key()])
    finally:
        conn.close()


def remote_lake_ready(location: Location, tables: list[str]) -> bool:
    """Whether the catalog holds a DuckLake with every one of `tables` (a first writer creates
    them; until it has, readers see no lake rather than a lake without its tables)."""
    import psycopg

    try:
        with psycopg.connect(location.libpq(), autocommit=True, application_name="newslens") as conn:
            if conn.execute("SELECT to_regclass('ducklake_table') IS NULL").fetchone()[0]:
                return False
            found = conn.execute("SELECT count(DISTINCT table_name) FROM ducklake_table WHERE "
                                 "end_snapshot IS NULL AND table_name = ANY(%s)", [tables]).fetchone()[0]
            return int(found) == len(set(tables))
    except psycopg.Error as exc:
        raise ConnectionError(f"cannot reach the lake catalog {location.catalog}: "
                              f"{mask(str(exc)).strip()}") from None
