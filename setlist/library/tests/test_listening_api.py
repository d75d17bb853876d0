"""Plays, history and stats through the API."""

import base64
from datetime import timedelta

import orjson
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from setlist.catalog import caching
from setlist.catalog.models import Song
from setlist.core.cache_clients import django_redis_client
from setlist.library import services
from setlist.library.models import Play

from .factories import AlbumFactory, GenreFactory, SongFactory
from .pages import page_bodies, song_ids, walk

pytestmark = pytest.mark.django_db


def _play(user, song, days_ago: float = 0) -> Play:
    return Play.objects.create(
        user=user, song=song, played_at=timezone.now() - timedelta(days=days_ago)
    )


# --- Plays ---------------------------------------------------------------------------------


def test_a_play_is_recorded_and_counts_one_stream(user, user_client):
    song = SongFactory()

    response = user_client.post(f"/api/v1/songs/{song.pk}/plays/")

    assert response.status_code == 201
    assert response.json()["song_id"] == song.pk
    assert set(response.json()) == {"id", "song_id", "played_at"}
    assert Play.objects.get().user == user
    assert Song.objects.get(pk=song.pk).num_streams == 1


def test_an_anonymous_play_counts_without_a_user(api_client):
    song = SongFactory()

    response = api_client.post(f"/api/v1/songs/{song.pk}/plays/")

    assert response.status_code == 201
    assert Play.objects.get().user is None
    assert Song.objects.get(pk=song.pk).num_streams == 1


def test_every_play_counts(api_client):
    song = SongFactory()

    for _ in range(3):
        api_client.post(f"/api/v1/songs/{song.pk}/plays/")

    assert Song.objects.get(pk=song.pk).num_streams == 3
    assert Play.objects.filter(song=song).count() == 3


@pytest.mark.parametrize("published", [False, None])
def test_playing_an_invisible_or_unknown_song_is_404(user_client, published):
    song_id = 987654 if published is None else SongFactory(album__is_published=False).pk

    response = user_client.post(f"/api/v1/songs/{song_id}/plays/")

    assert response.status_code == 404
    assert not Play.objects.exists()


@pytest.mark.django_db(transaction=True)  # committed, so the foreign key is checked
def test_a_song_deleted_after_the_visibility_check_is_404_and_nothing_is_counted(
    user_client, monkeypatch
):
    song = SongFactory()
    gone = song.pk
    song.delete()
    monkeypatch.setattr(
        "setlist.library.services.plays.song_is_visible", lambda *, user, song_id: True
    )  # the check passed just before the song went (SQLite; PostgreSQL checks in the write)

    response = user_client.post(f"/api/v1/songs/{gone}/plays/")

    assert response.status_code == 404
    assert not Play.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL")
def test_on_postgresql_an_anonymous_play_is_one_query(api_client, django_assert_num_queries):
    song = SongFactory()

    with django_assert_num_queries(1):  # the song's visibility is part of the write
        response = api_client.post(f"/api/v1/songs/{song.pk}/plays/")

    assert response.status_code == 201


def test_a_play_answers_with_the_recorded_row(user, user_client):
    song = SongFactory()

    body = user_client.post(f"/api/v1/songs/{song.pk}/plays/").json()

    play = Play.objects.get()
    assert body == {
        "id": play.pk,
        "song_id": song.pk,
        "played_at": play.played_at.isoformat().replace("+00:00", "Z"),
    }


def test_plays_are_throttled_by_their_own_scope(api_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "plays": "2/min",
        },
    }
    song = SongFactory()

    statuses = [api_client.post(f"/api/v1/songs/{song.pk}/plays/").status_code for _ in range(3)]
    refused = api_client.post(f"/api/v1/songs/{song.pk}/plays/")

    assert statuses == [201, 201, 429]
    assert int(refused["Retry-After"]) > 0
    assert refused["X-RateLimit-Limit"] == "2"
    assert Song.objects.get(pk=song.pk).num_streams == 2


# --- History -------------------------------------------------------------------------------


def test_history_lists_the_callers_plays_newest_first(user, other_user, user_client):
    first, second = SongFactory(), SongFactory()
    _play(user, first, days_ago=2)
    _play(user, second, days_ago=1)
    _play(other_user, first)

    body = user_client.get("/api/v1/me/history/").json()

    assert [item["song"]["id"] for item in body["results"]] == [second.pk, first.pk]
    assert set(body["results"][0]) == {"song", "played_at"}


