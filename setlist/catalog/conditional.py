"""ETags, 304s and the shared response cache for catalog reads.

Every successful catalog read carries a weak `ETag` (a digest of the JSON it holds);
a matching `If-None-Match` gets 304 with no body (Django's `get_conditional_response`
decides). Reads of the catalog everyone sees are also kept in the cache (see `caching.py`)
under the current generation of what they show, so a repeated read costs no query for the
catalog. Signed-in listeners share those reads and get their own `liked` flags on top
(see `personal.py`); reads of those who may see unpublished albums are never cached.
"""

import hashlib
from collections.abc import Callable

from django.utils.cache import get_conditional_response, patch_vary_headers
from rest_framework.request import Request
from rest_framework.response import Response

from setlist.core.renderers import dumps

from . import caching, personal


def etag_for(data) -> str:
    digest = hashlib.blake2b(dumps(data), digest_size=16).hexdigest()
    return f'W/"{digest}"'


class ConditionalReadMixin:
    """For views whose GETs are catalog reads. Set `cache_scopes` to what they show.

    Querysets for reads are built for `catalog_reader()`, not for the caller, so that one
    cached body serves every caller who sees the shared catalog.
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
        user = request.user
        shared = personal.shares_catalog(user)
        lookup = None
        if shared:
            lookup = caching.response_lookup(
                name=name,
                # The absolute URL: links inside the body name the host and the query.
                url=request.build_absolute_uri(),
                scopes=self.read_scopes(name),
            )
        if lookup is not None and lookup.hit is not None:
            etag, data = lookup.hit
            response = Response(data)
        else:
            response = build()
            if response.status_code != 200:
                return response
            etag = etag_for(response.data)
            if lookup is not None:
                caching.response_store(lookup, (etag, response.data))
        if shared and personal.mark_liked(user, self.songs_shown(name, response.data)):
            etag = etag_for(response.data)
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
