"""Playlists through the API: CRUD, entries, versions and If-Match, export."""

import pytest

from setlist.library.models import Playlist, PlaylistEntry

from .factories import PlaylistFactory, SongFactory, playlist_with_songs

pytestmark = pytest.mark.django_db


def _song_ids(client, playlist) -> list[int]:
    body = client.get(f"/api/v1/playlists/{playlist.pk}/songs/?page_size=100").json()
    assert [item["position"] for item in body["results"]] == list(range(len(body["results"])))
    return [item["song"]["id"] for item in body["results"]]


def _stored(playlist) -> list[tuple[int, int]]:
    return list(
        PlaylistEntry.objects.filter(playlist=playlist)
        .order_by("position")
        .values_list("position", "song_id")
    )


# --- Create, read, update, delete ----------------------------------------------------------


def test_create_a_playlist(user, user_client):
    response = user_client.post(
        "/api/v1/playlists/", {"name": "Road trip", "description": "Loud", "is_public": True}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Road trip"
    assert body["description"] == "Loud"
    assert body["is_public"] is True
    assert body["owner"] == {"username": user.username}
    assert body["song_count"] == 0
    assert body["duration_ms"] == 0
    assert body["version"] == 1
    assert set(body) == {
        "id",
        "name",
        "description",
        "is_public",
        "owner",
        "song_count",
        "duration_ms",
        "created_at",
        "updated_at",
        "version",
    }
    assert response["ETag"] == '"1"'
    assert Playlist.objects.get(pk=body["id"]).owner == user


def test_a_new_playlist_is_private_by_default(user_client):
    body = user_client.post("/api/v1/playlists/", {"name": "Mine"}).json()

    assert body["is_public"] is False
    assert body["description"] == ""


@pytest.mark.parametrize(
    ("payload", "attr"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "a", "is_public": "maybe"}, "is_public"),
    ],
)
def test_create_refuses_bad_input_with_400(user_client, payload, attr):
    response = user_client.post("/api/v1/playlists/", payload)

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr


def test_creating_needs_a_signed_in_user(api_client):
    assert api_client.post("/api/v1/playlists/", {"name": "x"}).status_code == 401


def test_list_shows_own_playlists_and_public_ones(user, other_user, user_client):
    own_private = PlaylistFactory(owner=user)
    theirs_public = PlaylistFactory(owner=other_user, is_public=True)
    PlaylistFactory(owner=other_user, is_public=False)

    body = user_client.get("/api/v1/playlists/").json()

    assert {item["id"] for item in body["results"]} == {own_private.pk, theirs_public.pk}
    assert body["count"] == 2


def test_anonymous_list_shows_public_playlists_only(api_client, user):
    public = PlaylistFactory(owner=user, is_public=True)
    PlaylistFactory(owner=user)

    body = api_client.get("/api/v1/playlists/").json()

    assert [item["id"] for item in body["results"]] == [public.pk]


def test_list_filters_by_owner(user, other_user, user_client):
    PlaylistFactory(owner=user)
    public = PlaylistFactory(owner=other_user, is_public=True)
    PlaylistFactory(owner=other_user)

    by_name = user_client.get(f"/api/v1/playlists/?owner={other_user.username.upper()}").json()
    mine = user_client.get("/api/v1/playlists/?owner=me").json()

    assert [item["id"] for item in by_name["results"]] == [public.pk]
    assert [item["owner"]["username"] for item in mine["results"]] == [user.username]


def test_owner_me_needs_a_signed_in_user(api_client):
    assert api_client.get("/api/v1/playlists/?owner=me").status_code == 401


def test_list_query_count_does_not_grow_with_page_size(
    user, user_client, django_assert_num_queries
):
    songs = SongFactory.create_batch(3)
    for _ in range(30):
        playlist_with_songs(songs, owner=user)
    user_client.get("/api/v1/playlists/?page_size=1")

    # A count and one page (owner joined, totals as subqueries).
    with django_assert_num_queries(2):
        user_client.get("/api/v1/playlists/?page_size=1")
    with django_assert_num_queries(2):
        body = user_client.get("/api/v1/playlists/?page_size=30").json()

    assert {item["song_count"] for item in body["results"]} == {3}


def test_detail_has_counts_duration_and_etag(user, user_client):
    songs = [SongFactory(duration_ms=1000), SongFactory(duration_ms=2500)]
    playlist = playlist_with_songs([*songs, songs[0]], owner=user)

    response = user_client.get(f"/api/v1/playlists/{playlist.pk}/")

    assert response.status_code == 200
    assert response.json()["song_count"] == 3
    assert response.json()["duration_ms"] == 4500
    assert response["ETag"] == '"1"'


