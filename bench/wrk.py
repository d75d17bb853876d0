"""Running wrk against a loopback URL and reading its report."""

import re
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.loopback import require_loopback

LUA_DIR = Path(__file__).parent / "lua"
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


@dataclass
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int

    def as_dict(self) -> dict:
        return asdict(self)


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not match:
        raise ValueError(f"unreadable latency {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse(output: str) -> WrkResult:
    """Reads wrk's `--latency` report."""
    requests, seconds = re.search(r"(\d+) requests in ([\d.]+)(\w+)", output).groups()[:2]
    unit = re.search(r"\d+ requests in [\d.]+(\w+)", output).group(1)
    seconds_f = float(seconds) * (60.0 if unit == "m" else 0.001 if unit == "ms" else 1.0)
    percentiles = dict(re.findall(r"^\s+(\d+(?:\.\d+)?)%\s+(\S+)\s*$", output, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests=int(requests),
        seconds=seconds_f,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        # No distribution when no request completed (all timed out): latency unknown.
        p50_ms=_ms(percentiles["50"]) if "50" in percentiles else float("nan"),
        p99_ms=_ms(percentiles["99"]) if "99" in percentiles else float("nan"),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in socket.groups()) if socket else 0,
    )


def run(
    url: str,
    *,
    connections: int,
    seconds: int,
    script: str | None = None,
    headers: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
) -> WrkResult:
    """One wrk run (one thread, keep-alive). Only loopback targets are allowed."""
    require_loopback(url)
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (make services installs it)")
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(LUA_DIR / script)]
    command.append(url)
    completed = subprocess.run(
        command, capture_output=True, text=True, check=True, env=env, timeout=seconds + 60
    )
    return parse(completed.stdout)
