"""Songs as every page shows them, read by id in one query that is compiled once.

A *card* is a song as `SongSerializer` documents it (its album, artist and genre folded
in). Song details and the songs on playlists are read as cards, by id; pages of likes and
history read their songs' cards with the page (`carried`). Reading them as model
instances cost far more than the query: at a million songs, 42 ms for a page of 50 likes
(the prefetch compiled a 50-tuple IN list and built 200 model instances) and 4.3 ms for
one song, where the same SQL takes 4 ms and 0.9 ms. So the ORM builds the SQL once per
process (on PostgreSQL with the ids as one array parameter, `__any_of`), PostgreSQL plans
it once per connection (`core.prepared`), and rows become dicts directly. On other
databases a list of ids is built by the ORM each time.

For a signed-in caller the same query also says which of the songs they like (`liked_by`),
one index probe a song: a playlist page, or a page of history, is then one read, not two.
"""

from collections.abc import Collection

from django.db import connection
from django.db.models import OuterRef, QuerySet

from setlist.core.fields import utc_timestamp
from setlist.core.prepared import CompiledQuery

from . import personal
from .models import Song

# The columns of a card, in the order `card` reads them.
FIELDS = (
    "id",
    "title",
    "track_number",
    "duration_ms",
    "composer",
    "album_id",
    "album__title",
    "album__artist_id",
    "album__artist__name",
    "genre__slug",
    "genre__name",
    "num_streams",
    "like_count",
    "created_at",
)


def card(row: tuple) -> dict:
    """A card from one row of `FIELDS`, then maybe whether the caller likes it (else False,
    until the caller sets it)."""
    (pk, title, track, duration, composer, album_id, album_title, artist_id, artist_name) = row[:9]
    genre_slug, genre_name, streams, likes, created_at = row[9:14]
    return {
        "id": pk,
        "title": title,
        "track_number": track,
        "duration_ms": duration,
        "composer": composer,
        "album": {"id": album_id, "title": album_title},
        "artist": {"id": artist_id, "name": artist_name},
        "genre": None if genre_slug is None else {"slug": genre_slug, "name": genre_name},
        "num_streams": streams,
        "like_count": likes,
        "liked": bool(row[14]) if len(row) > 14 else False,
        "created_at": utc_timestamp(created_at),
    }


def carried(rows: QuerySet, *columns: str, liked_by=None) -> QuerySet:
    """`rows` (of a model with a `song` foreign key) as `.values()` of `columns` and of
    their song's card, with `liked_by` (a user id) whether that user likes it: a page of
    likes or plays is then one read (see `carried_card`)."""
    if liked_by is None:
        return rows.values(*columns, *_CARRIED)
    liked = personal.liked_by(liked_by, song=OuterRef("song_id"))
    return rows.annotate(**{_CARRIED_LIKED: liked}).values(*columns, *_CARRIED, _CARRIED_LIKED)


def carried_card(row: dict, *, liked: bool | None = None) -> dict:
    """The card of a row read by `carried`; `liked` if the caller knows it already."""
    values = [row[name] for name in _CARRIED]
    return card((*values, row[_CARRIED_LIKED] if liked is None else liked))


# A card's columns and the `liked` flag as `carried` names them.
_CARRIED = tuple(f"song__{field}" for field in FIELDS)
_CARRIED_LIKED = "song_liked"


def _rows(published_only: bool, liked_by=None, **lookup):
    songs = Song.objects.filter(**lookup).order_by()
    if published_only:
        songs = songs.filter(album__is_published=True)
    if liked_by is None:
        return songs.values_list(*FIELDS)
    return songs.annotate(liked=personal.liked_by(liked_by)).values_list(*FIELDS, "liked")


# The SQL of `_rows` for one id, and for a list of ids as one array parameter (PostgreSQL),
# by `published_only`, and with a user's `liked` flags. All prepared: whatever the ids, the
# best plan probes the primary keys (one card 1.4 -> 0.4 ms, a page of 50 cards 4.2 -> 2.7
# ms), then for `liked` both keys of the (user, song) unique index.
_ONE = {
    published: CompiledQuery("song_card", lambda pk, p=published: _rows(p, pk=pk), prepare=True)
    for published in (True, False)
}
_MANY = {
    published: CompiledQuery(
        "song_cards",
        lambda ids, p=published: _rows(p, pk__any_of=ids),
        markers=([-1],),
        prepare=True,
    )
    for published in (True, False)
}
_MANY_LIKED = {
    published: CompiledQuery(
        "song_cards_liked",
        lambda ids, user, p=published: _rows(p, liked_by=user, pk__any_of=ids),
        markers=([-1], -2),
        prepare=True,
    )
    for published in (True, False)
}


def song_cards(
    ids: Collection[int], *, published_only: bool, liked_by: int | None = None
) -> dict[int, dict]:
    """The cards of the songs `ids` that exist (and are published, if asked), by id; with
    `liked_by` (a user id), `liked` says whether that user likes each song."""
    ids = list(ids)
    if not ids:
        return {}
    if liked_by is not None:
        if connection.vendor == "postgresql":
            rows = _MANY_LIKED[published_only].rows(ids, liked_by)
        else:
            rows = _rows(published_only, liked_by=liked_by, pk__in=ids)
    elif len(ids) == 1:
        rows = _ONE[published_only].rows(ids[0])
    elif connection.vendor == "postgresql":
        rows = _MANY[published_only].rows(ids)
    else:
        rows = _rows(published_only, pk__in=ids)
    return {row[0]: card(row) for row in rows}
