"""The four scenarios: PostgreSQL restart, Redis stop, worker killed mid-task, soak.

Each returns a `Result`: its figures for the report line and the problems found (none
means it passed). Requests are judged one by one (`judge`): a timeout, a non-JSON answer
or an unexpected status is an error; 503 is accepted only while the fault lasts, and only
from the requests the scenario says may refuse.
"""

import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import checks
import infra
import load
from ops import LOGIN_PASSWORD, SECURITY_OPS, SUCCESS, Operations
from slow_mail import records

FAIL_FAST_SECONDS = 2.5  # a refusal during an outage must come within this
CLIENT_TIMEOUT = 5.0  # longer, so that "slow" and "hung" are told apart


@dataclass
class Result:
    name: str
    figures: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # printed under the line, for people

    @property
    def passed(self) -> bool:
        return not self.problems

    def line(self) -> str:
        figures = ", ".join(f"{key} {value}" for key, value in self.figures.items())
        return f"fault {self.name}: {figures}" + ("" if self.passed else " -- FAILED")


@dataclass
class Window:
    """When a fault began and ended (time.monotonic())."""

    stop_begin: float = 0.0
    stopped: float = 0.0
    restart_begin: float = 0.0
    back: float = 0.0


def outage(stop: Callable[[], None], start: Callable[[], None], *, at: float, down: float):
    """An on_tick for load.run that stops a service at `at` s and starts it `down` s later."""
    window = Window()

    def tick(elapsed: float) -> None:
        if not window.stop_begin and elapsed >= at:
            window.stop_begin = time.monotonic()
            stop()
            window.stopped = time.monotonic()
        elif window.stopped and not window.back and time.monotonic() >= window.stopped + down:
            window.restart_begin = time.monotonic()
            start()
            window.back = time.monotonic()

    return tick, window


def judge(outcomes: list[load.Outcome], window: Window | None, during) -> tuple[int, list[str]]:
    """Errors among `outcomes`; `during(outcome, inside)` rules on those overlapping the fault.

    `inside`: the request started after the service was down and ended before it was
    started again. A request refused during the fault must be refused fast; one served
    must merely not hang (the client timeout). Everything else must succeed.
    """
    errors: list[str] = []
    for outcome in outcomes:
        slow = outcome.seconds > FAIL_FAST_SECONDS
        overlaps = window is not None and outcome.started < window.back
        overlaps = overlaps and outcome.ended > window.stop_begin
        if outcome.status == 0:
            problem = f"no answer ({outcome.error})"
        elif not outcome.json_ok:
            problem = f"not JSON ({outcome.error})"
        elif overlaps and outcome.status not in SUCCESS[outcome.op] and slow:
            problem = f"refused slowly during the outage: {outcome.seconds:.2f} s"
        elif overlaps:
            inside = outcome.started >= window.stopped and outcome.ended <= window.restart_begin
            problem = during(outcome, inside)
        else:
            problem = None if outcome.status in SUCCESS[outcome.op] else "unexpected status"
        if problem:
            errors.append(f"{outcome.op} {outcome.status}: {problem}")
    return len(errors), errors


def _finish(result: Result, outcomes, errors, acks, check: checks.Check) -> Result:
    result.figures = {
        "requests": len(outcomes),
        "errors": len(errors),
        **result.figures,
        "acknowledged writes": acks.count(),
        "checked": check.checked,
        "lost": check.lost,
    }
    result.problems += errors[:10] + check.problems
    result.notes.append("latency ms (p50/p99/max): " + latency_summary(outcomes))
    return result


