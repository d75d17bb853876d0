"""Plays: one row per play and an exact `num_streams` on the song.

On PostgreSQL a play is one prepared statement: a data-modifying `WITH` finds the song if
the listener may see it, inserts the play and adds one to the song's counter, atomically (a
statement is its own transaction). Through the ORM the same write is a visibility read, an
insert and an update in a transaction: five round trips and 2.5 ms of Python where the
statement takes 0.5 ms, on the busiest write there is. Other databases (SQLite, for
development and the quick test run) take the ORM way.
"""

import functools

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from setlist.catalog.caching import PLAYS, catalog_cache_invalidate
from setlist.catalog.models import Album, Song, can_view_unpublished
from setlist.catalog.selectors import song_is_visible
from setlist.core.prepared import Statement
from setlist.core.sql import as_stored, quoted_name

from ..models import Play


class SongGone(Exception):
    """The song is not there for this listener: unknown, hidden from them, or deleted (or the
    listener was) while the play was recorded."""


def play_record(*, song_id: int, user=None) -> Play:
    """Record one play of the song `song_id` by `user` (or anonymous) and count one stream.

    Raises `SongGone`, recording nothing, if the listener may not see the song (as for
    reads: published, or any with view_unpublished) or it is deleted meanwhile. The
    counter moves in the same atomic write as the play, by adding one in the database:
    concurrent plays each add one, none is lost.
    """
    listener_id = user.pk if user is not None and user.is_authenticated else None
    play = Play(user_id=listener_id, song_id=song_id, played_at=timezone.now())
    record = _record_in_one_statement if connection.vendor == "postgresql" else _record_through_orm
    try:
        recorded = record(play, user)
    except IntegrityError as exc:  # a foreign key: deleted since the song was found
        raise SongGone(song_id) from exc
    if not recorded:
        raise SongGone(song_id)
    catalog_cache_invalidate(scope=PLAYS, song_ids=[song_id])  # cached pages show num_streams
    return play


def _record_through_orm(play: Play, user) -> bool:
    if not song_is_visible(user=user, song_id=play.song_id):
        return False
    with transaction.atomic():
        play.save(force_insert=True)
        Song.objects.filter(pk=play.song_id).update(num_streams=F("num_streams") + 1)
    return True


def _record_in_one_statement(play: Play, user) -> bool:
    # As `song_is_visible`: the listener's permissions are looked up only for a song that
    # is not published (or does not exist).
    return _insert_counted(play, any_album=False) or (
        can_view_unpublished(user) and _insert_counted(play, any_album=True)
    )


@functools.cache
def _counted_insert() -> Statement:
    """The song's visibility, the play's insert and the song's `num_streams + 1` as one
    statement, prepared (every lookup is by key). With `any_album` false, only a song on a
    published album is found. Only table and column names (from the models) are
    interpolated; every value is a parameter."""
    songs, song_id = quoted_name(Song), quoted_name(Song, "id")
    song_album, streams = quoted_name(Song, "album"), quoted_name(Song, "num_streams")
    albums, album_id = quoted_name(Album), quoted_name(Album, "id")
    published = quoted_name(Album, "is_published")
    columns = ", ".join(quoted_name(Play, field) for field in ("user", "song", "played_at"))
    sql = f"""
    WITH song AS (
        SELECT s.{song_id} FROM {songs} s
        WHERE s.{song_id} = %(song)s AND (
            %(any_album)s
            OR EXISTS (SELECT FROM {albums} a WHERE a.{album_id} = s.{song_album} AND a.{published})
        )
    ),
    counted AS (
        UPDATE {songs} SET {streams} = {streams} + 1 WHERE {song_id} IN (SELECT {song_id} FROM song)
    )
    INSERT INTO {quoted_name(Play)} ({columns})
    SELECT %(user)s, {song_id}, %(played_at)s FROM song
    RETURNING {quoted_name(Play, "id")}
    """  # noqa: S608
    return Statement("play_insert", sql, prepare=True)


def _insert_counted(play: Play, *, any_album: bool) -> bool:
    """Records `play` if its song is found (on a published album unless `any_album`)."""
    values = {
        "user": play.user_id,
        "song": play.song_id,
        "played_at": play.played_at,
        "any_album": any_album,
    }
    with connection.cursor() as cursor:
        _counted_insert().execute(cursor, values)
        row = cursor.fetchone()
    if row is None:
        return False
    play.id = row[0]
    as_stored(play)
    return True
