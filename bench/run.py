"""The benchmark: Setlist against references, on the same machine, database and data.

    make bench                 # 100 000 songs (quick)
    make bench SCALE=1m        # 1 000 000 songs, 50 000 users, 5 000 000 likes, 2 000 000 plays

Starts PostgreSQL and Redis (`make services` does, before this script), fills a dedicated
database `setlist_bench` with `seed_demo` once per scale, serves Setlist with production
settings and the references (bench/references.py) on granian, one worker per core, on
127.0.0.1 only, and drives every scenario with wrk in interleaved rounds. Writes
`bench/results/<stamp>/` with results.json, results.md and chart.png.
"""

import argparse
import contextlib
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
import zlib
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loopback, report, trickle, wrk  # noqa: E402

SCALES = {
    "10k": {"songs": 10_000, "users": 200, "likes": 20_000, "plays": 20_000},  # harness smoke
    "100k": {"songs": 100_000, "users": 5_000, "likes": 500_000, "plays": 200_000},
    "1m": {"songs": 1_000_000, "users": 50_000, "likes": 5_000_000, "plays": 2_000_000},
}
PORTS = {"setlist": 8101, "refs": 8102, "floor": 8103}
BENCH_USER = "bench-listener"
BENCH_WRITER = "bench-writer"
BENCH_PASSWORD = secrets.token_urlsafe(16)


def bench_env(scale: str) -> dict[str, str]:
    return loopback.production_env(
        database_url=f"postgres://setlist:setlist@127.0.0.1:5432/setlist_bench_{scale}",
        redis_url="redis://127.0.0.1:6379/9",
    )


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def ensure_database(env: dict[str, str], scale: str) -> None:
    """Creates the bench database for this scale once, then migrates it."""
    import psycopg
    from psycopg import sql

    name = f"setlist_bench_{scale}"
    admin = "postgresql://setlist:setlist@127.0.0.1:5432/setlist"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    manage(env, "migrate", "--noinput", "-v0")


def seed(env: dict[str, str], scale: str) -> float:
    """Fills the bench database once per scale; returns the seconds it took (0 if cached)."""
    sizes = SCALES[scale]
    started = time.perf_counter()
    manage(
        env,
        "seed_demo",
        "--if-empty",
        "--seed",
        "7",
        "--songs",
        str(sizes["songs"]),
        "--users",
        str(sizes["users"]),
        "--likes",
        str(sizes["likes"]),
        "--plays",
        str(sizes["plays"]),
    )
    return time.perf_counter() - started


class Servers:
    """Setlist and the references on granian, one worker per core, loopback only."""

    def __init__(self, env: dict[str, str], workers: int, threads: int):
        self.env, self.workers, self.threads, self.processes = env, workers, threads, {}

    def start(self) -> None:
        targets = {
            "setlist": ("config.wsgi:application", self.env),
            "refs": ("bench.refs_wsgi:application", self.env),
            "floor": ("bench.refs_wsgi:floor", self.env),
        }
        for name, (target, env) in targets.items():
            self.processes[name] = subprocess.Popen(
                [
                    str(ROOT / ".venv/bin/granian"),
                    "--interface",
                    "wsgi",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(PORTS[name]),
                    "--workers",
                    str(self.workers),
                    # Bounds Python threads, and with them PostgreSQL connections: the
                    # default (hundreds per worker) exceeds max_connections under load.
                    "--blocking-threads",
                    str(self.threads),
                    "--no-ws",
                    "--log-level",
                    "warning",
                    target,
                ],
                cwd=ROOT,
                env=env,
            )
        for name in targets:
            self._wait(PORTS[name])

    @staticmethod
    def _wait(port: int) -> None:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                return
            except urllib.error.HTTPError:
                return  # the server answers (the references have no /healthz)
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"server on port {port} did not start")

    def worker_rss_mb(self, name: str) -> list[float]:
        """Resident memory of each worker process of one server."""
        parent = self.processes[name].pid
        children = subprocess.run(
            ["pgrep", "-P", str(parent)], capture_output=True, text=True
        ).stdout.split()
        sizes = []
        for pid in children or [str(parent)]:
            status = Path(f"/proc/{pid}/status").read_text()
            kb = next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")
            )
            sizes.append(round(kb / 1024, 1))
        return sizes

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            process.wait(timeout=30)


