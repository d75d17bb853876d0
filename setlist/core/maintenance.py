"""The maintenance switch, kept in the shared `state` cache so every app server sees it.

Each process remembers the answer for a second, so the switch costs at most one cache
read per second per process rather than one per request.
"""

import logging
import time

from django.core.cache import caches

logger = logging.getLogger(__name__)

_KEY = "maintenance:enabled"
_MEMO_SECONDS = 1.0
_memo: dict[str, float | bool] = {"until": 0.0, "enabled": False}


def _state_cache():
    return caches["state"]


def set_maintenance(enabled: bool) -> None:
    """Turn maintenance mode on or off for every app server sharing the state cache."""
    if enabled:
        _state_cache().set(_KEY, True, timeout=None)
    else:
        _state_cache().delete(_KEY)
    _memo["until"] = 0.0


def is_maintenance_on() -> bool:
    """Whether maintenance mode is on. A cache that cannot answer counts as off."""
    now = time.monotonic()
    if now < _memo["until"]:
        return bool(_memo["enabled"])
    try:
        enabled = bool(_state_cache().get(_KEY, False))
    except Exception:
        logger.warning("maintenance state unreadable; serving normally", exc_info=True)
        enabled = False
    _memo.update(until=now + _MEMO_SECONDS, enabled=enabled)
    return enabled