def test_history_pages_with_a_cursor(user, user_client):
    songs = SongFactory.create_batch(3)
    for days_ago, song in enumerate(songs):
        _play(user, song, days_ago=days_ago)

    first = user_client.get("/api/v1/me/history/?page_size=2").json()
    second = user_client.get(first["next"]).json()

    ids = [item["song"]["id"] for page in (first, second) for item in page["results"]]
    assert ids == [song.pk for song in songs]
    assert second["next"] is None


def test_history_pages_both_ways_through_plays_of_the_same_instant(user, user_client):
    moment = timezone.now()
    plays = [Play.objects.create(user=user, song=SongFactory(), played_at=moment) for _ in range(5)]
    expected = [play.song_id for play in reversed(plays)]  # newest first, then the latest id

    pages = page_bodies(user_client, "/api/v1/me/history/?page_size=2", "next")
    forward = [song_ids(page) for page in pages]
    backward = walk(user_client, pages[-1]["previous"], "previous")[::-1]

    assert forward == [expected[0:2], expected[2:4], expected[4:5]]
    assert backward == [expected[0:2], expected[2:4]]


@pytest.mark.parametrize(
    "position",
    [["soon", 1], ["2024-01-01T00:00:00Z", 2**63 - 1], ["2024-01-01T00:00:00Z", -1]],
)
def test_a_forged_history_cursor_is_400(user_client, position):
    payload = orjson.dumps({"o": "-played_at,id", "v": position, "r": 1})

    response = user_client.get(
        "/api/v1/me/history/", {"cursor": base64.urlsafe_b64encode(payload).decode()}
    )

    assert response.status_code == 400
    assert [error["attr"] for error in response.json()["errors"]] == ["cursor"]


def test_history_needs_a_signed_in_user(api_client):
    assert api_client.get("/api/v1/me/history/").status_code == 401


def test_history_query_count_does_not_grow_with_page_size(
    user, user_client, django_assert_num_queries
):
    for song in SongFactory.create_batch(25):
        _play(user, song)
    user_client.get("/api/v1/me/history/?page_size=1")

    # The page of plays with their songs' cards and which of them the caller likes.
    with django_assert_num_queries(1):
        user_client.get("/api/v1/me/history/?page_size=1")
    with django_assert_num_queries(1):
        response = user_client.get("/api/v1/me/history/?page_size=25")

    assert len(response.json()["results"]) == 25


def test_history_shows_which_songs_the_caller_likes(user, other_user, user_client):
    mine, theirs, both = SongFactory.create_batch(3)
    for song in (mine, theirs, both):
        _play(user, song)
    services.song_like_add(user=user, song=mine)
    services.song_like_add(user=user, song=both)
    services.song_like_add(user=other_user, song=theirs)
    services.song_like_add(user=other_user, song=both)

    results = user_client.get("/api/v1/me/history/").json()["results"]

    assert {item["song"]["id"]: item["song"]["liked"] for item in results} == {
        mine.pk: True,
        theirs.pk: False,
        both.pk: True,
    }
    assert {item["song"]["id"]: item["song"]["like_count"] for item in results} == {
        mine.pk: 1,
        theirs.pk: 1,
        both.pk: 2,
    }


# --- Stats ---------------------------------------------------------------------------------


def test_stats_totals_and_top_lists(user, other_user, user_client):
    rock, jazz = GenreFactory(name="Rock", slug="rock"), GenreFactory(name="Jazz", slug="jazz")
    hit = SongFactory(genre=rock, duration_ms=100_000)
    other = SongFactory(genre=jazz, duration_ms=50_000)
    for _ in range(3):
        _play(user, hit)
    _play(user, other)
    _play(other_user, other)  # not the caller's

    body = user_client.get("/api/v1/me/stats/?period=all").json()

    assert body["period"] == "all"
    assert body["since"] is None
    assert body["play_count"] == 4
    assert body["listening_ms"] == 350_000
    assert [(row["song"]["id"], row["play_count"]) for row in body["top_songs"]] == [
        (hit.pk, 3),
        (other.pk, 1),
    ]
    assert body["top_artists"][0] == {
        "artist": {"id": hit.album.artist.pk, "name": hit.album.artist.name},
        "play_count": 3,
    }
    assert body["top_genres"] == [
        {"genre": {"slug": "rock", "name": "Rock"}, "play_count": 3},
        {"genre": {"slug": "jazz", "name": "Jazz"}, "play_count": 1},
    ]


