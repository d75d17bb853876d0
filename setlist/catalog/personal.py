"""The caller's own part of a shared catalog read: the `liked` flags of the songs shown.

Everyone who cannot see unpublished albums sees the same catalog. Their reads are built
(and cached) once for all of them, as for an anonymous caller, and each signed-in caller's
`liked` flags are then set with one indexed query over the songs on the page.
"""

from django.contrib.auth.models import AnonymousUser

from .models import can_view_unpublished


def shares_catalog(user) -> bool:
    """Whether `user` sees the catalog everyone sees (no unpublished albums)."""
    return not can_view_unpublished(user)


def catalog_reader(user):
    """Whom a catalog read is built for: anybody, unless `user` may see more than that."""
    return AnonymousUser() if shares_catalog(user) else user


def mark_liked(user, songs: list[dict]) -> bool:
    """Sets `liked` on the song dicts `user` likes; returns whether any was set."""
    if not songs or not user.is_authenticated:
        return False
    from setlist.library.models import SongLike  # library depends on catalog, not back

    liked = set(
        SongLike.objects.filter(user=user, song_id__in={song["id"] for song in songs})
        .values_list("song_id", flat=True)
        .order_by()
    )
    for song in songs:
        song["liked"] = song["id"] in liked
    return bool(liked)
