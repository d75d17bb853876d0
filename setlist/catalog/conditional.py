"""ETags, 304s and the anonymous response cache for catalog reads.

Every successful catalog read carries a weak `ETag` (a digest of the JSON it holds);
a matching `If-None-Match` gets 304 with no body (Django's `get_conditional_response`
decides). Anonymous reads are also kept in the cache (see `caching.py`) under the current
generation of what they show, so a repeated anonymous read costs no database query.
Signed-in reads are never cached: they may hold `liked` or unpublished rows.
"""

import hashlib
from collections.abc import Callable

from django.utils.cache import get_conditional_response, patch_vary_headers
from rest_framework.request import Request
from rest_framework.response import Response

from setlist.core.renderers import dumps

from . import caching


def etag_for(data) -> str:
    digest = hashlib.blake2b(dumps(data), digest_size=16).hexdigest()
    return f'W/"{digest}"'


class ConditionalReadMixin:
    """For views whose GETs are catalog reads. Set `cache_scopes` to what they show."""

    cache_scopes: dict[str, tuple[str, ...]] = {}
    default_cache_scopes: tuple[str, ...] = (caching.CONTENT,)

    def conditional_read(self, request: Request, name: str, build: Callable[[], Response]):
        """`build()`'s response, from the cache when anonymous, with ETag and maybe 304."""
        lookup = None
        if not request.user.is_authenticated:
            lookup = caching.response_lookup(
                name=name,
                # The absolute URL: links inside the body name the host and the query.
                url=request.build_absolute_uri(),
                scopes=self.cache_scopes.get(name, self.default_cache_scopes),
            )
            if lookup is not None and lookup.hit is not None:
                etag, data = lookup.hit
                return self._conditional(request, Response(data), etag)
        response = build()
        if response.status_code != 200:
            return response
        etag = etag_for(response.data)
        if lookup is not None:
            caching.response_store(lookup, (etag, response.data))
        return self._conditional(request, response, etag)

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
