"""Likes of songs, albums and artists, with exact `like_count`s.

Whether a like is new is decided by the database, against the unique (user, item)
constraint, and the item's counter moves by one in the database in the same atomic write,
only when a row was really inserted or deleted: twenty racing PUTs of one like add exactly
one, and racing likes and unlikes leave the counter equal to the rows.

Each like or unlike first locks the liked item's row. The counter update would take that
lock anyway (so likes of one item were already serialised); taking it first means a PUT
never races an unlike of the same like, and that every writer (account deletion too) takes
the item before the like, so that they cannot deadlock.

On PostgreSQL a like or an unlike is one statement: lock, insert or delete, and counter
(`_Statements`), one round trip with no transaction around it, on the write listeners make
most. Elsewhere (SQLite) the same steps go through the ORM in a transaction.
"""

import functools

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from setlist.catalog.caching import LIKES, catalog_cache_invalidate
from setlist.catalog.models import Album, Artist, Song
from setlist.core.prepared import Statement
from setlist.core.sql import as_stored, quoted_name

from ..models import AlbumLike, ArtistLike, SongLike


class ItemGone(Exception):
    """The item to like was deleted after the caller found it."""


def _like_add(like_model, item: models.Model, *, user, field: str) -> tuple[models.Model, bool]:
    """Likes `item`; returns the like and whether it is new, and sets `item.like_count`
    to the item's count just after (read under the item's lock)."""
    if connection.vendor == "postgresql":
        like, created = _add_in_one_statement(like_model, item, user=user, field=field)
    else:
        like, created = _add_through_orm(like_model, item, user=user, field=field)
    setattr(like, field, item)  # as given, with its count just set
    if created:
        _counts_moved(type(item), item.pk)
    return like, created


def _like_remove(like_model, item_model, item_id: int, *, user, field: str) -> bool:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            _statements(like_model, field).remove.execute(
                cursor, {"user": user.pk, "item": item_id}
            )
            removed = cursor.rowcount == 1
    else:
        removed = _remove_through_orm(like_model, item_model, item_id, user=user, field=field)
    if removed:
        _counts_moved(item_model, item_id)
    return removed


def _counts_moved(item_model, item_id: int) -> None:
    """Cached catalog pages show like_count: drop those showing this item's."""
    catalog_cache_invalidate(scope=LIKES, song_ids=[item_id] if item_model is Song else ())


def _locked_count(item_model, item_id: int) -> int | None:
    """Locks the item's row and reads its count; None when there is no such item."""
    found = item_model.objects.select_for_update().filter(pk=item_id).values_list("like_count")
    return found[0][0] if found else None


@transaction.atomic
def _add_through_orm(like_model, item, *, user, field: str) -> tuple[models.Model, bool]:
    count = _locked_count(type(item), item.pk)
    if count is None:
        raise ItemGone(item.pk)
    like, created = like_model.objects.get_or_create(user=user, **{field: item})
    if created:
        type(item).objects.filter(pk=item.pk).update(like_count=F("like_count") + 1)
    item.like_count = count + created
    return like, created


@transaction.atomic
def _remove_through_orm(like_model, item_model, item_id: int, *, user, field: str) -> bool:
    _locked_count(item_model, item_id)
    deleted, _ = like_model.objects.filter(user=user, **{f"{field}_id": item_id}).delete()
    if deleted:
        item_model.objects.filter(pk=item_id).update(like_count=F("like_count") - 1)
    return bool(deleted)


def _add_in_one_statement(like_model, item, *, user, field: str) -> tuple[models.Model, bool]:
    """Inserts the like unless it exists and counts it if new, in one statement.

    The statement also reads the like as it was (in its snapshot). A like committed while
    the statement waited for the lock is in neither: a second statement then reads it, and
    if it was removed again meanwhile, the like is tried again.
    """
    statement = _statements(like_model, field).add
    while True:
        now = timezone.now()
        with connection.cursor() as cursor:
            statement.execute(cursor, {"user": user.pk, "item": item.pk, "now": now})
            row = cursor.fetchone()
        if row is None:
            raise ItemGone(item.pk)
        item.like_count, added_id, prior_id, prior_liked_at = row
        if added_id is not None:
            like = like_model(id=added_id, user=user, created_at=now, **{field: item})
            return as_stored(like), True
        if prior_id is not None:
            like = like_model(id=prior_id, user=user, created_at=prior_liked_at, **{field: item})
            return as_stored(like), False
        existing = like_model.objects.filter(user=user, **{field: item}).first()
        if existing is not None:
            return existing, False


