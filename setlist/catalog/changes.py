"""What follows a catalog change: recount the affected genres and artists, drop cached responses.

Model signals (see `signals.py`) report each change with `catalog_changed()`. Alone, a change
is acted on at once. Inside `catalog_changes()` (services that touch many rows: cascades,
publishing many albums, imports) the work is collected and done once at the end, in the
same transaction: one recount per genre and artist, one cache bump.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction

from .caching import CONTENT, catalog_cache_invalidate
from .counters import artist_counts_refresh, genre_counts_refresh


@dataclass
class _Pending:
    artist_ids: set[int | None] = field(default_factory=set)
    genre_ids: set[int | None] = field(default_factory=set)


_pending: ContextVar[_Pending | None] = ContextVar("catalog_pending_changes", default=None)


def catalog_changed(
    *, artist_ids: Iterable[int | None] = (), genre_ids: Iterable[int | None] = ()
) -> None:
    """Records one change: these artists' and genres' counts may be wrong now."""
    pending = _pending.get()
    if pending is not None:
        pending.artist_ids.update(artist_ids)
        pending.genre_ids.update(genre_ids)
        return
    _apply(_Pending(set(artist_ids), set(genre_ids)))


def _apply(pending: _Pending) -> None:
    # Artists before genres: the lock order every writer follows (see counters.py).
    artist_counts_refresh(artist_ids=pending.artist_ids)
    genre_counts_refresh(genre_ids=pending.genre_ids)
    catalog_cache_invalidate(scope=CONTENT)


@contextmanager
def catalog_changes() -> Iterator[None]:
    """Runs the block in a transaction and acts on the changes it made once, at its end."""
    if _pending.get() is not None:  # nested: the outermost block acts
        yield
        return
    pending = _Pending()
    token = _pending.set(pending)
    try:
        with transaction.atomic():
            yield
            _pending.reset(token)
            token = None
            _apply(pending)
    finally:
        if token is not None:
            _pending.reset(token)
