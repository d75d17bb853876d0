"""Each user's permission set, kept in the shared cache until any permission changes.

Every signed-in catalog read asks whether the caller may see unpublished albums, which
cost a five-table query a request. The answer is kept in the cache under the user's id
(and superuser flag), tagged with a *generation* token: any change to who holds what (group
membership, a group's or a user's permissions, a group or permission deleted, a migration)
replaces the token, so every stored set stops matching at once in every process. The token
is replaced when the change is made and again after its transaction commits, so a set read
from the database meanwhile is never served. Stored sets expire after
`PERMISSIONS_CACHE_TIMEOUT` seconds, which bounds how long a change made around the ORM
(raw SQL) can go unseen.

Only used with a cache every process shares (`settings.PERMISSIONS_CACHE`: Redis); without
one each request reads the database, as Django does. Callers signed in with a JWT whose
user row says they hold no permission (`selectors.user_by_id`) need neither.
"""

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "accounts:permissions:generation"


def _cache():
    alias = getattr(settings, "PERMISSIONS_CACHE", None)
    return caches[alias] if alias else None


def _entry_key(user) -> str:
    # The superuser flag is part of the key: a demoted superuser never reads the old set.
    return f"accounts:permissions:{user.pk}:{int(user.is_superuser)}"


def cached_permissions(user, load: Callable[[], set[str]]) -> set[str]:
    """`user`'s permissions from the cache, or `load()`ed and stored if none match."""
    cache = _cache()
    if cache is None:
        return load()
    key = _entry_key(user)
    try:
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            generation = uuid.uuid4().hex
            if not cache.add(GENERATION_KEY, generation, timeout=None):
                generation = cache.get(GENERATION_KEY)
    except Exception as exc:
        logger.warning("permission cache unavailable; reading the database", exc_info=exc)
        return load()
    stored = found.get(key)
    if stored is not None and generation is not None and stored[0] == generation:
        return set(stored[1])
    permissions = load()
    if generation is not None:
        timeout = getattr(settings, "PERMISSIONS_CACHE_TIMEOUT", 300)
        try:
            cache.set(key, (generation, sorted(permissions)), timeout=timeout)
        except Exception as exc:
            logger.warning("could not store a permission set", exc_info=exc)
    return permissions


def _bump() -> None:
    cache = _cache()
    if cache is None:
        return
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception as exc:
        # Stored sets then live until they expire (PERMISSIONS_CACHE_TIMEOUT).
        logger.error("could not invalidate cached permissions", exc_info=exc)


def permissions_changed() -> None:
    """Every cached permission set is stale: now, and again once the transaction commits."""
    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump, robust=True)
