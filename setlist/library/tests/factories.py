"""Factories for the library's tests; catalog rows come from the catalog's factories."""

import factory

from setlist.accounts.tests.factories import UserFactory
from setlist.catalog.tests import factories as catalog_factories
from setlist.catalog.tests.factories import AlbumFactory, ArtistFactory, GenreFactory

from ..models import Playlist, PlaylistEntry


class SongFactory(catalog_factories.SongFactory):
    """The catalog's song, with the track numbers and length the library's tests assume."""

    track_number = factory.Sequence(lambda n: n % 20 + 1)
    duration_ms = 200_000


class PlaylistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Playlist

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Playlist {n}")
    is_public = False


def playlist_with_songs(songs, **kwargs) -> Playlist:
    """A playlist holding `songs` at positions 0..n-1."""
    playlist = PlaylistFactory(**kwargs)
    PlaylistEntry.objects.bulk_create(
        PlaylistEntry(playlist=playlist, song=song, position=index)
        for index, song in enumerate(songs)
    )
    return playlist


__all__ = [
    "AlbumFactory",
    "ArtistFactory",
    "GenreFactory",
    "PlaylistFactory",
    "SongFactory",
    "UserFactory",
    "playlist_with_songs",
]