def test_patch_changes_only_what_it_names_and_bumps_the_version(user, user_client):
    playlist = PlaylistFactory(owner=user, name="Old", description="Keep me")

    response = user_client.patch(f"/api/v1/playlists/{playlist.pk}/", {"name": "New"})

    assert response.status_code == 200
    assert response.json()["name"] == "New"
    assert response.json()["description"] == "Keep me"
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'


def test_put_replaces_the_details(user, user_client):
    playlist = PlaylistFactory(owner=user, description="Gone", is_public=True)

    response = user_client.put(f"/api/v1/playlists/{playlist.pk}/", {"name": "Fresh"})

    assert response.status_code == 200
    assert response.json()["description"] == ""
    assert response.json()["is_public"] is False
    assert user_client.put(f"/api/v1/playlists/{playlist.pk}/", {}).status_code == 400


def test_delete_removes_the_playlist_and_its_entries(user, user_client):
    playlist = playlist_with_songs([SongFactory()], owner=user)

    response = user_client.delete(f"/api/v1/playlists/{playlist.pk}/")

    assert response.status_code == 204
    assert not Playlist.objects.filter(pk=playlist.pk).exists()
    assert not PlaylistEntry.objects.exists()


def test_an_unknown_playlist_is_404(user_client):
    assert user_client.get("/api/v1/playlists/987654/").status_code == 404
    assert user_client.get("/api/v1/playlists/987654/songs/").status_code == 404


# --- Entries -------------------------------------------------------------------------------


def test_add_appends_a_song_and_answers_with_the_entry(user, user_client):
    first, second = SongFactory(), SongFactory()
    playlist = playlist_with_songs([first], owner=user)

    response = user_client.post(f"/api/v1/playlists/{playlist.pk}/songs/", {"song_id": second.pk})

    assert response.status_code == 201
    assert response.json()["position"] == 1
    assert response.json()["song"]["id"] == second.pk
    assert set(response.json()) == {"position", "song", "added_at"}
    assert response["ETag"] == '"2"'
    assert _song_ids(user_client, playlist) == [first.pk, second.pk]


def test_add_at_a_position_inserts_and_shifts_the_rest(user, user_client):
    a, b, c = SongFactory.create_batch(3)
    playlist = playlist_with_songs([a, b], owner=user)

    response = user_client.post(
        f"/api/v1/playlists/{playlist.pk}/songs/", {"song_id": c.pk, "position": 1}
    )

    assert response.status_code == 201
    assert response.json()["position"] == 1
    assert _song_ids(user_client, playlist) == [a.pk, c.pk, b.pk]
    assert _stored(playlist) == [(0, a.pk), (1, c.pk), (2, b.pk)]


def test_add_at_the_front_and_at_the_end(user, user_client):
    a, b, c = SongFactory.create_batch(3)
    playlist = playlist_with_songs([a], owner=user)
    url = f"/api/v1/playlists/{playlist.pk}/songs/"

    user_client.post(url, {"song_id": b.pk, "position": 0})
    user_client.post(url, {"song_id": c.pk, "position": 2})

    assert _song_ids(user_client, playlist) == [b.pk, a.pk, c.pk]


def test_the_same_song_may_appear_twice(user, user_client):
    song = SongFactory()
    playlist = PlaylistFactory(owner=user)
    url = f"/api/v1/playlists/{playlist.pk}/songs/"

    user_client.post(url, {"song_id": song.pk})
    user_client.post(url, {"song_id": song.pk})

    assert _song_ids(user_client, playlist) == [song.pk, song.pk]
    assert user_client.get(f"/api/v1/playlists/{playlist.pk}/").json()["song_count"] == 2


@pytest.mark.parametrize(
    ("payload", "attr"),
    [
        ({"song_id": 987654}, "song_id"),
        ({}, "song_id"),
        ({"song_id": "abc"}, "song_id"),
        ({"song_id": 10**30}, "song_id"),
        ({"position": 2}, "position"),  # past the end (length 1): refused, not clamped
        ({"position": -1}, "position"),
        ({"position": "first"}, "position"),
        ({"song_id": "1"}, "song_id"),  # a JSON string is not an id, even of digits
        ({"position": 0.5}, "position"),
        ({"position": True}, "position"),
    ],
)
def test_add_refuses_bad_input_with_400(user, user_client, payload, attr):
    song = SongFactory()
    playlist = playlist_with_songs([song], owner=user)
    if "position" in payload:
        payload = {"song_id": song.pk, **payload}

    response = user_client.post(f"/api/v1/playlists/{playlist.pk}/songs/", payload)

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr
    assert _stored(playlist) == [(0, song.pk)]
    assert Playlist.objects.get(pk=playlist.pk).version == 1


