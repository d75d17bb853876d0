"""Small factories for the library's tests: catalog rows made directly with the ORM."""

import factory

from setlist.accounts.tests.factories import UserFactory
from setlist.catalog.models import Album, Artist, Genre, Song

from ..models import Playlist, PlaylistEntry


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Genre {n}")
    slug = factory.Sequence(lambda n: f"genre-{n}")


class ArtistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Artist

    name = factory.Sequence(lambda n: f"Artist {n}")


class AlbumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Album

    title = factory.Sequence(lambda n: f"Album {n}")
    artist = factory.SubFactory(ArtistFactory)
    year = 2001
    is_published = True


class SongFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Song

    title = factory.Sequence(lambda n: f"Song {n}")
    album = factory.SubFactory(AlbumFactory)
    track_number = factory.Sequence(lambda n: n % 20 + 1)
    duration_ms = 200_000
    genre = factory.SubFactory(GenreFactory)


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
