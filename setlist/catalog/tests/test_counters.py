"""Genre song counts and artist album counts stay exact through every kind of change."""

import threading

import pytest
from django.db import connection

from setlist.catalog import services
from setlist.catalog.counters import catalog_counts_rebuild
from setlist.catalog.models import Album, Artist, Genre, Song

from .factories import AlbumFactory, ArtistFactory, GenreFactory, SongFactory

pytestmark = pytest.mark.django_db


def _genre(genre: Genre) -> tuple[int, int]:
    genre.refresh_from_db()
    return genre.published_song_count, genre.total_song_count


def _artist(artist: Artist) -> tuple[int, int]:
    artist.refresh_from_db()
    return artist.published_album_count, artist.total_album_count


def test_song_create_move_and_delete_keep_genre_counts(db):
    jazz, rock = GenreFactory(), GenreFactory()
    published, hidden = AlbumFactory(), AlbumFactory(is_published=False)

    song = SongFactory(album=published, genre=jazz)
    SongFactory(album=hidden, genre=jazz)
    assert _genre(jazz) == (1, 2)

    services.song_update(song=song, data={"genre": rock})
    assert _genre(jazz) == (0, 1)
    assert _genre(rock) == (1, 1)

    services.song_update(song=song, data={"album": hidden})
    assert _genre(rock) == (0, 1)

    services.song_delete(song=song)
    assert _genre(rock) == (0, 0)


def test_publishing_moves_the_songs_into_the_public_counts(db):
    genre, artist = GenreFactory(), ArtistFactory()
    album = AlbumFactory(artist=artist, is_published=False)
    SongFactory.create_batch(3, album=album, genre=genre)
    assert _genre(genre) == (0, 3)
    assert _artist(artist) == (0, 1)

    services.album_set_published(album=album, published=True)
    assert _genre(genre) == (3, 3)
    assert _artist(artist) == (1, 1)

    services.album_set_published(album=album, published=False)
    assert _genre(genre) == (0, 3)
    assert _artist(artist) == (0, 1)


def test_moving_an_album_recounts_both_artists(db):
    before, after = ArtistFactory(), ArtistFactory()
    album = AlbumFactory(artist=before)

    services.album_update(album=album, data={"artist": after})

    assert _artist(before) == (0, 0)
    assert _artist(after) == (1, 1)


def test_a_cascade_delete_recounts_once_for_everything_it_removed(db):
    genre = GenreFactory()
    album = AlbumFactory()
    SongFactory.create_batch(4, album=album, genre=genre)

    services.artist_delete(artist=album.artist, cascade=True)

    assert _genre(genre) == (0, 0)


def test_the_admin_publish_action_recounts(db):
    genre = GenreFactory()
    albums = AlbumFactory.create_batch(2, is_published=False)
    for album in albums:
        SongFactory(album=album, genre=genre)

    changed = services.albums_set_published(
        albums=Album.objects.filter(pk__in=[a.pk for a in albums]), published=True
    )

    assert changed == 2
    assert _genre(genre) == (2, 2)


def test_rebuild_repairs_counts_after_bulk_writes(db):
    genre = GenreFactory()
    album = AlbumFactory()
    Song.objects.bulk_create(
        [Song(title="x", album=album, genre=genre, duration_ms=1) for _ in range(5)]
    )
    assert _genre(genre) == (0, 0)  # bulk_create sends no signal

    catalog_counts_rebuild()

    assert _genre(genre) == (5, 5)
    assert _artist(album.artist) == (1, 1)


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real row locks and concurrent transactions (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_song_creation_never_loses_a_count():
    genre = GenreFactory()
    album = AlbumFactory()
    barrier = threading.Barrier(8)
    errors = []

    def create_song(n: int) -> None:
        try:
            barrier.wait()
            services.song_create(title=f"Take {n}", album=album, duration_ms=1000, genre=genre)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create_song, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert _genre(genre) == (8, 8)
