"""One request builds what many want at once; the others wait for its result.

The builder claims a key in the shared cache (`claim`, an atomic add) and stores what it
built where the others look for it; if it fails it gives the claim up (`release`) so that
they stop waiting. The others poll with `wait_for`. A claim expires on its own, so a
builder that dies blocks nobody for long. Cache errors never fail the request: without a
cache everyone builds, as if there were no claim.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

FIRST_PAUSE, LONGEST_PAUSE = 0.002, 0.05  # seconds between looks, doubling
WAITING = object()  # what a look returns while the result is not there yet


def claim(cache, key: str, *, timeout: float) -> bool:
    """True for the one caller that now holds `key` (for `timeout` seconds at most), and
    when the cache cannot answer; False while someone else holds it."""
    try:
        return bool(cache.add(key, 1, timeout=timeout))
    except Exception as exc:
        logger.warning("cache unavailable; building without a claim (%s)", key, exc_info=exc)
        return True


def release(cache, key: str) -> None:
    try:
        cache.delete(key)
    except Exception as exc:
        logger.warning("could not release a build claim (%s)", key, exc_info=exc)


def _pause(seconds: float) -> None:
    time.sleep(seconds)


def wait_for(look: Callable[[], Any], *, wait: float) -> Any | None:
    """What `look()` returns once it returns something but WAITING; None (build it
    yourself) when it returns None, when `wait` seconds pass or when the cache fails.
    Looks after pauses that double from FIRST_PAUSE to LONGEST_PAUSE."""
    deadline = time.monotonic() + wait
    pause = FIRST_PAUSE
    while (left := deadline - time.monotonic()) > 0:
        _pause(min(pause, left))
        pause = min(2 * pause, LONGEST_PAUSE)
        try:
            found = look()
        except Exception as exc:
            logger.warning("cache unavailable; building without waiting", exc_info=exc)
            return None
        if found is not WAITING:
            return found
    return None
