"""A throwaway PostgreSQL cluster for the tests: ``initdb`` + ``pg_ctl start`` in a temporary
directory, on a free localhost port (and a unix socket in the same directory), stopped at the end.

PostgreSQL refuses to run as root: when the tests run as root (CI containers), the cluster is
initialised and run as the ``postgres`` OS user that Debian's package creates (override with
``CASHIER_PG_OS_USER``), the temporary directory handed over to it. The binaries are found on
``$CASHIER_PG_BINDIR``, ``pg_config --bindir``, ``/usr/lib/postgresql/<newest>/bin`` or PATH;
``scripts/system-deps.sh`` installs them (Debian's ``postgresql``).

:func:`shared_cluster` starts one cluster per process on first use (the pytest fixture in
tests/postgres/conftest.py and the conformance suite's factory share it) and stops it at exit.
Host authentication is ``scram-sha-256`` over TCP (the superuser ``postgres`` has the password
:data:`SUPERUSER_PASSWORD`), ``trust`` over the socket (only this OS user can reach it).
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

SUPERUSER = "postgres"
SUPERUSER_PASSWORD = "throwaway-superuser"


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine (run scripts/system-deps.sh)."""


def find_bindir() -> Path:
    candidates: list[Path] = []
    if os.environ.get("CASHIER_PG_BINDIR"):
        candidates.append(Path(os.environ["CASHIER_PG_BINDIR"]))
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    root = Path("/usr/lib/postgresql")
    if root.is_dir():
        versions = sorted((p for p in root.iterdir() if p.name.isdigit()), key=lambda p: int(p.name), reverse=True)
        candidates += [v / "bin" for v in versions]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    for c in candidates:
        if (c / "initdb").is_file() and (c / "pg_ctl").is_file():
            return c
    raise ClusterUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: run scripts/system-deps.sh "
        "(Debian package postgresql) or set CASHIER_PG_BINDIR"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresCluster:
    """One initdb'd cluster in ``base``; :meth:`start` / :meth:`stop` / :meth:`kill`."""

    def __init__(self, base: Path | None = None, *, port: int | None = None) -> None:
        self.bindir = find_bindir()
        self.base = Path(base) if base else Path(tempfile.mkdtemp(prefix="cashier-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "server.log"
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self.os_user = os.environ.get("CASHIER_PG_OS_USER", "postgres") if os.geteuid() == 0 else None
        self.running = False

    # -- running the binaries -------------------------------------------------------------

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=self.base,
                             user=self.os_user, env={**os.environ, "LC_ALL": "C.UTF-8"}, timeout=120)
        if out.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr.strip()}\n{log}")
        return out

    def init(self) -> None:
        if self.os_user is not None:
            shutil.chown(self.base, user=self.os_user)
        pwfile = self.base / "pw"
        pwfile.write_text(SUPERUSER_PASSWORD + "\n")
        if self.os_user is not None:
            shutil.chown(pwfile, user=self.os_user)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--pwfile", str(pwfile), "-E", "UTF8",
                  "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256")
        pwfile.unlink()

    def start(self) -> PostgresCluster:
        if not self.data.exists():
            self.init()
        opts = (f"-p {self.port} -k {self.base} -c listen_addresses={self.host} -c max_connections=60 "
                "-c shared_buffers=64MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", opts, "-w", "-t", "60", "start")
        self.running = True
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``mode`` "immediate" is a crash: no checkpoint, recovery on start)."""
        if self.running:
            self.running = False
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def kill(self) -> None:
        self.stop("immediate")

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    # -- addresses ------------------------------------------------------------------------

    def url(self, dbname: str = "postgres", user: str = SUPERUSER, password: str | None = SUPERUSER_PASSWORD) -> str:
        auth = f"{user}:{password}" if password is not None else user
        return f"postgresql://{auth}@{self.host}:{self.port}/{dbname}"

    @property
    def admin_url(self) -> str:
        return self.url()

    def create_database(self, name: str) -> str:
        """A fresh empty database ``name`` (dropped first if it exists); its superuser URL."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)


_shared: PostgresCluster | None = None
_lock = threading.Lock()


def shared_cluster() -> PostgresCluster:
    """This process's cluster, started on first use and stopped (and removed) at exit."""
    global _shared
    with _lock:
        if _shared is None:
            cluster = PostgresCluster()
            try:
                cluster.start()
            except BaseException:
                cluster.remove()
                raise
            atexit.register(cluster.remove)
            _shared = cluster
        return _shared


def stop_shared_cluster() -> None:
    global _shared
    with _lock:
        if _shared is not None:
            _shared.remove()
            _shared = None