class _Statements:
    """A like's insert and an unlike's delete, each with the item's lock and counter, as
    single PostgreSQL statements, prepared (every lookup is by key). Only quoted names
    from the models are interpolated; every value is a parameter."""

    def __init__(self, like_model, field: str):
        item_model = like_model._meta.get_field(field).related_model
        items, item_id = quoted_name(item_model), quoted_name(item_model, "id")
        count = quoted_name(item_model, "like_count")
        likes, like_id = quoted_name(like_model), quoted_name(like_model, "id")
        user_col, item_col = quoted_name(like_model, "user"), quoted_name(like_model, field)
        liked_at = quoted_name(like_model, "created_at")
        lock = f"SELECT {item_id}, {count} FROM {items} WHERE {item_id} = %(item)s FOR UPDATE"  # noqa: S608
        # The sub-statements that read another's output run after it: the item's row is
        # locked before the like's, as everywhere. Under the lock, `item` reads the current
        # count (READ COMMITTED re-reads a row it had to wait for); `prior`, from the
        # statement's snapshot, the like as it was before.
        add = f"""
        WITH item AS ({lock}),
        added AS (
            INSERT INTO {likes} ({user_col}, {item_col}, {liked_at})
            SELECT %(user)s, {item_id}, %(now)s FROM item
            ON CONFLICT ({user_col}, {item_col}) DO NOTHING
            RETURNING {like_id}
        ),
        counted AS (
            UPDATE {items} SET {count} = {count} + 1
            WHERE {item_id} = %(item)s AND EXISTS (SELECT FROM added)
            RETURNING {count}
        )
        SELECT COALESCE(counted.{count}, item.{count}), added.{like_id},
               prior.{like_id}, prior.{liked_at}
        FROM item
        LEFT JOIN added ON true
        LEFT JOIN counted ON true
        LEFT JOIN {likes} AS prior ON prior.{user_col} = %(user)s AND prior.{item_col} = %(item)s
        """  # noqa: S608
        remove = f"""
        WITH item AS ({lock}),
        removed AS (
            DELETE FROM {likes}
            WHERE {user_col} = %(user)s AND {item_col} = %(item)s AND EXISTS (SELECT FROM item)
            RETURNING {item_col}
        )
        UPDATE {items} SET {count} = {count} - 1
        WHERE {item_id} = %(item)s AND EXISTS (SELECT FROM removed)
        """  # noqa: S608
        self.add = Statement(f"{field}_like", add, prepare=True)
        self.remove = Statement(f"{field}_unlike", remove, prepare=True)


@functools.cache
def _statements(like_model, field: str) -> _Statements:
    return _Statements(like_model, field)


def song_like_add(*, user, song: Song) -> tuple[SongLike, bool]:
    """Like `song`; returns the like and whether it is new, and sets `song.like_count` to
    the count just after. Idempotent. Raises `ItemGone` if the song was deleted."""
    return _like_add(SongLike, song, user=user, field="song")


def song_like_remove(*, user, song_id: int) -> bool:
    """Unlike; returns whether there was a like. Idempotent."""
    return _like_remove(SongLike, Song, song_id, user=user, field="song")


def album_like_add(*, user, album: Album) -> tuple[AlbumLike, bool]:
    return _like_add(AlbumLike, album, user=user, field="album")


def album_like_remove(*, user, album_id: int) -> bool:
    return _like_remove(AlbumLike, Album, album_id, user=user, field="album")


def artist_like_add(*, user, artist: Artist) -> tuple[ArtistLike, bool]:
    return _like_add(ArtistLike, artist, user=user, field="artist")


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
