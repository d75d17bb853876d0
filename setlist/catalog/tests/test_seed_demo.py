"""`manage.py seed_demo` and `seed_catalog`: deterministic, realistic, consistent."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from setlist.catalog import bulk
from setlist.catalog.demo import seed_catalog
from setlist.catalog.models import Album, Artist, Genre, Song
from setlist.catalog.search import fold
from setlist.library.models import Play, Playlist, SongLike

from .helpers import API

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple]:
    return list(
        Song.objects.order_by("id").values_list(
            "title", "album__title", "album__artist__name", "genre__slug", "track_number"
        )
    )


def test_creates_exactly_the_songs_asked_for_with_scaled_albums_and_artists():
    created = seed_catalog(songs=500, seed=42, progress=False)

    assert Song.objects.count() == created["songs"] == 500
    assert Album.objects.count() == created["albums"]
    assert Artist.objects.count() == created["artists"]
    assert 30 <= created["albums"] <= 90
    assert created["artists"] < created["albums"]
    assert Genre.objects.count() == created["genres"] == 20
    # Every album has tracks 1..n, every artist at least one album.
    for album in Album.objects.prefetch_related("songs"):
        numbers = sorted(song.track_number for song in album.songs.all())
        assert numbers == list(range(1, len(numbers) + 1))
    assert not Artist.objects.filter(albums__isnull=True).exists()


def test_the_same_seed_gives_the_same_catalog():
    seed_catalog(songs=300, seed=7, progress=False)
    first = _snapshot()
    Song.objects.all().delete()
    Album.objects.all().delete()
    Artist.objects.all().delete()

    seed_catalog(songs=300, seed=7, progress=False)

    assert _snapshot() == first


def test_another_seed_gives_another_catalog():
    seed_catalog(songs=100, seed=1, progress=False)
    first = _snapshot()
    Song.objects.all().delete()

    seed_catalog(songs=100, seed=2, progress=False)

    assert _snapshot()[:20] != first[:20]


def test_most_albums_are_published_and_some_are_not():
    created = seed_catalog(songs=3000, seed=42, progress=False)

    assert 0 < created["unpublished_albums"] < created["albums"] * 0.15
    assert Album.objects.filter(is_published=False).count() == created["unpublished_albums"]


def test_search_columns_counts_and_accents_are_in_place(api_client):
    seed_catalog(songs=1000, seed=42, progress=False)

    for song in Song.objects.all()[:50]:
        assert song.search_title == fold(song.title)
    assert Artist.objects.exclude(name__regex=r"^[\x00-\x7f]*$").exists()  # some accents
    genres = api_client.get(f"{API}/genres/", {"page_size": 100}).json()["results"]
    public_songs = Song.objects.filter(album__is_published=True).count()
    assert sum(genre["song_count"] for genre in genres) == public_songs


def test_command_reports_what_it_did():
    out = io.StringIO()

    call_command("seed_demo", "--songs", "50", "--no-progress", stdout=out)

    assert "50 songs" in out.getvalue()
    assert Song.objects.count() == 50


def test_if_empty_does_nothing_when_songs_exist():
    seed_catalog(songs=10, seed=1, progress=False)
    out = io.StringIO()

    call_command("seed_demo", "--if-empty", "--no-progress", stdout=out)

    assert Song.objects.count() == 10
    assert "nothing to do" in out.getvalue()


def test_if_empty_seeds_an_empty_catalog():
    call_command("seed_demo", "--if-empty", "--songs", "20", "--no-progress", stdout=io.StringIO())

    assert Song.objects.count() == 20


@pytest.mark.parametrize("songs", ["0", "-5", "many"])
def test_a_bad_size_is_refused(songs):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--songs", songs, "--no-progress")


def test_command_also_seeds_listeners_with_exact_counts():
    out = io.StringIO()

    call_command(
        "seed_demo",
        *("--songs", "200", "--users", "5", "--likes", "40", "--plays", "90"),
        *("--playlists", "3", "--no-progress"),
        stdout=out,
    )

    assert get_user_model().objects.filter(username__startswith="demo-listener-").count() == 5
    assert SongLike.objects.count() == 40
    assert Play.objects.count() == 90
    assert Playlist.objects.count() == 3
    totals = Song.objects.aggregate(likes=Sum("like_count"), streams=Sum("num_streams"))
    assert totals == {"likes": 40, "streams": 90}
    assert "sign in with the password" in out.getvalue()


def test_users_zero_seeds_the_catalog_only():
    call_command(
        "seed_demo", "--songs", "20", "--users", "0", "--no-progress", stdout=io.StringIO()
    )

    assert Song.objects.count() == 20
    assert not SongLike.objects.exists()


def test_a_bulk_load_that_defers_indexes_restores_them(monkeypatch):
    """On PostgreSQL a large load drops the song table's indexes and foreign keys and puts
    them back; albums inserted earlier in the same transaction must not block that."""

    def constraints() -> list[str]:
        if connection.vendor != "postgresql":
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'catalog_song'::regclass "
                "ORDER BY conname"
            )
            return [row[0] for row in cursor.fetchall()]

    before = constraints()
    # Few enough albums to insert them plainly (leaving deferred foreign-key checks pending),
    # enough songs to defer the song table's indexes: the case that once failed.
    monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM", 100)

    seed_catalog(songs=300, seed=5, progress=False)

    assert Song.objects.count() == 300
    assert constraints() == before
