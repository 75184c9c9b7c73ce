"""Real servers for the deployment tests: PostgreSQL 15 clusters made with the installed
``initdb`` (a primary and its streaming replica), gunicorn serving MotCua, task workers.
Everything listens on loopback ports of its own and is removed afterwards."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PG_BIN = Path(os.environ.get("MOTCUA_PG_BIN", "/usr/lib/postgresql/15/bin"))
ROOT = Path(__file__).resolve().parents[2]
PYTHON_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float = 60, what: str = "") -> object:
    """Poll ``condition`` until it returns something true (a condition, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = condition()
        except Exception as error:  # not ready yet: a refused connection, a missing row
            found, last = None, error
        else:
            last = None
        if found:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout} s for {what or condition}: {last!r}")
        time.sleep(0.1)


class Cluster:
    """One PostgreSQL server in a folder of its own (run as the ``postgres`` system user when
    the tests run as root: PostgreSQL refuses to run as root)."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.data = folder / f"data-{port}"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/motcua"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        user = "postgres" if os.geteuid() == 0 else None
        return subprocess.run(
            [str(PG_BIN / args[0]), *args[1:]],
            user=user,
            check=check,
            capture_output=True,
            text=True,
            cwd=self.folder,
        )

    def init_primary(self) -> "Cluster":
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n")
        with (self.data / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        return self

    def init_replica_of(self, primary: "Cluster") -> "Cluster":
        """pg_basebackup with -R: the copy starts as a hot standby streaming from ``primary``."""
        self.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                 "-D", str(self.data), "-R", "-X", "stream", "-c", "fast")  # fmt: skip
        return self

    def start(self) -> "Cluster":
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / f"{self.port}.log"),
                 "-o", options, "-w", "-t", "60", "start")  # fmt: skip
        return self

    def sql(self, query: str, database: str = "motcua") -> str:
        found = self.run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                         "-d", database, "-Atqc", query)  # fmt: skip
        return found.stdout.strip()

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)


def cluster_folder() -> Path:
    """A folder the ``postgres`` user may enter (pytest's own tmp folders are root's 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="motcua-pg-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    return folder


def app_env(var_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "MOTCUA_VAR_DIR": str(var_dir),
        "MOTCUA_DB_CONN_MAX_AGE": "60",
        **extra,
    }


def manage(env: dict[str, str], *args: str) -> str:
    command = [str(PYTHON_BIN / "python"), str(ROOT / "manage.py"), *args]
    found = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    return found.stdout


def gunicorn(env: dict[str, str], port: int, workers: int = 2) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(PYTHON_BIN / "gunicorn"), "motcua.wsgi:application", "-w", str(workers),
         "--threads", "4", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    import requests

    wait_for(lambda: requests.get(f"http://127.0.0.1:{port}/dang-nhap/", timeout=2).ok,
             timeout=90, what=f"gunicorn on {port}")  # fmt: skip
    return server


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
