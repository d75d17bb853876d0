"""The shared response cache of the catalog, and the generations that invalidate it.

Every cached response is stored, under its URL, together with the *generation tokens* of
the things it shows, as they were when it was built. Changing the catalog replaces a token,
so every response stored before the change stops matching and is built again; no key
listing or pattern deletes, and every app server sees the change at once because the tokens
live in a shared cache (`settings.CATALOG_GENERATION_CACHE`: the Redis `default` cache when
Redis is configured, else the `state` cache, files shared by the local processes).

The cached bodies are the catalog everyone sees: anonymous callers and signed-in listeners
(who get their own `liked` flags set on top, see `personal.py`) share them; callers who may
see unpublished albums are never served from it.

When tokens and responses share one cache, a lookup is a single round trip: one
`get_many` reads the tokens and the stored response together.

Scopes, so that a play does not throw away the genre list:

- `content`: any change to a genre, artist, album or song. Every response depends on it.
- `likes`: a `like_count` moved (albums and songs show it).
- `plays`: a `num_streams` moved (songs show it, also inside album details and search).
- `song:<id>`: that song's counters moved. A song's detail depends on it, on `songs` (the
  counters of songs not known one by one: bulk changes) and on `content`, not on `likes`
  or `plays`: under a stream of plays every other song's detail stays cached.

A change bumps the token at once and again after its transaction commits: the second bump
throws away anything a concurrent request cached between the first bump and the commit,
when it could still read the old rows. Cache errors never fail a request: reads and writes
are skipped (served uncached) and logged. If a bump cannot reach the cache, entries expire
after `CATALOG_CACHE_TIMEOUT` seconds (default 300), which bounds staleness in that case.

Reads that show `likes` or `plays` miss together: every listener's like or play replaces
those tokens, and the requests in flight then all find their response stale. So that they
do not all build the same response at once, the first miss under a generation claims the
build (`claim_build`) and the others wait for what it stores (`built_elsewhere`), for at
most `BUILD_WAIT` seconds; a builder that fails gives its claim up (`release_build`).
They serve what was built under the generation they read, as they would have built it.
"""

import functools
import hashlib
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from setlist.core import single_flight
from setlist.core.cache_clients import django_redis_client

logger = logging.getLogger(__name__)

CONTENT = "content"
LIKES = "likes"
PLAYS = "plays"
SONGS = "songs"
SCOPES = (CONTENT, LIKES, PLAYS)
REBUILT_OFTEN = frozenset({LIKES, PLAYS})  # bumped by every listener's like or play

DEFAULT_TIMEOUT = 300
BUILD_WAIT = 1.0  # seconds a miss waits for another request's build before its own
BUILD_CLAIM_TIMEOUT = 5  # seconds: a builder that died holds its claim no longer


def _responses_cache():
    return caches["default"]


def _generations_cache():
    # Tokens must be shared by every process: Redis is; local memory is not (see settings).
    return caches[getattr(settings, "CATALOG_GENERATION_CACHE", "default")]


def _generation_key(scope: str) -> str:
    return f"catalog:generation:{scope}"


def song_scope(song_id: int) -> str:
    """The scope of one song's counters (see the module docstring)."""
    return f"song:{int(song_id)}"


def _token_timeout(key: str) -> int | None:
    # A song's token may go when idle: recreated, it differs from every stored tag, so the
    # worst case is one miss. The few shared ones stay.
    if key.startswith(_generation_key("song:")):
        return getattr(settings, "CATALOG_CACHE_TIMEOUT", DEFAULT_TIMEOUT)
    return None


def _new_token() -> str:
    # Random, not a counter: a token evicted and recreated can never equal an old one.
    return uuid.uuid4().hex[:16]


def _read(cache, keys: list[str], found: dict, rate_limits=None) -> list:
    """Reads `keys` into `found`. On Redis, the missing tokens that may expire (a song's)
    are first created in the same round trip, as `_tokens` would create them after it: a
    song's detail, read for the first time in a while, then costs one trip, not two.
    `rate_limits` (a `DeferredLimits`, Redis only) go first in that round trip; returns
    their results."""
    client = django_redis_client(cache)
    expiring = [key for key in keys if _token_timeout(key) is not None]
    if client is None or not (expiring or rate_limits):
        found.update(cache.get_many(keys))
        return []
    pipeline = client.get_client(write=True).pipeline(transaction=False)
    counted = rate_limits.queue(pipeline) if rate_limits is not None else 0
    for key in expiring:
        client.set(key, _new_token(), timeout=_token_timeout(key), nx=True, client=pipeline)
    pipeline.mget([client.make_key(key) for key in keys])
    results = pipeline.execute()
    for key, value in zip(keys, results[-1], strict=True):
        if value is not None:
            found[key] = client.decode(value)
    return results[:counted]


def _tokens(keys: list[str], found: dict) -> str | None:
    """The tokens of `keys` joined, creating missing ones; None if the cache has none."""
    missing = [key for key in keys if key not in found]
    if missing:
        cache = _generations_cache()
        for key in missing:
            token = _new_token()
            if cache.add(key, token, timeout=_token_timeout(key)):
                found[key] = token
        lost = [key for key in missing if key not in found]  # another process added first
        if lost:
            found.update(cache.get_many(lost))
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


def _bump(keys: tuple[str, ...]) -> None:
    try:
        _set_tokens(_generations_cache(), {key: _new_token() for key in keys})
    except Exception as exc:
        logger.error("could not invalidate the catalog cache (%s)", ", ".join(keys), exc_info=exc)


