"""The caller's own part of a shared catalog read: the `liked` flags of the songs shown.

Everyone who cannot see unpublished albums sees the same catalog. Their reads are built
(and cached) once for all of them, as for an anonymous caller, and each signed-in caller's
`liked` flags are then set with one indexed query over the songs on the page.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Exists, OuterRef, Subquery

from setlist.accounts.selectors import NOT_ASKED, CallerQuestion
from setlist.core.prepared import CompiledQuery

from .models import can_view_unpublished


def shares_catalog(user) -> bool:
    """Whether `user` sees the catalog everyone sees (no unpublished albums)."""
    return not can_view_unpublished(user)


def catalog_reader(user):
    """Whom a catalog read is built for: anybody, unless `user` may see more than that."""
    return AnonymousUser() if shares_catalog(user) else user


def liked_among(user, song_ids: Iterable[int]) -> set[int]:
    """Which of `song_ids` `user` likes (none for anonymous callers). For one song, the
    caller's row may already have said (`LIKES_THE_SONG`)."""
    ids = sorted(set(song_ids))
    if not ids or not user.is_authenticated:
        return set()
    if len(ids) == 1:
        answer = LIKES_THE_SONG.answer(user, ids[0])
        if answer is not NOT_ASKED:
            return set(ids) if answer else set()
    return _liked_among(user.pk, ids)


def mark_liked(songs: Iterable[dict], liked: set[int]) -> None:
    """Sets `liked` on each song dict: whether its id is in `liked`."""
    for song in songs:
        song["liked"] = song["id"] in liked


def _liked_among(user_id: int, song_ids: list[int]) -> set[int]:
    """Which of `song_ids` the user likes: one probe of the (user, song) unique index each."""
    if len(song_ids) == 1:
        rows = _LIKED_ONE.rows(user_id, song_ids[0])
    elif connection.vendor == "postgresql":
        rows = _LIKED_AMONG.rows(user_id, song_ids)
    else:
        rows = _likes(user_id=user_id, song_id__in=song_ids)
    return {row[0] for row in rows}


def liked_by(user_id, song=None) -> Subquery:
    """For an annotation of songs (or of rows that name one: `song`, an `OuterRef` to its
    id): the song's id if the user `user_id` likes it, else NULL.

    A scalar subquery, not `Exists`: PostgreSQL may run an EXISTS as one hashed scan of
    the user's likes, and a prepared (generic) plan did, reading all 100 000 likes of a
    heavy listener for a page of 50 songs (80 ms). A scalar subquery is one probe of the
    (user, song) unique index a song, whatever the plan.
    """
    song = OuterRef("pk") if song is None else song
    return Subquery(_likes(user_id=user_id, song_id=song)[:1])


def _likes(**lookup):
    from setlist.library.models import SongLike  # library depends on catalog, not back

    return SongLike.objects.filter(**lookup).order_by().values_list("song_id")


# Whether the caller likes the song of a song detail, asked with their row when they sign
# in with a JWT (see `SongViewSet.caller_question`): one round trip fewer a detail.
LIKES_THE_SONG = CallerQuestion(
    "likes_song", lambda user, song: Exists(_likes(user_id=user, song_id=song)), read=bool
)


# Whether a user likes one song: both keys of the unique index, so one plan fits all
# (prepared). Asked on a signed-in song detail whose caller's row did not answer it (an
# API key, a session).
_LIKED_ONE = CompiledQuery(
    "song_liked",
    lambda user, song: _likes(user_id=user, song_id=song),
    markers=(-1, -2),
    prepare=True,
)
# Among a page of songs, with the ids as one array parameter: building the ORM query for a
# 50-id IN list cost more than running it (1.4 ms against 0.4 ms a signed-in page). Not
# prepared: a generic plan for "this user's likes among these songs" walked all 100 000
# likes of a heavy listener (23 ms) where a fresh plan probes 50 keys.
_LIKED_AMONG = CompiledQuery(
    "songs_liked",
    # `song__pk`: the foreign key itself takes only related lookups; the join is trimmed.
    lambda user, songs: _likes(user_id=user, song__pk__any_of=songs),
    markers=(-1, [-1]),
)
