"""Listeners share the cached catalog; only their `liked` flags are their own.

And a like or a play drops the cached detail of its own song, not every song's.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from setlist.catalog.tests.factories import AlbumFactory, SongFactory
from setlist.library.services import likes, plays

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def song():
    return SongFactory(title="Song One", album=AlbumFactory(title="Album One"))


def _reads(song) -> list[str]:
    return [f"songs/{song.id}/", "songs/", f"albums/{song.album_id}/", "search/?q=song"]


def _liked(body: dict) -> list[bool]:
    """The `liked` flags of the songs in any of the bodies above."""
    if "liked" in body:
        return [body["liked"]]
    songs = body.get("results", body.get("songs"))
    return [item["liked"] for item in songs]


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("first", ["anonymous", "liker", "other"])
def test_each_caller_sees_only_their_own_likes_whoever_read_first(
    api_client, user, other_user, song, first
):
    likes.song_like_add(user=user, song=song)
    callers = {"anonymous": api_client, "liker": _client(user), "other": _client(other_user)}
    expected = {"anonymous": [False], "liker": [True], "other": [False]}
    order = [first, *(name for name in callers if name != first)]

    for url in _reads(song):
        for name in [*order, *order]:  # the second pass is served from the cache
            response = callers[name].get(f"{API}/{url}")
            assert response.status_code == 200, url
            assert _liked(response.json()) == expected[name], (url, name)


def test_a_listener_read_costs_no_catalog_query_once_anyone_read_it(api_client, user, song):
    listener = _client(user)
    for url in _reads(song):
        api_client.get(f"{API}/{url}")
        with CaptureQueriesContext(connection) as queries:
            assert listener.get(f"{API}/{url}").status_code == 200

        tables = " ".join(query["sql"] for query in queries)
        assert "catalog_" not in tables.replace("catalog.view_unpublished", ""), url


def test_likes_change_the_listener_etag_and_304_still_works(api_client, user, song):
    listener = _client(user)
    url = f"{API}/songs/{song.id}/"
    shared = api_client.get(url)["ETag"]
    assert listener.get(url)["ETag"] == shared  # same body, same tag

    likes.song_like_add(user=user, song=song)
    mine = listener.get(url)["ETag"]

    assert mine != api_client.get(url)["ETag"]
    assert listener.get(url, HTTP_IF_NONE_MATCH=mine).status_code == 304
    assert api_client.get(url, HTTP_IF_NONE_MATCH=mine).status_code == 200


def test_unpublished_songs_stay_out_of_the_shared_reads(api_client, user, song):
    hidden = SongFactory(title="Song Hidden", album=AlbumFactory(is_published=False))
    listener = _client(user)

    for client in (api_client, listener, api_client, listener):
        titles = [item["title"] for item in client.get(f"{API}/songs/").json()["results"]]
        assert titles == ["Song One"]
        assert client.get(f"{API}/songs/{hidden.id}/").status_code == 404


def test_a_play_drops_only_its_own_song_detail(api_client, song):
    neighbour = SongFactory(album=song.album)
    for item in (song, neighbour):
        api_client.get(f"{API}/songs/{item.id}/")

    plays.play_record(song_id=song.pk)

    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(f"{API}/songs/{neighbour.id}/").json()["num_streams"] == 0
    assert len(queries) == 0
    assert api_client.get(f"{API}/songs/{song.id}/").json()["num_streams"] == 1
    listed = api_client.get(f"{API}/songs/").json()["results"]
    assert {item["id"]: item["num_streams"] for item in listed} == {song.id: 1, neighbour.id: 0}


def test_likes_refresh_their_song_everywhere_it_is_shown(api_client, user, song):
    for url in _reads(song):
        api_client.get(f"{API}/{url}")

    likes.song_like_add(user=user, song=song)
    counts = [api_client.get(f"{API}/{url}").json() for url in _reads(song)]
    likes.song_like_remove(user=user, song_id=song.id)
    after = [api_client.get(f"{API}/{url}").json() for url in _reads(song)]

    def like_counts(bodies):
        return [
            item["like_count"]
            for body in bodies
            for item in ([body] if "liked" in body else body.get("results", body.get("songs")))
        ]

    assert like_counts(counts) == [1, 1, 1, 1]
    assert like_counts(after) == [0, 0, 0, 0]


def test_an_album_like_keeps_song_details_cached(api_client, user, song):
    api_client.get(f"{API}/songs/{song.id}/")

    likes.album_like_add(user=user, album=song.album)

    with CaptureQueriesContext(connection) as queries:
        api_client.get(f"{API}/songs/{song.id}/")
    assert len(queries) == 0
    assert api_client.get(f"{API}/albums/{song.album_id}/").json()["like_count"] == 1


def test_liked_among_finds_exactly_the_callers_likes(user, other_user, song):
    """Both ways it is asked (an array on PostgreSQL, the ORM elsewhere)."""
    from setlist.catalog.personal import _liked_among

    others = SongFactory.create_batch(3, album=song.album)
    likes.song_like_add(user=user, song=song)
    likes.song_like_add(user=user, song=others[1])
    likes.song_like_add(user=other_user, song=others[0])
    ids = [song.id, *(item.id for item in others)]

    assert _liked_among(user.pk, ids) == {song.id, others[1].id}
    assert _liked_among(other_user.pk, ids) == {others[0].id}
    assert _liked_among(user.pk, [others[2].id]) == set()