@pytest.mark.parametrize(
    ("period", "expected"), [("week", 1), ("month", 2), ("year", 3), ("all", 4)]
)
def test_stats_count_only_plays_within_the_period(user, user_client, period, expected):
    song = SongFactory()
    for days_ago in (1, 20, 200, 800):
        _play(user, song, days_ago=days_ago)

    body = user_client.get(f"/api/v1/me/stats/?period={period}").json()

    assert body["play_count"] == expected
    assert body["top_songs"][0]["play_count"] == expected


def test_stats_default_to_all_time(user, user_client):
    _play(user, SongFactory(), days_ago=900)

    assert user_client.get("/api/v1/me/stats/").json()["play_count"] == 1


def test_stats_of_someone_who_never_played(user_client):
    body = user_client.get("/api/v1/me/stats/?period=week").json()

    assert body["play_count"] == 0
    assert body["listening_ms"] == 0
    assert body["top_songs"] == body["top_artists"] == body["top_genres"] == []


def test_stats_refuse_an_unknown_period(user_client):
    response = user_client.get("/api/v1/me/stats/?period=decade")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "period"


def test_stats_need_a_signed_in_user(api_client):
    assert api_client.get("/api/v1/me/stats/").status_code == 401


def test_stats_leave_out_songs_that_are_no_longer_visible(user, user_client):
    hidden_album = AlbumFactory()
    hidden, shown = SongFactory(album=hidden_album), SongFactory()
    _play(user, hidden)
    _play(user, shown)
    hidden_album.is_published = False
    hidden_album.save()

    body = user_client.get("/api/v1/me/stats/").json()

    assert body["play_count"] == 1
    assert [row["song"]["id"] for row in body["top_songs"]] == [shown.pk]


def test_stats_query_count_is_fixed(user, user_client, django_assert_num_queries):
    for song in SongFactory.create_batch(12):
        _play(user, song)

    # The caller's permissions, the newest play (part of the reuse key), the statistics
    # in one query, then the top songs as the API shows songs (cards), with the caller's
    # likes among them.
    with django_assert_num_queries(4):
        body = user_client.get("/api/v1/me/stats/").json()

    assert len(body["top_songs"]) == 10


@pytest.fixture
def jwt_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


def test_with_a_jwt_the_callers_row_names_their_newest_play(
    user, jwt_client, django_assert_num_queries
):
    song = SongFactory()
    services.play_record(song_id=song.pk, user=user)
    # The caller's row with their newest play, the statistics, the top songs (cards).
    with django_assert_num_queries(3):
        assert jwt_client.get("/api/v1/me/stats/").json()["play_count"] == 1
    with django_assert_num_queries(2):  # reused: the row and the cards
        assert jwt_client.get("/api/v1/me/stats/").json()["play_count"] == 1

    services.play_record(song_id=song.pk, user=user)

    body = jwt_client.get("/api/v1/me/stats/").json()
    assert body["play_count"] == 2
    assert body["top_songs"][0]["song"]["num_streams"] == 2


def test_stats_count_their_rate_limits_once_reused_or_not(user, jwt_client, rates):
    rates(user="3/min")
    _play(user, SongFactory())

    statuses = [jwt_client.get("/api/v1/me/stats/").status_code for _ in range(2)]
    statuses.append(jwt_client.get("/api/v1/me/stats/?period=decade").status_code)
    statuses.append(jwt_client.get("/api/v1/me/stats/").status_code)

    assert statuses == [200, 200, 400, 429]


@pytest.mark.skipif(
    django_redis_client(cache) is None, reason="counts round trips to Redis (REDIS_URL)"
)
def test_reused_stats_take_one_round_trip_to_redis(user, jwt_client, redis_round_trips):
    _play(user, SongFactory())
    jwt_client.get("/api/v1/me/stats/")
    redis_round_trips.clear()

    response = jwt_client.get("/api/v1/me/stats/")

    assert response.status_code == 200
    assert response["X-RateLimit-Remaining"]
    assert redis_round_trips == ["pipeline"]  # the rate limits, the generation, the rows


def _ran_the_statistics_query(queries) -> bool:
    return any("per_song" in query["sql"] for query in queries.captured_queries)