def test_adding_a_song_on_an_unpublished_album_is_400(user, user_client):
    hidden = SongFactory(album__is_published=False)
    playlist = PlaylistFactory(owner=user)

    response = user_client.post(f"/api/v1/playlists/{playlist.pk}/songs/", {"song_id": hidden.pk})

    assert response.status_code == 400
    assert not PlaylistEntry.objects.exists()


def test_remove_shifts_later_positions_down(user, user_client):
    a, b, c = SongFactory.create_batch(3)
    playlist = playlist_with_songs([a, b, c], owner=user)

    response = user_client.delete(f"/api/v1/playlists/{playlist.pk}/songs/1/")

    assert response.status_code == 204
    assert response["ETag"] == '"2"'
    assert _stored(playlist) == [(0, a.pk), (1, c.pk)]


def test_removing_a_missing_position_is_404(user, user_client):
    playlist = playlist_with_songs([SongFactory()], owner=user)

    response = user_client.delete(f"/api/v1/playlists/{playlist.pk}/songs/1/")

    assert response.status_code == 404
    assert Playlist.objects.get(pk=playlist.pk).version == 1


@pytest.mark.parametrize(
    ("source", "target", "order"),
    [(0, 2, "bca"), (2, 0, "cab"), (1, 0, "bac"), (0, 1, "bac"), (1, 1, "abc")],
)
def test_move_reorders(user, user_client, source, target, order):
    songs = dict(zip("abc", SongFactory.create_batch(3), strict=True))
    playlist = playlist_with_songs(songs.values(), owner=user)

    response = user_client.post(
        f"/api/v1/playlists/{playlist.pk}/songs/move/",
        {"from_position": source, "to_position": target},
    )

    assert response.status_code == 200
    assert response.json()["position"] == target
    assert response.json()["song"]["id"] == songs["abc"[source]].pk
    assert _song_ids(user_client, playlist) == [songs[key].pk for key in order]


def test_moving_onto_the_same_place_keeps_the_version(user, user_client):
    playlist = playlist_with_songs(SongFactory.create_batch(2), owner=user)

    response = user_client.post(
        f"/api/v1/playlists/{playlist.pk}/songs/move/", {"from_position": 1, "to_position": 1}
    )

    assert response["ETag"] == '"1"'


@pytest.mark.parametrize(
    ("payload", "attr"),
    [
        ({"from_position": 3, "to_position": 0}, "from_position"),
        ({"from_position": 0, "to_position": 3}, "to_position"),
        ({"from_position": -1, "to_position": 0}, "from_position"),
        ({"to_position": 0}, "from_position"),
        ({"from_position": "x", "to_position": 0}, "from_position"),
        ({"from_position": 0, "to_position": "1"}, "to_position"),
    ],
)
def test_move_refuses_bad_positions_with_400(user, user_client, payload, attr):
    playlist = playlist_with_songs(SongFactory.create_batch(3), owner=user)

    response = user_client.post(f"/api/v1/playlists/{playlist.pk}/songs/move/", payload)

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr


def test_songs_list_query_count_does_not_grow_with_page_size(
    user, user_client, django_assert_num_queries
):
    playlist = playlist_with_songs(SongFactory.create_batch(30), owner=user)
    url = f"/api/v1/playlists/{playlist.pk}/songs/"
    user_client.get(f"{url}?page_size=1")

    # The playlist, a count, the page of entries, their songs with the caller's likes.
    with django_assert_num_queries(4):
        user_client.get(f"{url}?page_size=1")
    with django_assert_num_queries(4):
        body = user_client.get(f"{url}?page_size=30").json()

    assert [item["position"] for item in body["results"]] == list(range(30))


def test_songs_list_pages_keep_absolute_positions(user, user_client):
    playlist = playlist_with_songs(SongFactory.create_batch(5), owner=user)

    body = user_client.get(f"/api/v1/playlists/{playlist.pk}/songs/?page=2&page_size=2").json()

    assert [item["position"] for item in body["results"]] == [2, 3]
    assert body["count"] == 5


# --- Versions and If-Match -----------------------------------------------------------------