def median_of(rounds: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def _drain(result: "wrk.WrkResult") -> None:
    """Waits for the requests wrk left in flight to finish before the next measurement.

    wrk stops sending at the deadline, but the server still works through what it
    accepted; a slow scenario (the tutorial list takes seconds a request at 1M songs)
    would otherwise eat into the next one's time.
    """
    p99_s = result.p99_ms / 1000 if result.p99_ms == result.p99_ms else 1.0  # NaN: no data
    time.sleep(min(15.0, p99_s + 1.0))


def draw_seed(scenario: str, round_no: int, phase: str) -> str:
    """The seed of the random ids one wrk run draws (`lua/paths.lua`).

    A fixed seed made every run of a scenario, and every scenario on the same ids, replay
    the same requests: the latency run and later rounds then found the song details the
    run before had just cached, and the later rounds of a run of a few scenarios (`--only`)
    measured mostly cache hits. Each run now draws its own sequence, the same one in every
    bench run.
    """
    return str(zlib.crc32(f"{scenario}|{round_no}|{phase}".encode()))


def run_rounds(
    scenarios: list[dict], rounds: int, seconds: int, connections: int, latency_connections: int
) -> dict[str, dict]:
    """Every scenario once per round, in order, `rounds` times (A B C ... A B C ...)."""
    results: dict[str, dict] = {s["name"]: {"throughput": [], "latency": []} for s in scenarios}
    for round_no in range(1, rounds + 1):
        for scenario in scenarios:
            kwargs = {
                "seconds": seconds,
                "script": scenario.get("script"),
                "headers": scenario.get("headers"),
            }
            base = {**os.environ, **scenario.get("lua_env", {})}
            env = {
                phase: {**base, "BENCH_SEED": draw_seed(scenario["name"], round_no, phase)}
                for phase in ("throughput", "latency")
            }
            beside = scenario.get("beside")
            with trickle.Trickle(**beside) if beside else contextlib.nullcontext() as writes:
                throughput = wrk.run(
                    scenario["url"], connections=connections, env=env["throughput"], **kwargs
                )
                _drain(throughput)
                latency = wrk.run(
                    scenario["url"], connections=latency_connections, env=env["latency"], **kwargs
                )
                _drain(latency)
            results[scenario["name"]]["throughput"].append(throughput.as_dict())
            results[scenario["name"]]["latency"].append(latency.as_dict())
            print(
                f"round {round_no} {scenario['name']:<28} {throughput.rps:>9.0f} req/s "
                f"p99 {throughput.p99_ms:.1f} ms (non-2xx {throughput.non_2xx})",
                flush=True,
            )
            if writes is not None:
                print(f"  beside it: {writes.sent} writes, {writes.failed} failed", flush=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default=os.environ.get("SCALE", "100k"))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "10")))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--latency-connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", "4")))
    parser.add_argument(
        "--only",
        default=os.environ.get("BENCH_ONLY", ""),
        help="comma-separated parts of scenario names to run (with their references)",
    )
    args = parser.parse_args()

    # A terminated run still stops its servers (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = bench_env(args.scale)
    os.environ.update(env)
    ensure_database(env, args.scale)
    seed_seconds = seed(env, args.scale)

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from bench import scenarios as scenario_setup

    fixture = scenario_setup.prepare(BENCH_USER, BENCH_WRITER, BENCH_PASSWORD)
    servers = Servers(env, args.workers, args.threads)
    servers.start()
    try:
        scenarios = scenario_setup.build(fixture, PORTS, BENCH_USER, BENCH_WRITER, BENCH_PASSWORD)
        if args.only:
            scenarios = scenario_setup.select(scenarios, args.only.split(","))
        before = scenario_setup.counters()
        results = run_rounds(
            scenarios, args.rounds, args.seconds, args.connections, args.latency_connections
        )
        rss = {name: servers.worker_rss_mb(name) for name in ("setlist",)}
    finally:
        servers.stop()
    integrity = scenario_setup.verify_counters(before)
    queries = scenario_setup.queries_per_request(scenarios)

    summary = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "seed_seconds": round(seed_seconds, 1),
        "settings": vars(args),
        "scenarios": {
            name: {
                "kind": next(s["kind"] for s in scenarios if s["name"] == name),
                "reference": next(s.get("reference") for s in scenarios if s["name"] == name),
                "tutorial": next(s.get("tutorial") for s in scenarios if s["name"] == name),
                "rps": median_of(data["throughput"], "rps"),
                "rps_spread": [
                    min(r["rps"] for r in data["throughput"]),
                    max(r["rps"] for r in data["throughput"]),
                ],
                "p50_ms": median_of(data["latency"], "p50_ms"),
                "p99_ms": median_of(data["throughput"], "p99_ms"),
                "p99_ms_at_latency_connections": median_of(data["latency"], "p99_ms"),
                "non_2xx": sum(r["non_2xx"] for r in data["throughput"] + data["latency"]),
                "queries": queries.get(name),
                "rounds": data,
            }
            for name, data in results.items()
        },
        "worker_rss_mb": rss,
        "integrity": integrity,
    }
    summary["targets"] = report.targets(summary)
    out = ROOT / "bench" / "results" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(summary, indent=2))
    (out / "results.md").write_text(report.markdown(summary))
    report.chart(summary, out / "chart.png")
    print(report.markdown(summary))
    print(f"results in {out}")
    return 0 if integrity["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
