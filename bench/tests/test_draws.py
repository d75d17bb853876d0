"""Each wrk run draws its own ids, and every bench run draws the same ones."""

import shutil

import pytest

from bench import run, wrk
from bench.tests.local_server import QuietHandler, local_server


class _Recording(QuietHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the benchmark runs
    paths: list[str] = []

    def do_GET(self):
        type(self).paths.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def server():
    _Recording.paths = []
    with local_server(_Recording) as httpd:
        yield httpd


@pytest.fixture
def ids(tmp_path):
    """A file of 10 000 ids, one a line, as `lua/paths.lua` reads them."""
    path = tmp_path / "ids.txt"
    path.write_text("\n".join(str(n) for n in range(1, 10_001)) + "\n")
    return path


def _drawn(server, ids, seed: str) -> list[str]:
    """The first paths one wrk run of `lua/paths.lua` asks for, with `seed`."""
    _Recording.paths = []
    wrk.run(
        f"http://127.0.0.1:{server.server_port}/",
        connections=1,
        seconds=1,
        script="paths.lua",
        env={"BENCH_IDS_FILE": str(ids), "BENCH_PATH": "/songs/%d/", "BENCH_SEED": seed},
    )
    assert len(_Recording.paths) >= 50
    return _Recording.paths[:50]


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is installed by `make services`")
def test_a_seed_draws_the_same_ids_and_another_seed_others(server, ids):
    first = _drawn(server, ids, "11")
    assert _drawn(server, ids, "11") == first
    other = _drawn(server, ids, "12")
    assert len(set(other) & set(first)) < 5  # 50 of 10 000 ids each: a few in common at most
    assert all(path.startswith("/songs/") for path in first + other)


def test_every_run_of_a_bench_draws_with_a_seed_of_its_own(monkeypatch):
    seeds = []

    def fake_run(url, *, env, **kwargs):
        seeds.append(env["BENCH_SEED"])
        return wrk.WrkResult(
            requests=1, seconds=1.0, rps=1.0, p50_ms=1.0, p99_ms=1.0, non_2xx=0, socket_errors=0
        )

    monkeypatch.setattr(wrk, "run", fake_run)
    monkeypatch.setattr(run, "_drain", lambda result: None)
    scenarios = [{"name": name, "url": "http://127.0.0.1:1/"} for name in ("a", "b")]

    run.run_rounds(scenarios, rounds=2, seconds=1, connections=2, latency_connections=1)
    assert len(seeds) == len(set(seeds)) == 8  # 2 rounds x 2 scenarios x 2 wrk runs

    again = list(seeds)
    seeds.clear()
    run.run_rounds(scenarios, rounds=2, seconds=1, connections=2, latency_connections=1)
    assert seeds == again