def test_repeated_stats_reuse_the_aggregate_until_the_next_play(user, user_client):
    song = SongFactory()
    services.play_record(song_id=song.pk, user=user)
    first = user_client.get("/api/v1/me/stats/").json()

    with CaptureQueriesContext(connection) as repeat:
        again = user_client.get("/api/v1/me/stats/").json()
    services.play_record(song_id=song.pk, user=user)
    with CaptureQueriesContext(connection) as after_play:
        fresh = user_client.get("/api/v1/me/stats/").json()

    assert again == first
    assert not _ran_the_statistics_query(repeat)
    assert _ran_the_statistics_query(after_play)
    assert fresh["play_count"] == first["play_count"] + 1
    assert fresh["top_songs"][0]["song"]["num_streams"] == 2  # song rows are always fresh


def test_reused_stats_follow_a_catalog_change_at_once(user, user_client):
    hidden_album = AlbumFactory()
    hidden, shown = SongFactory(album=hidden_album), SongFactory()
    _play(user, hidden)
    _play(user, shown)
    assert user_client.get("/api/v1/me/stats/").json()["play_count"] == 2

    hidden_album.is_published = False
    hidden_album.save()

    assert user_client.get("/api/v1/me/stats/").json()["play_count"] == 1


def _lookup(url: str):
    """The statistics' cache lookup for `url`, as a request would make it now."""
    return caching.response_lookup(name="stats-test", url=url, scopes=(caching.CONTENT,))


def test_one_request_computes_an_aggregate_the_others_wait_for(monkeypatch):
    from setlist.core import single_flight
    from setlist.library import stats

    assert caching.claim_build(_lookup("waited"))  # someone else is computing it
    waits = []

    def delivered_meanwhile(seconds):
        waits.append(seconds)
        stats._keep(_lookup("waited"), [("rows",)])

    monkeypatch.setattr(single_flight, "_pause", delivered_meanwhile)

    rows = stats._reused(_lookup("waited"), lambda: pytest.fail("computed twice"))

    assert rows == [("rows",)]
    assert len(waits) == 1


def test_a_computation_that_never_delivers_is_not_waited_for_forever(monkeypatch):
    from setlist.library import stats

    monkeypatch.setattr(stats, "COMPUTE_WAIT_SECONDS", 0.05)
    assert caching.claim_build(_lookup("stuck"))

    assert stats._reused(_lookup("stuck"), lambda: [("mine",)]) == [("mine",)]
    assert stats._reused(_lookup("stuck"), lambda: pytest.fail("computed twice")) == [("mine",)]


def test_waiters_compute_at_once_when_the_computation_is_given_up(monkeypatch):
    from setlist.core import single_flight
    from setlist.library import stats

    assert caching.claim_build(_lookup("given up"))
    waits = []

    def given_up_meanwhile(seconds):
        waits.append(seconds)
        caching.release_build(_lookup("given up"))

    monkeypatch.setattr(single_flight, "_pause", given_up_meanwhile)

    assert stats._reused(_lookup("given up"), lambda: [("mine",)]) == [("mine",)]
    assert len(waits) == 1


def test_aged_rows_are_recomputed_by_the_first_to_ask_and_served_to_the_others(monkeypatch):
    from setlist.library import stats

    with monkeypatch.context() as patched:
        patched.setattr(stats, "REUSE_SECONDS", -1)
        stats._keep(_lookup("aged"), [("old",)])  # kept a while ago, aged by now

    assert caching.claim_build(_lookup("aged"))  # someone else is recomputing them
    assert stats._reused(_lookup("aged"), lambda: pytest.fail("computed twice")) == [("old",)]

    caching.release_build(_lookup("aged"))  # nobody is
    assert stats._reused(_lookup("aged"), lambda: [("new",)]) == [("new",)]
    assert stats._reused(_lookup("aged"), lambda: pytest.fail("computed again")) == [("new",)]


def test_rows_kept_under_another_catalog_generation_are_not_served():
    from setlist.library import stats

    stats._keep(_lookup("renamed"), [("old",)])
    caching.catalog_cache_invalidate()

    assert stats._reused(_lookup("renamed"), lambda: [("new",)]) == [("new",)]


def test_a_failed_computation_lets_the_next_request_compute(monkeypatch):
    from setlist.library import stats

    def failing():
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        stats._reused(_lookup("failed"), failing)

    assert caching.claim_build(_lookup("failed"))  # the claim was given up
    caching.release_build(_lookup("failed"))
    assert stats._reused(_lookup("failed"), lambda: [("ok",)]) == [("ok",)]
