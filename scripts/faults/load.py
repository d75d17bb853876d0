"""A small load driver: threads with keep-alive connections, every response recorded.

Each thread runs a weighted mix of operations until told to stop. Every request is kept
as an `Outcome` (when it started, how long it took, status, whether the body was JSON),
and each write the API acknowledged is kept too, so the database can be checked for it.
A timeout or a dropped connection is recorded with status 0: it is a failure.
"""

import http.client
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Outcome:
    op: str
    started: float  # time.monotonic()
    seconds: float
    status: int  # 0: timeout or connection error
    json_ok: bool  # Content-Type application/json and a parseable body (or no body)
    error: str = ""

    @property
    def ended(self) -> float:
        return self.started + self.seconds


@dataclass
class Response:
    status: int
    body: object


@dataclass
class Acks:
    """What the API acknowledged, per kind of write."""

    plays: list[tuple[int, int, int]] = field(default_factory=list)  # (play id, song, user)
    # (user, song, liked): PUT True, DELETE False, in the order the API answered them.
    likes: list[tuple[int, int, bool]] = field(default_factory=list)
    users: list[int] = field(default_factory=list)  # accounts created by sign-up

    def count(self) -> int:
        return len(self.plays) + len(self.likes) + len(self.users)


class Client:
    """One keep-alive HTTP connection to the server, reopened after any failure."""

    def __init__(self, port: int, timeout: float):
        self.port, self.timeout = port, timeout
        self.connection: http.client.HTTPConnection | None = None
        self.outcomes: list[Outcome] = []

    def call(
        self, op: str, method: str, path: str, *, body: dict | None = None, token: str = ""
    ) -> Response:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.monotonic()
        try:
            self._send(method, path, payload, headers)
            response = self.connection.getresponse()
            raw = response.read()
            content_type = response.getheader("Content-Type", "")
        except (OSError, http.client.HTTPException) as exc:
            self._reset()
            self.outcomes.append(
                Outcome(op, started, time.monotonic() - started, 0, False, repr(exc))
            )
            return Response(0, None)
        parsed, json_ok = None, True
        if raw:
            json_ok = content_type.startswith("application/json")
            try:
                parsed = json.loads(raw)
            except ValueError:
                json_ok = False
        if response.will_close:
            self._reset()
        error = "" if json_ok else f"{content_type}: {raw[:120]!r}"
        self.outcomes.append(
            Outcome(op, started, time.monotonic() - started, response.status, json_ok, error)
        )
        return Response(response.status, parsed)

    def _send(self, method: str, path: str, payload: bytes | None, headers: dict) -> None:
        """Sends the request; once more on a new connection if a kept-alive one turns out
        closed by the server while it was idle (the send fails: no request reached the
        server), as HTTP clients do with pooled connections. Anything later is a failure."""
        reused = self.connection is not None
        if not reused:
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            self.connection.request(method, path, body=payload, headers=headers)
        except (BrokenPipeError, ConnectionResetError):
            if not reused:
                raise
            self._reset()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            self.connection.request(method, path, body=payload, headers=headers)

    def _reset(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None


@dataclass
class Listener:
    """A signed-in member the driver acts as."""

    id: int
    token: str


# An operation: given the thread's client, random source, listener and acks, make a request.
Operation = Callable[[Client, random.Random, Listener, Acks], None]


def run(
    *,
    port: int,
    threads: int,
    seconds: float,
    mix: list[tuple[Operation, int]],
    listeners: list[Listener],
    timeout: float,
    seed: int = 7,
    on_tick: Callable[[float], None] | None = None,
) -> tuple[list[Outcome], Acks]:
    """Drive `mix` (operations with weights) for `seconds` from `threads` connections.

    Thread i acts as `listeners[i % len(listeners)]`. With as many listeners as threads,
    each member's writes come from one thread in order, so their final state is known.
    `on_tick(elapsed)` runs in the calling thread about every 0.2 s: the fault is injected
    there, while the load runs.
    """
    stop = threading.Event()
    clients = [Client(port, timeout) for _ in range(threads)]
    acks = [Acks() for _ in range(threads)]
    operations = [operation for operation, _ in mix]
    weights = [weight for _, weight in mix]

    def drive(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        listener = listeners[index % len(listeners)]
        while not stop.is_set():
            (operation,) = rng.choices(operations, weights)
            try:
                operation(clients[index], rng, listener, acks[index])
            except Exception as exc:  # a bug in the driver: recorded, the thread goes on
                clients[index].outcomes.append(
                    Outcome("driver", time.monotonic(), 0.0, 0, False, repr(exc))
                )

    workers = [threading.Thread(target=drive, args=(i,), daemon=True) for i in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    while (elapsed := time.monotonic() - started) < seconds:
        if on_tick is not None:
            on_tick(elapsed)
        time.sleep(0.2)
    stop.set()
    for worker in workers:
        worker.join(timeout + 5)
    merged = Acks()
    for thread_acks in acks:
        merged.plays += thread_acks.plays
        merged.likes += thread_acks.likes
        merged.users += thread_acks.users
    return [outcome for client in clients for outcome in client.outcomes], merged
