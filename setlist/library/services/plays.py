"""Plays: one row per play and an exact `num_streams` on the song."""

from django.db import transaction
from django.db.models import F

from setlist.catalog.caching import PLAYS, catalog_cache_invalidate
from setlist.catalog.models import Song

from ..models import Play


@transaction.atomic
def play_record(*, song_id: int, user=None) -> Play:
    """Record one play of the song `song_id` (by `user`, or anonymous) and count one stream.

    The counter moves with an `F()` update in the play's transaction: concurrent plays
    each add one, none is lost. Whether the caller may see the song is the caller's check.
    """
    listener = user if user is not None and user.is_authenticated else None
    play = Play.objects.create(user=listener, song_id=song_id)
    Song.objects.filter(pk=song_id).update(num_streams=F("num_streams") + 1)
    catalog_cache_invalidate(scope=PLAYS, song_ids=[song_id])  # cached pages show num_streams
    return play
