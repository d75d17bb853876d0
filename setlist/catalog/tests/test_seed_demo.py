"""`manage.py seed_demo` and `seed_catalog`: deterministic, realistic, consistent."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone

from setlist.catalog import bulk
from setlist.catalog.demo import seed_catalog
from setlist.catalog.models import Album, Artist, Genre, Song
from setlist.catalog.search import fold
from setlist.library.demo import ListenerSeed
from setlist.library.models import AlbumLike, ArtistLike, Play, Playlist, SongLike

from .factories import SongFactory
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


LISTENERS = ("--users", "7", "--likes", "60", "--plays", "150", "--playlists", "4")


def _seed_demo(*args: str) -> None:
    call_command(
        "seed_demo", "--songs", "400", *LISTENERS, *args, "--no-progress", stdout=io.StringIO()
    )


def _everything() -> dict:
    """The seeded data, without ids (a second seeding gets new ones), in id order."""
    return {
        "songs": list(
            Song.objects.order_by("id").values_list(
                "title",
                "album__title",
                "track_number",
                "duration_ms",
                "composer",
                "genre__slug",
                "like_count",
                "num_streams",
            )
        ),
        "albums": list(Album.objects.order_by("id").values_list("title", "year", "like_count")),
        "artists": list(Artist.objects.order_by("id").values_list("name", "like_count")),
        "likes": sorted(
            SongLike.objects.values_list("user__username", "song__title", "song__album__title")
        ),
        "plays": list(Play.objects.order_by("id").values_list("user__username", "song__title")),
        "genres": list(
            Genre.objects.order_by("slug").values_list("published_song_count", "total_song_count")
        ),
    }


def _wipe() -> None:
    for model in (Playlist, Play, SongLike, AlbumLike, ArtistLike, Song, Album, Artist):
        model.objects.all().delete()
    get_user_model().objects.all().delete()
    Genre.objects.update(published_song_count=0, total_song_count=0)


def test_the_same_seed_gives_the_same_catalog_and_listeners():
    _seed_demo("--seed", "3")
    first = _everything()
    _wipe()

    _seed_demo("--seed", "3")

    assert _everything() == first
    assert first["likes"]
    assert first["plays"]


def test_counters_written_with_the_rows_match_the_rows():
    """The command draws likes and plays before the catalog is written and writes every
    counter with its row: each must equal what the rows say."""
    _seed_demo()

    songs = Song.objects.annotate(
        liked=Count("likes", distinct=True), played=Count("plays", distinct=True)
    )
    assert all((s.like_count, s.num_streams) == (s.liked, s.played) for s in songs)
    albums = Album.objects.annotate(liked=Count("likes"))
    assert all(album.like_count == album.liked for album in albums)
    artists = Artist.objects.annotate(
        liked=Count("likes", distinct=True),
        total=Count("albums", distinct=True),
        published=Count("albums", distinct=True, filter=Q(albums__is_published=True)),
    )
    for artist in artists:
        counts = (artist.like_count, artist.total_album_count, artist.published_album_count)
        assert counts == (artist.liked, artist.total, artist.published)
    genres = Genre.objects.annotate(
        total=Count("songs"), published=Count("songs", filter=Q(songs__album__is_published=True))
    )
    for genre in genres:
        assert (genre.total_song_count, genre.published_song_count) == (
            genre.total,
            genre.published,
        )
    assert SongLike.objects.count() == 60
    assert Play.objects.count() == 150
    assert not SongLike.objects.filter(song__album__is_published=False).exists()


def test_a_second_seeding_adds_to_the_genre_counts():
    _seed_demo("--seed", "1")
    _seed_demo("--seed", "2")

    assert Song.objects.count() == 800
    assert sum(Genre.objects.values_list("total_song_count", flat=True)) == 800
    published = Song.objects.filter(album__is_published=True).count()
    assert sum(Genre.objects.values_list("published_song_count", flat=True)) == published


def test_a_failure_among_the_listeners_leaves_nothing_behind(monkeypatch):
    """Catalog and listeners load in one transaction."""

    def fail(self, *, progress):
        raise RuntimeError("listeners failed")

    monkeypatch.setattr(ListenerSeed, "write", fail)

    with pytest.raises(CommandError, match="listeners failed"):
        _seed_demo()

    assert not Song.objects.exists()
    assert not Artist.objects.exists()


def test_the_progress_bars_are_drawn(capsys):
    call_command(
        "seed_demo",
        "--songs",
        "30",
        "--users",
        "2",
        "--likes",
        "4",
        "--plays",
        "5",
        stdout=io.StringIO(),
    )

    drawn = capsys.readouterr().err
    assert "Songs" in drawn
    assert "library" in drawn


def test_reserved_ids_are_new_and_never_handed_out_again():
    ids = bulk.reserve_ids(Artist, 3)
    counts = ["like_count", "published_album_count", "total_album_count"]
    with bulk.BulkInserter(Artist, ["id", "name", "search_name", *counts]) as inserter:
        inserter.add_many((pk, f"Artist {pk}", f"artist {pk}", 0, 0, 0) for pk in ids)

    later = Artist.objects.create(name="Later")

    assert len(ids) == 3
    assert list(
        Artist.objects.filter(pk__in=ids).values_list("pk", flat=True).order_by("pk")
    ) == list(ids)
    assert later.pk > ids[-1]


def test_bulk_timestamps_land_as_the_moment_they_stand_for():
    song, moment = SongFactory(), timezone.now().replace(microsecond=123456)
    with bulk.BulkInserter(Play, ["song_id", "played_at"], timestamps=False) as inserter:
        inserter.add_many([(song.pk, bulk.to_micros(moment))])

    assert Play.objects.get().played_at == moment
    assert bulk.from_micros(bulk.to_micros(moment)) == moment


def test_users_zero_seeds_the_catalog_only():
    call_command(
        "seed_demo", "--songs", "20", "--users", "0", "--no-progress", stdout=io.StringIO()
    )

    assert Song.objects.count() == 20
    assert not SongLike.objects.exists()


def test_a_bulk_load_that_defers_indexes_restores_them(monkeypatch):
    """On PostgreSQL a large load drops the song table's indexes, keys and foreign keys and
    puts them back, checked again; albums inserted earlier in the same transaction must
    not block that."""

    def schema() -> list[tuple]:
        if connection.vendor != "postgresql":
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint"
                " WHERE conrelid = 'catalog_song'::regclass"
                " UNION ALL SELECT indexname, indexdef, true FROM pg_indexes"
                " WHERE tablename = 'catalog_song' ORDER BY 1, 2"
            )
            return cursor.fetchall()

    before = schema()
    # Few enough albums to insert them plainly (leaving deferred foreign-key checks pending),
    # enough songs to defer the song table's indexes: the case that once failed.
    monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM", 100)

    seed_catalog(songs=300, seed=5, progress=False)

    assert Song.objects.count() == 300
    assert schema() == before


def test_listeners_only_adds_listeners_to_the_catalog_already_there():
    call_command(
        "seed_demo", "--songs", "60", "--users", "0", "--no-progress", stdout=io.StringIO()
    )
    songs_before = set(Song.objects.values_list("pk", flat=True))

    call_command(
        "seed_demo",
        "--listeners-only",
        *("--users", "4", "--likes", "30", "--plays", "50", "--playlists", "2"),
        "--no-progress",
        stdout=io.StringIO(),
    )

    assert set(Song.objects.values_list("pk", flat=True)) == songs_before
    assert get_user_model().objects.count() == 4
    assert SongLike.objects.count() == 30
    for song in Song.objects.annotate(liked=Count("likes", distinct=True)):
        assert song.like_count == song.liked


def test_listeners_only_and_if_empty_do_not_combine():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--listeners-only", "--if-empty", "--no-progress")
