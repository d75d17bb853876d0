"""Catalog reads, shaped for the serializers: one query per list, whatever its length.

Every selector takes the `user` asking: unpublished albums and their songs exist only for
those with `catalog.view_unpublished`, and counts are of what that user can see.
"""

from collections.abc import Collection

from django.db.models import F, Prefetch, QuerySet

from setlist.core.prepared import CompiledQuery

from . import cards, personal
from .models import Album, Artist, Genre, Song, can_view_unpublished
from .search import best_matches

BY_LIKES = ("-like_count", "-id")
BY_STREAMS = ("-num_streams", "-id")


def genre_list(*, user) -> QuerySet[Genre]:
    return Genre.objects.with_song_count(user).order_by("name", "id")


def artist_list(*, user) -> QuerySet[Artist]:
    return Artist.objects.with_album_count(user)


def artist_detail(*, user) -> QuerySet[Artist]:
    """Artists with `album_list`: their visible albums, oldest first (undated last)."""
    albums = (
        Album.objects.visible_to(user)
        .only("id", "title", "year", "artist_id")
        .order_by(F("year").asc(nulls_last=True), "title", "id")
    )
    return artist_list(user=user).prefetch_related(
        Prefetch("albums", queryset=albums, to_attr="album_list")
    )


def _albums(user, *, include_unpublished: bool) -> QuerySet[Album]:
    albums = Album.objects.all() if include_unpublished else Album.objects.visible_to(user)
    return albums.select_related("artist")


def album_list(*, user, include_unpublished: bool = False) -> QuerySet[Album]:
    """Albums with `track_list`: just enough of each song for genres, count and duration."""
    tracks = Song.objects.select_related("genre").only(
        "id", "album", "duration_ms", "genre__slug", "genre__name"
    )
    return _albums(user, include_unpublished=include_unpublished).prefetch_related(
        Prefetch("songs", queryset=tracks.order_by(), to_attr="track_list")
    )


def album_detail(*, user, include_unpublished: bool = False) -> QuerySet[Album]:
    """Albums with `track_list`: their songs in track order, as song lists show them."""
    tracks = Song.objects.for_listing(user).order_by("track_number", "id")
    return _albums(user, include_unpublished=include_unpublished).prefetch_related(
        Prefetch("songs", queryset=tracks, to_attr="track_list")
    )


def song_list(*, user, include_unpublished: bool = False) -> QuerySet[Song]:
    songs = Song.objects.all() if include_unpublished else Song.objects.visible_to(user)
    return songs.for_listing(user)


# Prepared: a primary-key probe, the same plan for any id. `None`: as everyone sees it.
_PUBLISHED_SONG = CompiledQuery(
    "published_song",
    lambda song_id: Song.objects.visible_to(None).filter(pk=song_id).values_list("id"),
    prepare=True,
)


def song_is_visible(*, user, song_id: int) -> bool:
    """Whether `user` may see the song `song_id` (for writes about a song).

    A published song is visible to all, so the user's permissions are looked up only
    for a song that is not (or does not exist).
    """
    if _PUBLISHED_SONG.rows(song_id):
        return True
    return can_view_unpublished(user) and Song.objects.filter(pk=song_id).exists()


def song_cards(*, user, ids: Collection[int], all_liked: bool = False) -> dict[int, dict]:
    """The cards (see `cards.py`) of the songs `ids` that `user` can see, by id, with the
    user's `liked` flags (read in the same query). `all_liked`: the caller knows they like
    every one of them (a page of their likes), so the flags need no lookup.

    As in `song_is_visible`, the user's permissions are looked up only when some of the
    songs are not published (or do not exist).
    """
    ids = set(ids)
    # The flags are read with the cards, unless known already.
    liked_by = user.pk if user.is_authenticated and not all_liked else None
    found = cards.song_cards(ids, published_only=True, liked_by=liked_by)
    if len(found) < len(ids) and can_view_unpublished(user):
        found.update(cards.song_cards(ids - set(found), published_only=False, liked_by=liked_by))
    if all_liked:
        personal.mark_liked(found.values(), set(found))
    return found


def catalog_search(*, user, query: str, limit: int) -> dict[str, list]:
    """The best `limit` artists, albums and songs for `query` (see `search.best_matches`).

    At most four bounded queries of each kind, whatever `limit` and however common the
    words; the most liked (songs: most played) come first among equally good matches.
    """
    return {
        "artists": best_matches(
            artist_list(user=user), "search_name", query, limit=limit, tiebreak=BY_LIKES
        ),
        "albums": best_matches(
            album_list(user=user), "search_title", query, limit=limit, tiebreak=BY_LIKES
        ),
        "songs": best_matches(
            song_list(user=user), "search_title", query, limit=limit, tiebreak=BY_STREAMS
        ),
    }
