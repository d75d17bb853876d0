"""Reads of the listener's library, shaped for the serializers.

Every list hides rows whose song or album the caller cannot see (see `visibility`), and
reads a page in the same number of queries whatever its size: pages of likes and history
carry their songs' cards (`catalog.cards.carried`); playlist views read the cards of a
page in one query (`views.cards`).
"""

import functools

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from setlist.catalog import cards
from setlist.catalog.models import can_view_unpublished
from setlist.core.keyset import KeysetList, KeysetRows

from .models import AlbumLike, ArtistLike, Play, Playlist, PlaylistEntry, SongLike
from .visibility import published_song_q, visible_album_q, visible_song_q

# --- Likes ---------------------------------------------------------------------------------


def _visible_rows(model, published_only: bool, user_id) -> QuerySet:
    rows = model.objects.filter(user_id=user_id)
    return rows.filter(published_song_q()) if published_only else rows


def _pages_by_visibility(name: str, model, moment: str, *, all_liked: bool):
    """A long list of the user's rows (id, `moment`, song_id, and the song's `"card"`),
    read a page at a time by statements compiled once (`core.keyset`), by whether only
    published songs count. The cards' `liked` flags are the user's own (the second
    value given to `rows()`), or all true if `all_liked`."""

    def build(published_only, user, liker=None):
        rows = _visible_rows(model, published_only, user)
        return cards.carried(rows, "id", moment, "song_id", liked_by=liker)

    def shape(row):
        card = cards.carried_card(row, liked=True if all_liked else None)
        return {"id": row["id"], moment: row[moment], "song_id": row["song_id"], "card": card}

    return {
        published_only: KeysetList(
            name,
            functools.partial(build, published_only),
            markers=(-1,) if all_liked else (-1, -2),
            shape=shape,
        )
        for published_only in (True, False)
    }


_SONG_LIKES = _pages_by_visibility("song_likes", SongLike, "created_at", all_liked=True)
_PLAYS = _pages_by_visibility("plays", Play, "played_at", all_liked=False)


def song_like_list(*, user) -> KeysetRows:
    """The user's likes of songs they can see (the view orders them, newest first), as
    dicts of what a page shows, each with its song's `"card"`. Dicts, not models:
    building 50 instances cost more than the query."""
    return _SONG_LIKES[not can_view_unpublished(user)].rows(user.pk)


def album_like_list(*, user) -> QuerySet[AlbumLike]:
    return AlbumLike.objects.filter(visible_album_q(user), user=user).select_related(
        "album__artist"
    )


def artist_like_list(*, user) -> QuerySet[ArtistLike]:
    return ArtistLike.objects.filter(user=user).select_related("artist")


def song_likes_contain(*, user, song_ids: list[int]) -> list[bool]:
    """For each id in order, whether the user likes that (visible) song."""
    liked = set(
        SongLike.objects.filter(visible_song_q(user), user=user, song_id__in=song_ids).values_list(
            "song_id", flat=True
        )
    )
    return [song_id in liked for song_id in song_ids]


# --- Plays ---------------------------------------------------------------------------------


def play_history(*, user) -> KeysetRows:
    """The user's plays of songs they can see, as dicts (see `song_like_list`)."""
    return _PLAYS[not can_view_unpublished(user)].rows(user.pk, user.pk)


# --- Playlists -----------------------------------------------------------------------------


def _readable_by(viewer) -> Q:
    if viewer is not None and viewer.is_authenticated:
        return Q(is_public=True) | Q(owner=viewer)
    return Q(is_public=True)


def _with_totals(playlists: QuerySet[Playlist], viewer) -> QuerySet[Playlist]:
    """`song_count` and `duration_ms` over the entries the viewer can see.

    Correlated subqueries rather than a JOIN + GROUP BY: they run only for the rows of the
    page, not for every playlist the filter matches.
    """
    entries = (
        PlaylistEntry.objects.filter(visible_song_q(viewer), playlist=OuterRef("pk"))
        .order_by()
        .values("playlist")
    )
    count = entries.annotate(n=Count("id")).values("n")
    duration = entries.annotate(ms=Sum("song__duration_ms")).values("ms")
    return playlists.select_related("owner").annotate(
        song_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        duration_ms=Coalesce(Subquery(duration, output_field=IntegerField()), Value(0)),
    )


def playlist_list(*, viewer, owner: str | None = None) -> QuerySet[Playlist]:
    """Playlists the viewer may read, newest first; `owner` is a username or "me"."""
    playlists = Playlist.objects.filter(_readable_by(viewer))
    if owner == "me":
        playlists = playlists.filter(owner=viewer)
    elif owner:
        playlists = playlists.filter(owner__username__iexact=owner)
    return _with_totals(playlists, viewer).order_by("-created_at", "-id")


def playlist_get(*, viewer, playlist_id: int) -> Playlist:
    """A playlist the viewer may read; others' private ones raise `Playlist.DoesNotExist`."""
    return _with_totals(Playlist.objects.filter(_readable_by(viewer)), viewer).get(pk=playlist_id)


def playlist_entry_list(*, viewer, playlist: Playlist) -> QuerySet[PlaylistEntry]:
    """The entries the viewer sees, in order, each with its `visible_position` (0..n-1)."""
    return (
        PlaylistEntry.objects.filter(visible_song_q(viewer), playlist=playlist)
        .annotate(visible_position=Window(RowNumber(), order_by="position") - 1)
        .order_by("position")
    )


def playlist_export_entries(*, viewer, playlist: Playlist) -> QuerySet[PlaylistEntry]:
    return (
        PlaylistEntry.objects.filter(visible_song_q(viewer), playlist=playlist)
        .select_related("song__album__artist")
        .order_by("position")
    )


# --- Public profiles -----------------------------------------------------------------------


def user_profile_get(*, viewer, username: str):
    """A member's public profile; raises `User.DoesNotExist` for an unknown username.

    `like_count` counts the member's likes of songs the viewer can see, so a song on an
    unpublished album drops out of it (and comes back on republishing).
    """
    User = get_user_model()
    likes = (
        SongLike.objects.filter(visible_song_q(viewer), user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(n=Count("id"))
        .values("n")
    )
    playlists = (
        Playlist.objects.filter(owner=OuterRef("pk"), is_public=True)
        .order_by()
        .values("owner")
        .annotate(n=Count("id"))
        .values("n")
    )
    return User.objects.annotate(
        like_count=Coalesce(Subquery(likes, output_field=IntegerField()), Value(0)),
        public_playlist_count=Coalesce(Subquery(playlists, output_field=IntegerField()), Value(0)),
    ).get(username__iexact=username)
