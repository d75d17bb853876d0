"""Denormalised counts on genres and artists, recounted from the rows they summarise.

`Genre.published_song_count`/`total_song_count` and `Artist.published_album_count`/
`total_album_count` let lists show and order by counts at a million songs without an
aggregate per request.

Why recount instead of adding and subtracting one: a song moves to another genre, an album
is published, a cascade removes twenty songs — a recount is right after all of them. It is
also exact under concurrency: the summarised rows are locked first (`SELECT ... FOR UPDATE`,
in id order, artists before genres so that no two writers wait on each other in a cycle),
and the count runs as a new statement once the lock is held. Under READ COMMITTED that
statement sees every transaction that recounted before (they kept the lock until they
committed) plus this transaction's own changes, so the last recount is always exact.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .models import Album, Artist, Genre, Song


def _count_of(queryset, group_by: str) -> Coalesce:
    """A correlated `COUNT(*)` of `queryset` rows whose `group_by` is the outer row."""
    counted = (
        queryset.filter(**{group_by: OuterRef("pk")})
        .order_by()
        .values(group_by)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def _genre_counts() -> dict:
    return {
        "published_song_count": _count_of(Song.objects.filter(album__is_published=True), "genre"),
        "total_song_count": _count_of(Song.objects.all(), "genre"),
    }


def _artist_counts() -> dict:
    return {
        "published_album_count": _count_of(Album.objects.filter(is_published=True), "artist"),
        "total_album_count": _count_of(Album.objects.all(), "artist"),
    }


def _lock(model, ids: set[int]) -> list[int]:
    return list(
        model.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def genre_counts_refresh(*, genre_ids: Iterable[int | None]) -> None:
    """Recounts the songs of the given genres (None entries are ignored)."""
    ids = {pk for pk in genre_ids if pk is not None}
    if ids:
        locked = _lock(Genre, ids)
        Genre.objects.filter(pk__in=locked).update(**_genre_counts())


@transaction.atomic
def artist_counts_refresh(*, artist_ids: Iterable[int | None]) -> None:
    """Recounts the albums of the given artists (None entries are ignored)."""
    ids = {pk for pk in artist_ids if pk is not None}
    if ids:
        locked = _lock(Artist, ids)
        Artist.objects.filter(pk__in=locked).update(**_artist_counts())


@transaction.atomic
def catalog_counts_rebuild() -> None:
    """Recounts every genre and artist: for bulk loads, which bypass `save()` and signals.

    Artists: one correlated count each, served by the (artist, year) index. Genres: one
    grouped pass over the songs, far cheaper at a million songs than a count per genre.
    """
    Artist.objects.update(**_artist_counts())
    counts = {
        row["genre"]: row
        for row in Song.objects.order_by()
        .values("genre")
        .annotate(
            published=Count("pk", filter=Q(album__is_published=True)),
            total=Count("pk"),
        )
    }
    genres = list(Genre.objects.select_for_update().order_by("pk"))
    for genre in genres:
        genre.published_song_count = counts.get(genre.pk, {}).get("published", 0)
        genre.total_song_count = counts.get(genre.pk, {}).get("total", 0)
    Genre.objects.bulk_update(genres, ["published_song_count", "total_song_count"])
