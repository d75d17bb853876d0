"""Likes of songs, albums and artists, with exact `like_count`s.

Whether a like is new is decided by the database: the insert runs in a savepoint
(`get_or_create`) against the unique (user, item) constraint. The item's counter moves
with an `F()` update in the same transaction, and only when a row was really inserted
or deleted — so twenty racing PUTs of one like add exactly one.

Each like or unlike first locks the liked item's row. The counter update would take that
lock anyway (so likes of one item were already serialised at commit); taking it first
means a PUT never races an unlike of the same like: without it, a PUT could lose its
insert to a concurrent like and then find that row already unliked again.
"""

from django.db import models, transaction
from django.db.models import F

from setlist.catalog.caching import LIKES, catalog_cache_invalidate
from setlist.catalog.models import Album, Artist, Song

from ..models import AlbumLike, ArtistLike, SongLike


def _lock(item_model, item_id: int) -> None:
    list(item_model.objects.select_for_update().filter(pk=item_id).values_list("pk"))


def _counts_moved(item_model, item_id: int) -> None:
    """Cached catalog pages show like_count: drop those showing this item's."""
    catalog_cache_invalidate(scope=LIKES, song_ids=[item_id] if item_model is Song else ())


def _like_add(like_model, item: models.Model, *, user, field: str) -> tuple[models.Model, bool]:
    _lock(type(item), item.pk)
    like, created = like_model.objects.get_or_create(user=user, **{field: item})
    if created:
        type(item).objects.filter(pk=item.pk).update(like_count=F("like_count") + 1)
        _counts_moved(type(item), item.pk)
    return like, created


def _like_remove(like_model, item_model, item_id: int, *, user, field: str) -> bool:
    _lock(item_model, item_id)
    deleted, _ = like_model.objects.filter(user=user, **{f"{field}_id": item_id}).delete()
    if deleted:
        item_model.objects.filter(pk=item_id).update(like_count=F("like_count") - 1)
        _counts_moved(item_model, item_id)
    return bool(deleted)


@transaction.atomic
def song_like_add(*, user, song: Song) -> tuple[SongLike, bool]:
    """Like `song`; returns the like and whether it is new. Idempotent."""
    return _like_add(SongLike, song, user=user, field="song")


@transaction.atomic
def song_like_remove(*, user, song_id: int) -> bool:
    """Unlike; returns whether there was a like. Idempotent."""
    return _like_remove(SongLike, Song, song_id, user=user, field="song")


@transaction.atomic
def album_like_add(*, user, album: Album) -> tuple[AlbumLike, bool]:
    return _like_add(AlbumLike, album, user=user, field="album")


@transaction.atomic
def album_like_remove(*, user, album_id: int) -> bool:
    return _like_remove(AlbumLike, Album, album_id, user=user, field="album")


@transaction.atomic
def artist_like_add(*, user, artist: Artist) -> tuple[ArtistLike, bool]:
    return _like_add(ArtistLike, artist, user=user, field="artist")


@transaction.atomic
def artist_like_remove(*, user, artist_id: int) -> bool:
    return _like_remove(ArtistLike, Artist, artist_id, user=user, field="artist")


@transaction.atomic
def user_like_counts_release(*, user) -> None:
    """Take back every count the user's likes added, before those likes are deleted.

    One grouped `F()` update per kind of item (a user likes an item at most once, so each
    liked item loses exactly one), not one query per like. The items are locked first in
    id order, so two accounts deleted at once cannot deadlock on items both liked.
    """
    for like_model, item_model, field in (
        (SongLike, Song, "song"),
        (AlbumLike, Album, "album"),
        (ArtistLike, Artist, "artist"),
    ):
        liked = item_model.objects.filter(
            pk__in=like_model.objects.filter(user=user).values(f"{field}_id")
        )
        list(liked.select_for_update().order_by("pk").values_list("pk"))
        liked.update(like_count=F("like_count") - 1)
    catalog_cache_invalidate(scope=LIKES)
