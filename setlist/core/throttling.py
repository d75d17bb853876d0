"""Rate limiting with an atomic counter per fixed window, shared through the cache.

DRF's own throttles keep a list of timestamps and write it back after reading it, so
concurrent requests can all read the same list and all pass. Here every request does one
atomic `incr` on a per-window key, so a burst is counted exactly, also across app servers
when the cache is Redis.

Scopes that protect credentials (`SECURITY_SCOPES`) fail closed: if the cache cannot
count, the request is refused with 503. Every other scope fails open.

Every limit that applies to a request (see `RateLimits`) is counted in one round trip.
Each records its limit, remaining count and reset time on the request;
`RequestIdMiddleware` turns the tightest of them into `X-RateLimit-*` headers.

Reads that go to Redis anyway can carry that round trip with their own: the GETs of a
view with `RideAlongRateLimitsMixin` have their limits *deferred* (`DeferredLimits`); the
view takes them (`take_deferred`) before doing any work and counts them in the pipeline
of its first cache read, or alone. The catalog's cached reads do, so a cached song costs
one round trip to Redis instead of two. Limits a view leaves untaken (it failed before
its read) are counted when its response is finalised, and a 429 replaces the response if
one is exceeded.
"""

import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from .cache_clients import django_redis_client
from .exceptions import ServiceUnavailable

logger = logging.getLogger(__name__)

SECURITY_SCOPES = frozenset({"login", "register", "password_reset"})
_DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    remaining: int
    reset: int  # epoch seconds at which the window ends


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/min' -> (10, 60). The period is read by its first letter (s, m, h, d)."""
    count, period = rate.split("/")
    return int(count), _DURATIONS[period.strip()[0]]


def record_state(request, state: RateLimitState) -> None:
    """Keep the tightest limit seen for this request, for the response headers."""
    django_request = _django_request(request)
    current = getattr(django_request, "ratelimit", None)
    if current is None or state.remaining < current.remaining:
        django_request.ratelimit = state


def _redis_client():
    """The Redis client behind the default cache (django-redis), or None for other caches."""
    client = django_redis_client(cache)
    return client.get_client(write=True) if client is not None else None


@dataclass(frozen=True)
class Counter:
    """One limit applying to a request: its scope and limit, and the window's key and end."""

    scope: str
    limit: int
    key: str
    timeout: int  # seconds the window's key lives: a little longer than the window
    reset: int  # epoch seconds at which the window ends


