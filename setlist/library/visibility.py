"""Which songs and albums a listener can see, as filters on the library's own rows.

The rule is the catalog's (`Song.objects.visible_to`): published albums and their songs,
or everything for holders of `catalog.view_unpublished`. Likes, plays and playlist entries
point at songs; these helpers express the rule as a `Q` through that relation, so a list
of likes joins the album once instead of running a subquery over the whole catalog.
Nothing is deleted when an album is unpublished: its rows just stop matching.
"""

from django.db.models import Q

from setlist.catalog.models import can_view_unpublished


def published_song_q(prefix: str = "song__") -> Q:
    """Rows whose song (reached through `prefix`) everyone may see."""
    return Q(**{f"{prefix}album__is_published": True})


def visible_song_q(user, prefix: str = "song__") -> Q:
    """Rows whose song (reached through `prefix`) `user` may see."""
    if can_view_unpublished(user):
        return Q()
    return published_song_q(prefix)


def visible_album_q(user, prefix: str = "album__") -> Q:
    """Rows whose album (reached through `prefix`) `user` may see."""
    if can_view_unpublished(user):
        return Q()
    return Q(**{f"{prefix}is_published": True})