def _set_tokens(cache, tokens: dict[str, str]) -> None:
    """Sets every token with its own expiry: in one round trip when the cache is Redis."""
    client = django_redis_client(cache)
    if client is not None:  # one pipeline, as django-redis's own set_many does
        pipeline = client.get_client(write=True).pipeline(transaction=False)
        for key, token in tokens.items():
            client.set(key, token, timeout=_token_timeout(key), client=pipeline)
        pipeline.execute()
        return
    for timeout in {_token_timeout(key) for key in tokens}:
        cache.set_many({k: v for k, v in tokens.items() if _token_timeout(k) == timeout}, timeout)


def _scopes_changed(scope: str, song_ids: Iterable[int] | None) -> list[str]:
    if scope not in SCOPES:
        raise ValueError(f"unknown catalog cache scope {scope!r}")
    if scope == CONTENT:
        return [CONTENT]
    songs = [SONGS] if song_ids is None else [song_scope(pk) for pk in song_ids]
    return [scope, *songs]


def catalog_cache_invalidate(
    *, scope: str = CONTENT, song_ids: Iterable[int] | None = None
) -> None:
    """Makes every cached catalog response that shows `scope` stale.

    Call it after changing what responses show without going through model signals:
    queryset `.update()`s, bulk inserts, and the `like_count`/`num_streams` counters
    (`scope=LIKES` or `scope=PLAYS`: only responses that show them are dropped). With those,
    `song_ids` names the songs whose counters moved (none for album and artist likes);
    left out, every song's detail is dropped too.
    Inside a transaction the bump is repeated after commit (once per transaction and key).
    """
    keys = tuple(_generation_key(name) for name in _scopes_changed(scope, song_ids))
    _bump(keys)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        pending = set()
        for _, callback, *_ in connection.run_on_commit:
            pending.update(getattr(callback, "catalog_keys", ()))
        later = tuple(key for key in keys if key not in pending)
        if later:
            after_commit = functools.partial(_bump, later)
            after_commit.catalog_keys = later
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
    stale_generation: str | None = None  # of the response found, if built under another


def response_lookup(
    *, name: str, url: str, scopes: tuple[str, ...], rate_limits=None
) -> Lookup | None:
    """The stored response for `url` if it was built under the current generation.

    None when the cache cannot answer: serve uncached and do not store. The request's
    deferred `rate_limits` (see `core.throttling`) are counted in the same round trip when
    the cache is Redis, else alone; an exceeded one raises `Throttled`.
    """
    keys = [_generation_key(scope) for scope in scopes]
    key = response_key(name=name, url=url)
    responses, generations = _responses_cache(), _generations_cache()
    one_trip = responses is generations and django_redis_client(responses) is not None
    if rate_limits is not None and not one_trip:
        rate_limits.settle_alone()
        rate_limits = None
    found: dict = {}
    counted = None
    try:
        if responses is generations:
            counted = _read(responses, [*keys, key], found, rate_limits)  # one round trip
        else:
            _read(generations, keys, found)
            _read(responses, [key], found)
        generation = _tokens(keys, found)
    except Exception as exc:
        logger.warning("catalog cache unavailable; serving uncached", exc_info=exc)
        generation = None
        if rate_limits is not None and counted is None:
            rate_limits.failed(exc)
            rate_limits = None
    if rate_limits is not None:
        rate_limits.settle(counted)
    if generation is None:
        return None
    stored = found.get(key)
    if stored is None:
        return Lookup(key=key, generation=generation, hit=None)
    if stored[0] != generation:
        return Lookup(key=key, generation=generation, hit=None, stale_generation=stored[0])
    return Lookup(key=key, generation=generation, hit=stored[1])


def response_store(lookup: Lookup, value: Any, *, timeout: int | None = None) -> bool:
    """Keeps `value` for the looked-up URL, tagged with the generation read before building
    it: if the catalog changed meanwhile, the tag is already stale and it is never served.
    Kept for `timeout` seconds (by default `CATALOG_CACHE_TIMEOUT`); whether it was."""
    if timeout is None:
        timeout = getattr(settings, "CATALOG_CACHE_TIMEOUT", DEFAULT_TIMEOUT)
    try:
        _responses_cache().set(lookup.key, (lookup.generation, value), timeout=timeout)
    except Exception as exc:
        logger.warning("could not store a catalog response in the cache", exc_info=exc)
        return False
    return True


def rebuilt_often(scopes: Iterable[str]) -> bool:
    """Whether reads showing `scopes` miss together often enough to build them once."""
    return not REBUILT_OFTEN.isdisjoint(scopes)


def _claim_key(lookup: Lookup) -> str:
    return f"{lookup.key}:building:{lookup.generation}"


def claim_build(lookup: Lookup) -> bool:
    """True for the first caller to build `lookup`'s response under its generation (it must
    then store it, or `release_build`); False while another caller holds that claim.
    True too when the cache cannot answer: then everyone builds, as without a claim."""
    return single_flight.claim(_responses_cache(), _claim_key(lookup), timeout=BUILD_CLAIM_TIMEOUT)


def release_build(lookup: Lookup) -> None:
    """Gives up a claim without storing (the build failed): the waiters build themselves."""
    single_flight.release(_responses_cache(), _claim_key(lookup))


def built_elsewhere(lookup: Lookup, *, wait: float = BUILD_WAIT) -> Any | None:
    """The response the claim holder stores for `lookup`, once it is there.

    None, so that the caller builds it, when the holder gives its claim up without storing,
    when `wait` seconds pass or when the cache fails.
    """
    claim, cache = _claim_key(lookup), _responses_cache()

    def look():
        found = cache.get_many([lookup.key, claim])
        stored = found.get(lookup.key)
        tag = None if stored is None else stored[0]
        if tag == lookup.generation:
            return stored[1]
        if claim not in found or tag != lookup.stale_generation:
            return None  # given up, or stored meanwhile by a build under another generation
        return single_flight.WAITING

    return single_flight.wait_for(look, wait=wait)
