"""Throwaway servers for the remote-lake tests: an S3-compatible one (moto's server mode) and a
PostgreSQL cluster, both on 127.0.0.1 at a free port, stopped and removed afterwards."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Values a test can search for: neither may ever appear in output, logs or the runs table.
S3_KEY_ID = "AKIANEWSLENSTEST"
S3_SECRET = "s3-Secret-9f2c-never-logged"
PG_PASSWORD = "pg-Secret-41d7-never-logged"
PG_USER = "newslens"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def postgres_binaries() -> tuple[dict[str, str] | None, str]:
    """initdb/pg_ctl/postgres paths, installing Debian's package once when missing (as root)."""
    names = ("initdb", "pg_ctl", "postgres")
    paths = {n: _pg_bin(n) for n in names}
    if all(paths.values()):
        return paths, ""  # type: ignore[return-value]
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "PostgreSQL binaries (initdb, pg_ctl) are missing and cannot be installed here"
    try:
        subprocess.run(["apt-get", "install", "-y", "-q", "postgresql"], check=True,
                       capture_output=True, timeout=300, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    except (subprocess.SubprocessError, OSError) as exc:
        return None, f"PostgreSQL is missing and `apt-get install postgresql` failed: {exc}"
    paths = {n: _pg_bin(n) for n in names}
    if not all(paths.values()):
        return None, "apt-get installed postgresql but initdb/pg_ctl are still not found"
    return paths, ""  # type: ignore[return-value]


@dataclass
class Postgres:
    port: int
    root: Path
    run_as: list[str]
    pg_ctl: str

    def url(self, db: str, password: bool = True) -> str:
        secret = f":{PG_PASSWORD}" if password else ""
        return f"postgresql://{PG_USER}{secret}@127.0.0.1:{self.port}/{db}"

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=PG_USER, password=PG_PASSWORD,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def stop(self) -> None:
        subprocess.run([*self.run_as, self.pg_ctl, "-D", str(self.root / "data"), "-m", "immediate",
                        "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


def start_postgres() -> tuple[Postgres | None, str]:
    """A fresh cluster (password auth over TCP) at a free port; initdb refuses root, so as root
    the cluster belongs to the `postgres` user (or `nobody`)."""
    paths, why = postgres_binaries()
    if paths is None:
        return None, why
    root = Path(tempfile.mkdtemp(prefix="newslens-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        import pwd

        for user in ("postgres", "nobody"):
            try:
                entry = pwd.getpwnam(user)
            except KeyError:
                continue
            os.chown(root, entry.pw_uid, entry.pw_gid)
            run_as = ["runuser", "-u", user, "--"]
            break
        else:
            return None, "running as root and no unprivileged user to own a PostgreSQL cluster"
    pwfile = root / "pw"
    pwfile.write_text(PG_PASSWORD + "\n")
    if run_as:
        shutil.chown(pwfile, user=run_as[2])
    port = free_port()
    try:
        subprocess.run([*run_as, paths["initdb"], "-D", str(root / "data"), "-U", PG_USER,
                        f"--pwfile={pwfile}", "--auth-local=trust", "--auth-host=scram-sha-256",
                        "-E", "UTF8", "--no-sync"], check=True, capture_output=True, timeout=120)
        subprocess.run([*run_as, paths["pg_ctl"], "-D", str(root / "data"), "-l", str(root / "log"),
                        "-o", f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off", "-w", "-t", "60",
                        "start"], check=True, capture_output=True, timeout=90)
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(root, ignore_errors=True)
        return None, f"could not start a PostgreSQL cluster: {exc} {detail.decode(errors='replace')[-400:]}"
    return Postgres(port=port, root=root, run_as=run_as, pg_ctl=paths["pg_ctl"]), ""
