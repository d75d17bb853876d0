"""The demo seeder, on a small size."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count

from setlist.catalog import bulk
from setlist.catalog.demo import CatalogIds
from setlist.catalog.models import Album, Artist, Song
from setlist.library.demo import DEMO_PASSWORD, ListenerSeed, seed_library
from setlist.library.models import AlbumLike, ArtistLike, Play, Playlist, PlaylistEntry, SongLike

from .factories import AlbumFactory, SongFactory

pytestmark = pytest.mark.django_db

SIZE = {"users": 6, "likes": 40, "plays": 120, "playlists": 5}


@pytest.fixture
def catalog():
    songs = [SongFactory(album=album) for album in AlbumFactory.create_batch(4) for _ in range(5)]
    SongFactory(album__is_published=False)  # never used: listeners cannot see it
    Song.objects.filter(pk=songs[0].pk).update(num_streams=7)  # streams from before
    return songs


def _snapshot() -> dict:
    return {
        "users": list(get_user_model().objects.order_by("username").values_list("username")),
        "likes": list(
            SongLike.objects.order_by("user__username", "song").values_list(
                "user__username", "song"
            )
        ),
        "plays": list(Play.objects.order_by("pk").values_list("user__username", "song")),
        "entries": list(
            PlaylistEntry.objects.order_by("playlist", "position").values_list(
                "playlist__name", "position", "song"
            )
        ),
    }


def test_seed_library_makes_what_it_was_asked_for(catalog):
    made = seed_library(**SIZE, seed=1, progress=False)

    assert made["users"] == 6
    assert made["password"] == DEMO_PASSWORD
    assert SongLike.objects.count() == 40
    assert AlbumLike.objects.count() == 4
    assert ArtistLike.objects.count() == 2
    assert Play.objects.count() == 120
    assert Playlist.objects.count() == 5
    assert PlaylistEntry.objects.count() == made["playlist_entries"]
    assert not SongLike.objects.filter(song__album__is_published=False).exists()
    assert not Play.objects.filter(song__album__is_published=False).exists()


def test_seeded_counters_match_the_rows(catalog):
    seed_library(**SIZE, seed=2, progress=False)

    songs = Song.objects.annotate(
        liked=Count("likes", distinct=True), played=Count("plays", distinct=True)
    )
    for song in songs:
        assert song.like_count == song.liked
        assert song.num_streams == song.played + (7 if song.pk == catalog[0].pk else 0)
    for album in Album.objects.annotate(liked=Count("likes")):
        assert album.like_count == album.liked
    for artist in Artist.objects.annotate(liked=Count("likes")):
        assert artist.like_count == artist.liked


def test_seeded_playlists_have_gapless_positions(catalog):
    seed_library(**SIZE, seed=3, progress=False)

    for playlist in Playlist.objects.all():
        positions = list(playlist.entries.order_by("position").values_list("position", flat=True))
        assert positions == list(range(len(positions)))
        assert 5 <= len(positions) <= 30


def test_demo_listeners_share_one_password_hash_that_works(catalog):
    seed_library(**SIZE, seed=4, progress=False)

    users = get_user_model().objects.filter(username__startswith="demo-listener-")
    assert len({user.password for user in users}) == 1
    assert users[0].check_password(DEMO_PASSWORD)


def test_the_same_seed_gives_the_same_data(catalog):
    seed_library(**SIZE, seed=5, progress=False)
    first = _snapshot()
    Playlist.objects.all().delete()
    Play.objects.all().delete()
    SongLike.objects.all().delete()

    seed_library(**SIZE, seed=5, progress=False)

    assert _snapshot() == first


IDS = CatalogIds(artists=range(1, 30), albums=[3, 5, 8, 13, 21, 34], songs=range(1000, 1600))


def _drawn(seed: int, ids: CatalogIds = IDS, **sizes) -> tuple[ListenerSeed, object]:
    listeners = ListenerSeed(
        **{"users": 20, "likes": 400, "plays": 9000, "playlists": 0} | sizes, seed=seed
    )
    return listeners, listeners.draw(ids)


def test_the_same_seed_draws_the_same_likes_and_plays():
    first, first_counts = _drawn(seed=9)
    again, again_counts = _drawn(seed=9)
    other, _ = _drawn(seed=10)

    assert (again.liked, again.played, again_counts) == (first.liked, first.played, first_counts)
    assert other.liked != first.liked


def test_drawn_counts_are_exactly_the_picks():
    listeners, counts = _drawn(seed=4)

    def tally(lists) -> Counter:
        return Counter(pk for picks in lists for pk in picks)

    assert counts.song_likes == tally(listeners.liked[SongLike])
    assert counts.album_likes == tally(listeners.liked[AlbumLike])
    assert counts.artist_likes == tally(listeners.liked[ArtistLike])
    assert counts.song_streams == tally(listeners.played)
    assert sum(counts.song_likes.values()) == 400
    assert sum(counts.song_streams.values()) == 9000


def test_a_listener_likes_each_item_once_and_only_items_offered():
    listeners, _ = _drawn(seed=5)

    for model, offered in ((SongLike, IDS.songs), (AlbumLike, IDS.albums)):
        for picks in listeners.liked[model]:
            assert len(set(picks)) == len(picks)
            assert set(picks) <= set(offered)
    assert {pk for picks in listeners.played for pk in picks} <= set(IDS.songs)


def test_a_listener_likes_at_most_every_item_of_a_tiny_catalog():
    tiny = CatalogIds(artists=[7], albums=[3], songs=[11, 12, 13])
    listeners, counts = _drawn(seed=6, ids=tiny, users=2, likes=40)

    assert [sorted(picks) for picks in listeners.liked[SongLike]] == [[11, 12, 13]] * 2
    assert counts.song_likes == {11: 2, 12: 2, 13: 2}


def test_plays_favour_a_popular_tenth_of_the_songs():
    _, counts = _drawn(seed=7)

    busiest = sum(sorted(counts.song_streams.values(), reverse=True)[:60])
    assert busiest > 9000 * 0.4  # half of the plays go to 60 of the 600 songs


def test_seeding_needs_published_songs(db):
    with pytest.raises(ValueError, match="published songs"):
        seed_library(**SIZE, seed=1, progress=False)


def test_a_second_run_reuses_the_listeners_and_skips_likes_they_have(catalog):
    seed_library(**SIZE, seed=6, progress=False)
    likes_before = set(SongLike.objects.values_list("user_id", "song_id"))

    made = seed_library(**SIZE, seed=7, progress=False)

    assert made["users"] == 6
    assert get_user_model().objects.count() == 6
    assert likes_before <= set(SongLike.objects.values_list("user_id", "song_id"))
    for song in Song.objects.annotate(liked=Count("likes")):
        assert song.like_count == song.liked


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="index deferral is PostgreSQL's COPY path only"
)
def test_a_large_load_rebuilds_the_indexes_it_set_aside(catalog, monkeypatch):
    """Likes and plays, and then the counters of the songs, load with indexes set aside."""

    def schema() -> dict:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename, indexname FROM pg_indexes "
                "WHERE tablename LIKE 'library_%%' OR tablename LIKE 'catalog_%%'"
            )
            indexes = sorted(cursor.fetchall())
            cursor.execute(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint "
                "WHERE conrelid::regclass::text LIKE ANY (ARRAY['library_%%', 'catalog_%%'])"
            )
            return {"indexes": indexes, "constraints": sorted(cursor.fetchall())}

    before = schema()
    monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM", 10)

    seed_library(**SIZE, seed=8, progress=False)

    assert schema() == before
    assert SongLike.objects.count() == 40
    assert Play.objects.count() == 120
    songs = Song.objects.annotate(
        liked=Count("likes", distinct=True), played=Count("plays", distinct=True)
    )
    for song in songs:
        assert song.like_count == song.liked
        assert song.num_streams == song.played + (7 if song.pk == catalog[0].pk else 0)
