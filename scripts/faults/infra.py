"""The dedicated services the fault scenarios break, and the processes they run.

Everything here is private to the fault run, so breaking it cannot disturb anyone else:
a PostgreSQL cluster `15/faults` on port 5433, a redis-server on 127.0.0.1:6380 with its
pidfile under var/faults/, granian and Celery workers started (and stopped) by PID.
Nothing is ever stopped by process name.

    python scripts/faults/infra.py cleanup    # what run.sh's EXIT trap calls
"""

# Commands are fixed argument lists built here (no shell, no outside input).

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "faults"
VENV_BIN = ROOT / ".venv" / "bin"

PG_VERSION, PG_CLUSTER, PG_PORT = "15", "faults", 5433
PG_DATABASE = "setlist_faults"
REDIS_PORT = 6380
REDIS_PIDFILE = VAR / "redis.pid"
SERVER_PORT = 8871
PIDS_DIR = VAR / "pids"  # one file per process we started, for the EXIT trap


def _as_root(*command: str) -> list[str]:
    return list(command) if os.geteuid() == 0 else ["sudo", *command]


def _as_postgres(*command: str) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return ["sudo", "-u", "postgres", *command]


def _remember(name: str, pid: int) -> None:
    PIDS_DIR.mkdir(parents=True, exist_ok=True)
    (PIDS_DIR / name).write_text(str(pid))


def _forget(name: str) -> None:
    (PIDS_DIR / name).unlink(missing_ok=True)


# --- PostgreSQL ----------------------------------------------------------------------------


def postgres_ensure() -> None:
    """Create (once) and start the dedicated cluster, with the role and a fresh database."""
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if not any(line.split()[:2] == [PG_VERSION, PG_CLUSTER] for line in clusters.splitlines()):
        subprocess.run(
            _as_root("pg_createcluster", PG_VERSION, PG_CLUSTER, "--port", str(PG_PORT)),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    postgres_start()
    psql = _as_postgres("psql", "-p", str(PG_PORT), "-q", "-v", "ON_ERROR_STOP=1")
    subprocess.run(
        psql,
        check=True,
        text=True,
        input="""
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'setlist') THEN
    CREATE ROLE setlist LOGIN PASSWORD 'setlist' CREATEDB;
  END IF;
END $$;
""",
    )
    # A fresh database every run: the checks compare exact counts.
    subprocess.run([*psql, "-c", f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"], check=True)
    subprocess.run([*psql, "-c", f"CREATE DATABASE {PG_DATABASE} OWNER setlist"], check=True)


def postgres_ready() -> bool:
    return (
        subprocess.run(
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(PG_PORT)], check=False
        ).returncode
        == 0
    )


def postgres_start() -> None:
    subprocess.run(_as_root("pg_ctlcluster", PG_VERSION, PG_CLUSTER, "start"), check=False)
    _wait(postgres_ready, 30, "PostgreSQL (faults cluster) did not start")


def postgres_stop() -> None:
    subprocess.run(
        _as_root("pg_ctlcluster", PG_VERSION, PG_CLUSTER, "stop", "-m", "fast"),
        check=False,
        capture_output=True,  # "Cluster is not running" when already stopped is fine
    )


# --- Redis ---------------------------------------------------------------------------------


def redis_ping() -> bool:
    command = ["redis-cli", "-h", "127.0.0.1", "-p", str(REDIS_PORT), "ping"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return result.stdout.strip() == "PONG"


def redis_start(*, fresh: bool = False) -> None:
    """Start our redis-server; `fresh` first drops what an earlier run persisted."""
    if fresh:
        shutil.rmtree(VAR / "appendonlydir", ignore_errors=True)
    VAR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(REDIS_PORT),
            "--daemonize",
            "yes",
            "--dir",
            str(VAR),
            "--pidfile",
            str(REDIS_PIDFILE),
            "--logfile",
            str(VAR / "redis.log"),
            "--save",
            "",
            # Persisted like a production broker: a restart keeps queued tasks.
            "--appendonly",
            "yes",
        ],
        check=True,
    )
    _wait(redis_ping, 15, "redis (faults) did not start")


def redis_stop() -> None:
    """Stop our redis-server by its pidfile and wait until the port is closed."""
    if not REDIS_PIDFILE.exists():
        return
    pid = int(REDIS_PIDFILE.read_text())
    _signal(pid, signal.SIGTERM)
    _wait(lambda: not _alive(pid), 15, "redis (faults) did not stop")
    REDIS_PIDFILE.unlink(missing_ok=True)


# --- Processes we start --------------------------------------------------------------------


class Process:
    """A child process remembered by PID (also on disk, for the EXIT trap)."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path):
        self.name = name
        self.log = log
        self._log_file = log.open("wb")
        self.popen = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._log_file, stderr=subprocess.STDOUT
        )
        _remember(name, self.popen.pid)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to finish or acknowledge anything."""
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)
        _forget(self.name)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        self._log_file.close()
        _forget(self.name)


def server_start(env: dict[str, str], workers: int = 2) -> Process:
    """granian on 127.0.0.1 only, as production runs it (bounded blocking threads)."""
    server = Process(
        "granian",
        [
            str(VENV_BIN / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(SERVER_PORT),
            "--workers",
            str(workers),
            "--blocking-threads",
            "4",
            "--no-ws",
            "--log-level",
            "warning",
            "config.wsgi:application",
        ],
        env,
        VAR / "server.log",
    )

    def answers() -> bool:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{SERVER_PORT}/healthz", timeout=1)
            return True
        except (OSError, urllib.error.HTTPError):
            return False

    _wait(answers, 60, "granian did not start")
    return server


def worker_rss_mb(server: Process) -> list[float]:
    """Resident memory of each granian worker process (children of the PID we started)."""
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    sizes = []
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        sizes.append(round(kb / 1024, 1))
    return sizes


def celery_worker_start(name: str, env: dict[str, str]) -> Process:
    """One Celery worker, solo pool: the task runs in the very process we may kill."""
    log = VAR / f"worker-{name}.log"
    worker = Process(
        f"worker-{name}",
        [
            str(VENV_BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--hostname",
            f"faults-{name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        env,
        log,
    )
    _wait(lambda: b" ready." in log.read_bytes(), 60, f"celery worker {name} did not start")
    return worker


# --- Helpers and the EXIT trap -------------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as gone.
    try:
        return "(Z)" not in Path(f"/proc/{pid}/stat").read_text().split(")")[1][:4]
    except (FileNotFoundError, IndexError):
        return False


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def _wait(condition, seconds: float, failure: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise RuntimeError(failure)


def cleanup() -> None:
    """Stop everything a run started, by recorded PID and by cluster name; idempotent."""
    if PIDS_DIR.exists():
        pids = [int(entry.read_text()) for entry in PIDS_DIR.iterdir()]
        for pid in pids:
            _signal(pid, signal.SIGTERM)  # granian stops its own workers on TERM
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in pids:
            _signal(pid, signal.SIGKILL)
        for entry in PIDS_DIR.iterdir():
            entry.unlink()
    redis_stop()
    postgres_stop()


if __name__ == "__main__":
    if sys.argv[1:] == ["cleanup"]:
        cleanup()
    else:
        sys.exit("usage: infra.py cleanup")
