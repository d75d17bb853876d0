"""ETags, 304s and the shared response cache for catalog reads.

Every successful catalog read carries a weak `ETag` (a digest of the JSON it holds);
a matching `If-None-Match` gets 304 with no body (Django's `get_conditional_response`
decides). Reads of the catalog everyone sees are also kept in the cache (see `caching.py`)
under the current generation of what they show, so a repeated read costs no query for the
catalog. Signed-in listeners share those reads and get their own `liked` flags on top
(see `personal.py`); reads of those who may see unpublished albums are never cached.

The cache keeps the rendered JSON, its ETag and the ids of the songs in it: a hit is sent
as stored, without decoding or rendering anything, unless the caller likes one of those
songs (then their flags are set on the decoded data). Unpickling and re-rendering a
50-song page cost more than the rest of a cached read together.
"""

import hashlib
from collections.abc import Callable
from typing import NamedTuple

import orjson
from django.utils.cache import get_conditional_response, patch_vary_headers
from rest_framework.request import Request
from rest_framework.response import Response

from setlist.core import throttling
from setlist.core.renderers import PrerenderedResponse, dumps

from . import caching, personal


def etag_of(body: bytes) -> str:
    """A weak ETag: a digest of the JSON body."""
    return f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


class RenderedRead(NamedTuple):
    """A read as the cache keeps it: the JSON body, its ETag, the ids of its songs."""

    body: bytes
    etag: str
    song_ids: tuple[int, ...]


class ConditionalReadMixin(throttling.RideAlongRateLimitsMixin):
    """For views whose GETs are catalog reads. Set `cache_scopes` to what they show.

    Querysets for reads are built for `catalog_reader()`, not for the caller, so that one
    cached body serves every caller who sees the shared catalog. The rate limits of a read
    are counted with its cache lookup, in the same round trip.
    """

    cache_scopes: dict[str, tuple[str, ...]] = {}
    default_cache_scopes: tuple[str, ...] = (caching.CONTENT,)

    def read_scopes(self, name: str) -> tuple[str, ...]:
        """The cache scopes the read `name` of this request shows (see `caching.py`)."""
        return self.cache_scopes.get(name, self.default_cache_scopes)

    def songs_shown(self, name: str, data) -> list[dict]:
        """The songs in the body of the read `name`, whose `liked` is the caller's."""
        return []

    def catalog_reader(self):
        return personal.catalog_reader(self.request.user)

    def conditional_read(self, request: Request, name: str, build: Callable[[], Response]):
        """`build()`'s response, from the shared cache when it can, with ETag and maybe 304."""
        rate_limits = throttling.take_deferred(request)
        user = request.user
        if not personal.shares_catalog(user):  # built for this caller, liked flags included
            if rate_limits is not None:
                rate_limits.settle_alone()
            response = build()
            if response.status_code != 200:
                return response
            return self._rendered(request, response.data)

        found = self._shared_read(request, name, build, rate_limits)
        if isinstance(found, Response):  # the build did not succeed: sent as it is
            return found
        read, data = found
        liked = personal.liked_among(user, read.song_ids)
        if not liked:  # the shared body says liked: false everywhere, which is true here
            return self._conditional(request, PrerenderedResponse(read.body, data), read.etag)
        data = orjson.loads(read.body)
        personal.mark_liked(self.songs_shown(name, data), liked)
        return self._rendered(request, data)

    def _shared_read(self, request: Request, name: str, build: Callable[[], Response], rate_limits):
        """`(read, data)` of the catalog everyone shares: stored, stored meanwhile by the
        request that claimed its build, or built here (and stored). `data` is None unless
        built here. A response instead when the build does not succeed (a 404, say)."""
        scopes = self.read_scopes(name)
        lookup = caching.response_lookup(
            name=name,
            # The absolute URL: links inside the body name the host and the query.
            url=request.build_absolute_uri(),
            scopes=scopes,
            rate_limits=rate_limits,
        )
        if lookup is None:
            return self._built(name, build)
        if lookup.hit is not None:
            return RenderedRead(*lookup.hit), None
        contended = caching.rebuilt_often(scopes)
        claimed = contended and caching.claim_build(lookup)
        if contended and not claimed:
            hit = caching.built_elsewhere(lookup)
            if hit is not None:
                return RenderedRead(*hit), None
        built = None
        try:
            built = self._built(name, build)
        finally:
            if claimed and not isinstance(built, tuple):  # no response to wait for
                caching.release_build(lookup)
        if isinstance(built, tuple):
            caching.response_store(lookup, tuple(built[0]))
        return built

    def _built(self, name: str, build: Callable[[], Response]):
        """`(read, data)` of a successful `build()`; its response when it is not a 200."""
        response = build()
        if response.status_code != 200:
            return response
        data = response.data
        body = dumps(data)
        ids = tuple(song["id"] for song in self.songs_shown(name, data))
        return RenderedRead(body, etag_of(body), ids), data

    def _rendered(self, request: Request, data):
        body = dumps(data)
        return self._conditional(request, PrerenderedResponse(body, data), etag_of(body))

    @staticmethod
    def _conditional(request: Request, response: Response, etag: str):
        response["ETag"] = etag
        # Clients and proxies may keep it, but must ask again (cheaply, with the ETag).
        response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return get_conditional_response(request._request, etag=etag, response=response)


class ConditionalListRetrieveMixin(ConditionalReadMixin):
    """`list` and `retrieve` of a viewset, through `conditional_read`."""

    def list(self, request, *args, **kwargs):
        return self.conditional_read(
            request,
            f"{self.basename}-list",
            lambda: super(ConditionalListRetrieveMixin, self).list(request, *args, **kwargs),
        )

    def retrieve(self, request, *args, **kwargs):
        return self.conditional_read(
            request,
            f"{self.basename}-detail",
            lambda: super(ConditionalListRetrieveMixin, self).retrieve(request, *args, **kwargs),
        )