def test_every_edit_bumps_the_version(user, user_client):
    a, b = SongFactory.create_batch(2)
    playlist = PlaylistFactory(owner=user)
    base = f"/api/v1/playlists/{playlist.pk}"

    user_client.post(f"{base}/songs/", {"song_id": a.pk})
    user_client.post(f"{base}/songs/", {"song_id": b.pk})
    user_client.post(f"{base}/songs/move/", {"from_position": 0, "to_position": 1})
    user_client.delete(f"{base}/songs/0/")
    user_client.patch(f"{base}/", {"description": "edited"})

    assert user_client.get(f"{base}/").json()["version"] == 6


def test_move_with_a_stale_if_match_is_412_and_changes_nothing(user, user_client):
    a, b = SongFactory.create_batch(2)
    playlist = playlist_with_songs([a, b], owner=user)
    url = f"/api/v1/playlists/{playlist.pk}/songs/move/"
    move = {"from_position": 0, "to_position": 1}

    stale = user_client.post(url, move, HTTP_IF_MATCH='"7"')
    current = user_client.post(url, move, HTTP_IF_MATCH='"1"')
    replayed = user_client.post(url, move, HTTP_IF_MATCH='"1"')

    assert stale.status_code == 412
    assert stale.json()["errors"][0]["code"] == "precondition_failed"
    assert current.status_code == 200
    assert current["ETag"] == '"2"'
    assert replayed.status_code == 412
    assert _stored(playlist) == [(0, b.pk), (1, a.pk)]


@pytest.mark.parametrize(
    ("header", "expected"),
    [('"1"', 200), ("*", 200), ('"5", "1"', 200), ('W/"1"', 412), ("1", 412), ("junk", 412)],
)
def test_if_match_forms(user, user_client, header, expected):
    playlist = playlist_with_songs(SongFactory.create_batch(2), owner=user)

    response = user_client.post(
        f"/api/v1/playlists/{playlist.pk}/songs/move/",
        {"from_position": 0, "to_position": 1},
        HTTP_IF_MATCH=header,
    )

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("method", "suffix", "payload"),
    [
        ("patch", "/", {"name": "n"}),
        ("put", "/", {"name": "n"}),
        ("delete", "/", None),
        ("post", "/songs/", {"song_id": "SONG"}),
        ("delete", "/songs/0/", None),
    ],
)
def test_every_write_honours_if_match(user, user_client, method, suffix, payload):
    song = SongFactory()
    playlist = playlist_with_songs([song], owner=user)
    if payload and payload.get("song_id") == "SONG":
        payload = {"song_id": song.pk}

    response = getattr(user_client, method)(
        f"/api/v1/playlists/{playlist.pk}{suffix}", payload, HTTP_IF_MATCH='"9"'
    )

    assert response.status_code == 412
    assert Playlist.objects.get(pk=playlist.pk).version == 1
    assert _stored(playlist) == [(0, song.pk)]


# --- Export --------------------------------------------------------------------------------


def test_export_is_extended_m3u(user, user_client):
    song = SongFactory(title="Line\nBreak", duration_ms=61_400, album__artist__name="Ünïcode")
    playlist = playlist_with_songs([song], owner=user, name="Trip")

    response = user_client.get(f"/api/v1/playlists/{playlist.pk}/export.m3u")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("audio/x-mpegurl")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines == [
        "#EXTM3U",
        "#PLAYLIST:Trip",
        "#EXTINF:61,Ünïcode - Line Break",
        f"http://testserver/api/v1/songs/{song.pk}/",
    ]


def test_export_of_a_hidden_playlist_is_a_json_404(other_user, user_client):
    playlist = PlaylistFactory(owner=other_user)

    response = user_client.get(
        f"/api/v1/playlists/{playlist.pk}/export.m3u", HTTP_ACCEPT="audio/x-mpegurl"
    )

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "client_error"


@pytest.mark.parametrize(
    ("query", "status", "content_type"),
    [
        ("?format=m3u", 200, "audio/x-mpegurl"),
        ("?format=json", 200, "application/json"),
        ("?format=xml", 404, "application/json"),
        ("?format=", 404, "application/json"),
    ],
)
def test_export_format_override(user, user_client, query, status, content_type):
    """`format` picks a documented renderer; an empty or unknown one is refused, not ignored."""
    playlist = playlist_with_songs([SongFactory()], owner=user)

    response = user_client.get(f"/api/v1/playlists/{playlist.pk}/export.m3u{query}")

    assert response.status_code == status
    assert response["Content-Type"].startswith(content_type)