def latency_summary(outcomes: list[load.Outcome]) -> str:
    by_op: dict[str, list[float]] = {}
    for outcome in outcomes:
        by_op.setdefault(outcome.op, []).append(outcome.seconds * 1000)
    parts = []
    for op, values in sorted(by_op.items()):
        values.sort()
        p50, p99 = values[len(values) // 2], values[min(len(values) - 1, int(len(values) * 0.99))]
        parts.append(f"{op} {p50:.0f}/{p99:.0f}/{values[-1]:.0f} (n={len(values)})")
    return ", ".join(parts)


def postgres_restart(port: int, ops: Operations, listeners: list[load.Listener]) -> Result:
    """Requests during the outage answer 503 JSON fast; all after it succeed; nothing lost."""
    result = Result("postgres-restart")
    drift = checks.counter_drift()
    checks.fresh_connection()  # the orchestrator holds no connection across the restart
    tick, window = outage(infra.postgres_stop, infra.postgres_start, at=3, down=4)
    mix = [
        (ops.read_songs, 3),
        (ops.read_song, 3),
        (ops.read_album, 2),
        (ops.search, 1),
        (ops.my_likes, 1),
        (ops.like, 3),
        (ops.play, 3),
    ]
    outcomes, acks = load.run(
        port=port, threads=8, seconds=16, mix=mix, listeners=listeners,
        timeout=CLIENT_TIMEOUT, on_tick=tick,
    )  # fmt: skip

    def during(outcome: load.Outcome, inside: bool) -> str | None:
        if outcome.status in SUCCESS[outcome.op] or outcome.status == 503:
            return None
        return "neither success nor 503"

    _, errors = judge(outcomes, window, during)
    refused = [o for o in outcomes if o.status == 503 and o.started < window.back]
    result.figures = {"503 during outage": len(refused), "slowest 503 ms": _slowest(refused)}
    if not refused:
        result.problems.append("no request met the outage: nothing was tested")
    return _finish(result, outcomes, errors, acks, checks.check_acknowledged(acks, drift))


def redis_stop(port: int, ops: Operations, listeners: list[load.Listener]) -> Result:
    """Reads and member writes go on without Redis; credential endpoints refuse with 503."""
    result = Result("redis-stop")
    drift = checks.counter_drift()
    tick, window = outage(infra.redis_stop, infra.redis_start, at=3, down=4)
    mix = [
        (ops.read_songs, 3),
        (ops.read_song, 3),
        (ops.read_album, 2),
        (ops.search, 1),
        (ops.like, 2),
        (ops.play, 2),
        (ops.login, 2),
        (ops.register, 1),
        (ops.password_reset, 1),
    ]
    outcomes, acks = load.run(
        port=port, threads=8, seconds=14, mix=mix, listeners=listeners,
        timeout=CLIENT_TIMEOUT, on_tick=tick,
    )  # fmt: skip

    def during(outcome: load.Outcome, inside: bool) -> str | None:
        if outcome.op in SECURITY_OPS:
            if outcome.status == 503:
                return None
            if inside:
                return "a credential endpoint answered without its rate limiter (fail open)"
        return None if outcome.status in SUCCESS[outcome.op] else "failed without Redis"

    _, errors = judge(outcomes, window, during)
    closed = [o for o in outcomes if o.op in SECURITY_OPS and o.status == 503]
    served = [
        o for o in outcomes
        if o.op not in SECURITY_OPS and o.started >= window.stopped
        and o.ended <= window.restart_begin and o.status in SUCCESS[o.op]
    ]  # fmt: skip
    result.figures = {
        "fail-closed 503": len(closed),
        "slowest 503 ms": _slowest(closed),
        "served without Redis": len(served),
    }
    if not closed or not served:
        result.problems.append("the outage met no credential request or no read/write")
    return _finish(result, outcomes, errors, acks, checks.check_acknowledged(acks, drift))


def worker_kill(port: int, worker_env: dict[str, str]) -> Result:
    """A worker SIGKILLed mid-send: another worker sends the mail; it arrives exactly once."""
    from setlist.accounts.models import MailDelivery
    from setlist.accounts.tasks import send_welcome_email

    result = Result("worker-kill")
    mail_dir = infra.VAR / "mail"
    for name in ("started", "outbox"):
        (mail_dir / f"{name}.jsonl").unlink(missing_ok=True)
    # Earlier scenarios' sign-ups left welcome messages queued; this scenario watches one.
    celery = [str(infra.VENV_BIN / "celery"), "-A", "config", "purge", "-f"]
    subprocess.run(celery, cwd=infra.ROOT, env=worker_env, check=True, capture_output=True)
    workers = [infra.celery_worker_start(name, worker_env) for name in ("a", "b")]
    client = load.Client(port, CLIENT_TIMEOUT)
    try:
        name = f"faults-kill-{uuid.uuid4().hex[:10]}"
        email = f"{name}@example.com"
        body = {"username": name, "email": email, "password": LOGIN_PASSWORD}
        response = client.call("register", "POST", "/api/v1/auth/register/", body=body)
        if response.status != 201:
            raise RuntimeError(f"sign-up answered {response.status}")
        user_id = response.body["id"]

        started = _wait_for(lambda: records(mail_dir, "started", email), 30, "no worker took it")
        holder = next((w for w in workers if w.pid == started[0]["pid"]), None)
        if holder is None:
            raise RuntimeError(f"the mail was started by an unknown pid {started[0]['pid']}")
        holder.kill()  # SIGKILL mid-send: the message was never acknowledged
        survivor = next(w for w in workers if w is not holder)

        # Redelivery comes after the visibility timeout (10 s) plus the 4 s send.
        if _poll(lambda: records(mail_dir, "outbox", email), 40):
            # Then deliver the same message again: the durable record must make it a no-op.
            again = send_welcome_email.delay(user_id)
            _wait_for(
                lambda: f"[{again.id}] succeeded" in survivor.log.read_text(), 30, "no 2nd run"
            )
        sent = records(mail_dir, "outbox", email)
        attempts = records(mail_dir, "started", email)
        stamped = MailDelivery.objects.filter(user_id=user_id, sent_at__isnull=False).count()
    finally:
        for worker in workers:
            worker.stop()

    result.figures = {
        "requests": len(client.outcomes),
        "errors": sum(o.status != 201 for o in client.outcomes),
        "tasks": 2,
        "send attempts": len(attempts),
        "killed pid": holder.pid,
        "sent by pid": sent[0]["pid"] if sent else "none",
        "acknowledged writes": 1,
        "checked": 1,
        "mails": len(sent),
        "lost": 1 - min(len(sent), 1),
    }
    expect = result.problems.append
    if len(sent) != 1:
        expect(f"{len(sent)} welcome mails sent, expected exactly 1")
    if sent and sent[0]["pid"] != survivor.pid:
        expect("the mail was not sent by the surviving worker")
    if len(attempts) != 2:
        expect(f"{len(attempts)} send attempts, expected 2 (killed one + redelivery)")
    if stamped != 1:
        expect(f"{stamped} stamped deliveries, expected 1")
    return result


def soak(
    port: int, ops: Operations, listeners: list[load.Listener], server: infra.Process
) -> Result:
    """60 s of mixed reads and writes at 32 connections: 0 errors, steady memory, exact counts."""
    result = Result("soak")
    drift = checks.counter_drift()
    first_play = checks.last_play_id()
    samples: list[tuple[float, float]] = []

    def sample(elapsed: float) -> None:
        if not samples or elapsed - samples[-1][0] >= 5:
            samples.append((elapsed, sum(infra.worker_rss_mb(server))))

    mix = [
        (ops.read_songs, 3),
        (ops.read_song, 3),
        (ops.read_album, 2),
        (ops.search, 1),
        (ops.my_likes, 1),
        (ops.like, 2),
        (ops.unlike, 1),
        (ops.play, 2),
    ]
    outcomes, acks = load.run(
        port=port, threads=32, seconds=60, mix=mix, listeners=listeners[:32],
        timeout=10.0, on_tick=sample,
    )  # fmt: skip
    samples.append((60.0, sum(infra.worker_rss_mb(server))))
    _, errors = judge(outcomes, None, None)
    check = checks.check_acknowledged(acks, drift)
    played = checks.plays_since([listener.id for listener in listeners], first_play)
    if played != len(acks.plays):
        check.problems.append(f"{played} plays stored, {len(acks.plays)} acknowledged")
    # Memory from the end of the 10 s warm-up (caches and pools filled) to the end.
    warm = next(rss for elapsed, rss in samples if elapsed >= 10)
    growth = (samples[-1][1] - warm) / warm * 100
    latencies = sorted(o.seconds for o in outcomes)
    result.figures = {
        "connections": 32,
        "seconds": 60,
        "p99 ms": round(latencies[int(len(latencies) * 0.99)] * 1000) if latencies else 0,
        "worker RSS MB": f"{warm:.0f}->{samples[-1][1]:.0f} ({growth:+.1f}%)",
    }
    if growth >= 10:
        check.problems.append(f"worker memory grew {growth:.1f}% (limit 10%)")
    return _finish(result, outcomes, errors, acks, check)


def _slowest(outcomes: list[load.Outcome]) -> int:
    return round(max((o.seconds for o in outcomes), default=0) * 1000)


def _poll(probe, seconds: float):
    """`probe()`'s first truthy answer within `seconds`, else its last (falsy) one."""
    deadline = time.monotonic() + seconds
    while not (found := probe()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def _wait_for(probe, seconds: float, failure: str):
    found = _poll(probe, seconds)
    if not found:
        raise RuntimeError(failure)
    return found
