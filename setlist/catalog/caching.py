"""The anonymous response cache of the catalog, and the generations that invalidate it.

Every cached response is stored, under its URL, together with the *generation tokens* of
the things it shows, as they were when it was built. Changing the catalog replaces a token,
so every response stored before the change stops matching and is built again; no key
listing or pattern deletes, and every app server sees the change at once because the tokens
live in a shared cache (`settings.CATALOG_GENERATION_CACHE`: the Redis `default` cache when
Redis is configured, else the `state` cache, files shared by the local processes).

When tokens and responses share one cache, a lookup is a single round trip: one
`get_many` reads the tokens and the stored response together.

Three scopes, so that a play does not throw away the genre list:

- `content`: any change to a genre, artist, album or song. Every response depends on it.
- `likes`: a `like_count` moved (albums and songs show it).
- `plays`: a `num_streams` moved (songs show it, also inside album details and search).

A change bumps the token at once and again after its transaction commits: the second bump
throws away anything a concurrent request cached between the first bump and the commit,
when it could still read the old rows. Cache errors never fail a request: reads and writes
are skipped (served uncached) and logged. If a bump cannot reach the cache, entries expire
after `CATALOG_CACHE_TIMEOUT` seconds (default 300), which bounds staleness in that case.
"""

import functools
import hashlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

logger = logging.getLogger(__name__)

CONTENT = "content"
LIKES = "likes"
PLAYS = "plays"
SCOPES = (CONTENT, LIKES, PLAYS)

DEFAULT_TIMEOUT = 300


def _responses_cache():
    return caches["default"]


def _generations_cache():
    # Tokens must be shared by every process: Redis is; local memory is not (see settings).
    return caches[getattr(settings, "CATALOG_GENERATION_CACHE", "default")]


def _generation_key(scope: str) -> str:
    return f"catalog:generation:{scope}"


def _new_token() -> str:
    # Random, not a counter: a token evicted and recreated can never equal an old one.
    return uuid.uuid4().hex[:16]


def _read(cache, keys: list[str], found: dict) -> None:
    found.update(cache.get_many(keys))


def _tokens(keys: list[str], found: dict) -> str | None:
    """The tokens of `keys` joined, creating missing ones; None if the cache has none."""
    missing = [key for key in keys if key not in found]
    if missing:
        cache = _generations_cache()
        for key in missing:
            cache.add(key, _new_token(), timeout=None)
        found.update(cache.get_many(missing))  # another process may have added first
    if any(key not in found for key in keys):
        return None
    return "-".join(str(found[key]) for key in keys)


def current_generation(scopes: tuple[str, ...]) -> str | None:
    """The tokens of `scopes`, joined; None when the cache cannot answer (do not cache)."""
    keys = [_generation_key(scope) for scope in scopes]
    found: dict = {}
    try:
        _read(_generations_cache(), keys, found)
        return _tokens(keys, found)
    except Exception as exc:
        logger.warning("catalog cache unavailable; serving uncached", exc_info=exc)
        return None


def _bump(scope: str) -> None:
    try:
        _generations_cache().set(_generation_key(scope), _new_token(), timeout=None)
    except Exception as exc:
        logger.error("could not invalidate the catalog cache (%s)", scope, exc_info=exc)


def catalog_cache_invalidate(*, scope: str = CONTENT) -> None:
    """Makes every cached catalog response that shows `scope` stale.

    Call it after changing what responses show without going through model signals:
    queryset `.update()`s, bulk inserts, and the `like_count`/`num_streams` counters
    (`scope=LIKES` or `scope=PLAYS`: only responses that show them are dropped).
    Inside a transaction the bump is repeated after commit (once per transaction).
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown catalog cache scope {scope!r}")
    _bump(scope)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        pending = (getattr(entry[1], "catalog_scope", None) for entry in connection.run_on_commit)
        if scope not in pending:
            after_commit = functools.partial(_bump, scope)
            after_commit.catalog_scope = scope
            transaction.on_commit(after_commit, robust=True)


def response_key(*, name: str, url: str) -> str:
    digest = hashlib.blake2b(url.encode(), digest_size=16).hexdigest()
    return f"catalog:response:{name}:{digest}"


@dataclass(frozen=True)
class Lookup:
    """A response cache lookup: where to store, under which generation, and what was found."""

    key: str
    generation: str
    hit: Any | None


def response_lookup(*, name: str, url: str, scopes: tuple[str, ...]) -> Lookup | None:
    """The stored response for `url` if it was built under the current generation.

    None when the cache cannot answer: serve uncached and do not store.
    """
    keys = [_generation_key(scope) for scope in scopes]
    key = response_key(name=name, url=url)
    responses, generations = _responses_cache(), _generations_cache()
    found: dict = {}
    try:
        if responses is generations:
            _read(responses, [*keys, key], found)  # one round trip
        else:
            _read(generations, keys, found)
            _read(responses, [key], found)
        generation = _tokens(keys, found)
    except Exception as exc:
        logger.warning("catalog cache unavailable; serving uncached", exc_info=exc)
        return None
    if generation is None:
        return None
    stored = found.get(key)
    hit = stored[1] if stored is not None and stored[0] == generation else None
    return Lookup(key=key, generation=generation, hit=hit)


def response_store(lookup: Lookup, value: Any) -> None:
    """Keeps `value` for the looked-up URL, tagged with the generation read before building
    it: if the catalog changed meanwhile, the tag is already stale and it is never served."""
    timeout = getattr(settings, "CATALOG_CACHE_TIMEOUT", DEFAULT_TIMEOUT)
    try:
        _responses_cache().set(lookup.key, (lookup.generation, value), timeout=timeout)
    except Exception as exc:
        logger.warning("could not store a catalog response in the cache", exc_info=exc)
