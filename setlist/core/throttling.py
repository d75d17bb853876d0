"""Rate limiting with an atomic counter per fixed window, shared through the cache.

DRF's own throttles keep a list of timestamps and write it back after reading it, so
concurrent requests can all read the same list and all pass. Here every request does one
atomic `incr` on a per-window key, so a burst is counted exactly, also across app servers
when the cache is Redis.

Scopes that protect credentials (`SECURITY_SCOPES`) fail closed: if the cache cannot
count, the request is refused with 503. Every other scope fails open.

Each throttle records its limit, remaining count and reset time on the request;
`RateLimitHeadersMiddleware` turns the tightest of them into `X-RateLimit-*` headers.
"""

import abc
import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

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
    django_request = getattr(request, "_request", request)
    current = getattr(django_request, "ratelimit", None)
    if current is None or state.remaining < current.remaining:
        django_request.ratelimit = state


def _redis_client():
    """The Redis client behind the default cache (django-redis), or None for other caches."""
    client = getattr(cache, "client", None)
    get_client = getattr(client, "get_client", None)
    return get_client(write=True) if get_client is not None else None


class CountingRateThrottle(BaseThrottle, abc.ABC):
    """Base class: subclasses set `scope` and say whom to count in `get_cache_key`."""

    scope: str = ""

    def __init__(self):
        self._wait: float | None = None

    def get_rate(self) -> str | None:
        # Read at request time, so settings overrides (tests, env) apply at once.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    @abc.abstractmethod
    def get_cache_key(self, request, view) -> str | None:
        """Who is counted: an identity string, or None to not throttle this request."""

    @property
    def fails_closed(self) -> bool:
        return self.scope in SECURITY_SCOPES

    def allow_request(self, request, view) -> bool:
        rate = self.get_rate()
        ident = self.get_cache_key(request, view) if rate else None
        if ident is None:
            return True
        limit, duration = parse_rate(rate)
        now = time.time()
        window = int(now // duration)
        reset = (window + 1) * duration
        key = f"throttle:{self.scope}:{ident}:{window}"
        try:
            count = self._increment(key, timeout=duration + 1)
        except Exception as exc:
            if self.fails_closed:
                logger.error("rate limiter unavailable; refusing %s", self.scope, exc_info=exc)
                raise ServiceUnavailable(
                    "Rate limiting is unavailable; try again shortly."
                ) from exc
            logger.warning("rate limiter unavailable; allowing %s", self.scope, exc_info=exc)
            return True
        record_state(request, RateLimitState(limit, max(0, limit - count), reset))
        if count > limit:
            self._wait = reset - now
            return False
        return True

    @staticmethod
    def _increment(key: str, timeout: int) -> int:
        redis = _redis_client()
        if redis is not None:
            # One round trip: create the window's counter with its expiry if absent, then
            # count. Both commands are atomic on the server.
            name = cache.make_and_validate_key(key)
            pipeline = redis.pipeline(transaction=False)
            pipeline.set(name, 0, ex=timeout, nx=True)
            pipeline.incr(name)
            return pipeline.execute()[1]
        # `add` creates the counter only if absent; `incr` is atomic in LocMem.
        cache.add(key, 0, timeout=timeout)
        try:
            return cache.incr(key)
        except ValueError:  # the key expired between add and incr: start a new window
            cache.add(key, 1, timeout=timeout)
            return 1

    def wait(self) -> float | None:
        return math.ceil(self._wait) if self._wait is not None else None


class AnonRateThrottle(CountingRateThrottle):
    """Counts anonymous requests by client address (see NUM_PROXIES)."""

    scope = "anon"

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.get_ident(request)


class UserRateThrottle(CountingRateThrottle):
    """Counts signed-in requests by user id."""

    scope = "user"

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return f"user-{request.user.pk}"
        return None


class ScopedRateThrottle(CountingRateThrottle):
    """Counts requests to views that declare `throttle_scope`, per user or address."""

    def allow_request(self, request, view) -> bool:
        self.scope = getattr(view, "throttle_scope", "") or ""
        if not self.scope:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        if self.scope in SECURITY_SCOPES:
            # Credential endpoints count the address, whoever the caller claims to be.
            return self.get_ident(request)
        if request.user and request.user.is_authenticated:
            return f"user-{request.user.pk}"
        return self.get_ident(request)