class RateLimits(BaseThrottle):
    """Every rate limit of a request, counted in one round trip to the cache.

    Anonymous callers are counted by address (`anon`), signed-in ones by user (`user`).
    A view's `throttle_scope` adds its own limit, per user or address; the credential
    scopes count the address alone, whoever the caller claims to be. Every applying
    counter moves on every request (as with one DRF throttle class per limit), in one
    pipeline rather than one round trip each.
    """

    def __init__(self):
        self._wait: float | None = None

    def counters(self, request, view, now: float) -> list[Counter]:
        """The limits that apply to `request` at `now`; scopes without a rate do not."""
        rates = api_settings.DEFAULT_THROTTLE_RATES  # read per request: overrides apply
        signed_in = bool(request.user and request.user.is_authenticated)
        caller = f"user-{request.user.pk}" if signed_in else self.get_ident(request)
        applying = [("user" if signed_in else "anon", caller)]
        scope = getattr(view, "throttle_scope", "") or ""
        if scope:
            by_address = scope in SECURITY_SCOPES or not signed_in
            applying.append((scope, self.get_ident(request) if by_address else caller))
        found = []
        for scope, ident in applying:
            if rates.get(scope):
                limit, duration = parse_rate(rates[scope])
                window = int(now // duration)
                key = f"throttle:{scope}:{ident}:{window}"
                found.append(Counter(scope, limit, key, duration + 1, (window + 1) * duration))
        return found

    def allow_request(self, request, view) -> bool:
        now = time.time()
        counters = self.counters(request, view, now)
        if not counters:
            return True
        if _rides_along(request, view):
            _django_request(request).deferred_rate_limits = DeferredLimits(request, counters, now)
            return True
        counts = _count(counters)
        if counts is None:  # the limiter is unavailable, and these scopes fail open
            return True
        self._wait = _judge(request, counters, counts, now)
        return self._wait is None

    def wait(self) -> float | None:
        return math.ceil(self._wait) if self._wait is not None else None


def _django_request(request):
    return getattr(request, "_request", request)


def _rides_along(request, view) -> bool:
    return getattr(view, "rate_limits_ride_along", False) and request.method in ("GET", "HEAD")


def _unavailable(counters: list[Counter], exc: Exception) -> None:
    """For a request whose limits could not be counted: refuses it (503) if one guards
    credentials, else logs and lets it through."""
    closed = [counter.scope for counter in counters if counter.scope in SECURITY_SCOPES]
    if closed:
        logger.error("rate limiter unavailable; refusing %s", closed[0], exc_info=exc)
        raise ServiceUnavailable("Rate limiting is unavailable; try again shortly.") from exc
    scopes = ", ".join(counter.scope for counter in counters)
    logger.warning("rate limiter unavailable; allowing %s", scopes, exc_info=exc)


def _judge(request, counters: list[Counter], counts: list[int], now: float) -> float | None:
    """Records each limit's state on the request; the seconds to wait if one is exceeded."""
    waits = []
    for counter, count in zip(counters, counts, strict=True):
        remaining = max(0, counter.limit - count)
        record_state(request, RateLimitState(counter.limit, remaining, counter.reset))
        if count > counter.limit:
            waits.append(counter.reset - now)
    return max(waits, default=None)


class DeferredLimits:
    """The limits of a request, to be counted with its first cache read (`queue`, then
    `settle` with the results) or alone (`settle_alone`). Settling raises `Throttled` when
    a limit is exceeded, as DRF's check would have before the view ran."""

    def __init__(self, request, counters: list[Counter], now: float):
        self._request, self._counters, self._now = request, counters, now

    def queue(self, pipeline) -> int:
        """Queues the increments on a redis-py pipeline of the default cache's client, ahead
        of the caller's commands; returns how many results they take."""
        return _queue_increments(pipeline, self._counters)

    def settle(self, results: list) -> None:
        """Judges the limits on the first `queue()` results of the executed pipeline."""
        self._settle(_counts_among(results))

    def failed(self, exc: Exception) -> None:
        """The pipeline failed: as when the limiter is unavailable (these scopes fail open)."""
        _unavailable(self._counters, exc)

    def settle_alone(self) -> None:
        counts = _count(self._counters)
        if counts is not None:
            self._settle(counts)

    def _settle(self, counts: list[int]) -> None:
        wait = _judge(self._request, self._counters, counts, self._now)
        if wait is not None:
            raise Throttled(wait=math.ceil(wait))


class RideAlongRateLimitsMixin:
    """For views whose GETs count their rate limits with their first cache read (see the
    module docstring): they must `take_deferred` and settle them before any other work."""

    rate_limits_ride_along = True

    def finalize_response(self, request, response, *args, **kwargs):
        leftover = take_deferred(request)
        if leftover is not None:  # never taken: the view failed before its read
            try:
                leftover.settle_alone()
            except Throttled as exc:
                response = self.handle_exception(exc)
        return super().finalize_response(request, response, *args, **kwargs)


def take_deferred(request) -> DeferredLimits | None:
    """The limits `RateLimits` deferred for this request (see the module docstring), handed
    out once: the caller must settle them before doing any work."""
    django_request = _django_request(request)
    deferred = getattr(django_request, "deferred_rate_limits", None)
    django_request.deferred_rate_limits = None
    return deferred


def _count(counters: list[Counter]) -> list[int] | None:
    """Each counter's count after adding this request; None if the cache cannot count and
    the scopes fail open (`_unavailable` refuses the others)."""
    try:
        return _increment(counters)
    except Exception as exc:
        _unavailable(counters, exc)
        return None


def _increment(counters: list[Counter]) -> list[int]:
    """Adds one to each counter, creating it with its expiry if absent."""
    redis = _redis_client()
    if redis is not None:
        pipeline = redis.pipeline(transaction=False)
        _queue_increments(pipeline, counters)
        return _counts_among(pipeline.execute())
    return [_increment_one(counter.key, counter.timeout) for counter in counters]


def _queue_increments(pipeline, counters: list[Counter]) -> int:
    """For each counter, SET NX with the expiry, then INCR (each atomic on the server), on
    a redis-py pipeline; returns how many results they take (see `_counts_among`)."""
    for counter in counters:
        name = cache.make_and_validate_key(counter.key)
        pipeline.set(name, 0, ex=counter.timeout, nx=True)
        pipeline.incr(name)
    return 2 * len(counters)


def _counts_among(results: list) -> list[int]:
    """The counts among the results of `_queue_increments`' commands: every INCR's."""
    return results[1::2]


def _increment_one(key: str, timeout: int) -> int:
    # `add` creates the counter only if absent; `incr` is atomic in LocMem.
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr: start a new window
        cache.add(key, 1, timeout=timeout)
        return 1
