"""Songs on unpublished albums vanish from listeners' libraries and come back, nothing deleted."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from setlist.catalog.models import Song
from setlist.library.models import Play, PlaylistEntry, SongLike

from .factories import AlbumFactory, SongFactory, UserFactory, playlist_with_songs

pytestmark = pytest.mark.django_db


def _set_published(album, published: bool) -> None:
    album.is_published = published
    album.save()


@pytest.fixture
def hidden_album():
    return AlbumFactory()


def _visible_ids(client, url) -> list[int]:
    return [item["song"]["id"] for item in client.get(url).json()["results"]]


def test_liked_songs_hide_and_return_with_their_album(user, user_client, hidden_album):
    hidden, shown = SongFactory(album=hidden_album), SongFactory()
    user_client.put(f"/api/v1/me/likes/{hidden.pk}/")
    user_client.put(f"/api/v1/me/likes/{shown.pk}/")

    _set_published(hidden_album, False)
    while_hidden = _visible_ids(user_client, "/api/v1/me/likes/")
    contains = user_client.get(f"/api/v1/me/likes/contains/?ids={hidden.pk},{shown.pk}").json()
    _set_published(hidden_album, True)
    after = _visible_ids(user_client, "/api/v1/me/likes/")

    assert while_hidden == [shown.pk]
    assert contains == [False, True]
    assert after == [shown.pk, hidden.pk]
    assert SongLike.objects.count() == 2


def test_liked_albums_hide_and_return(user_client, hidden_album):
    user_client.put(f"/api/v1/me/liked-albums/{hidden_album.pk}/")

    _set_published(hidden_album, False)
    while_hidden = user_client.get("/api/v1/me/liked-albums/").json()["results"]
    _set_published(hidden_album, True)
    after = user_client.get("/api/v1/me/liked-albums/").json()["results"]

    assert while_hidden == []
    assert [item["album"]["id"] for item in after] == [hidden_album.pk]


def test_history_hides_and_returns(user, user_client, hidden_album):
    hidden = SongFactory(album=hidden_album)
    user_client.post(f"/api/v1/songs/{hidden.pk}/plays/")

    _set_published(hidden_album, False)
    while_hidden = _visible_ids(user_client, "/api/v1/me/history/")
    _set_published(hidden_album, True)

    assert while_hidden == []
    assert _visible_ids(user_client, "/api/v1/me/history/") == [hidden.pk]
    assert Play.objects.count() == 1


def test_playlist_entries_and_counts_hide_and_return(user, user_client, hidden_album):
    a, hidden, c = SongFactory(duration_ms=1000), SongFactory(album=hidden_album), SongFactory()
    playlist = playlist_with_songs([a, hidden, c], owner=user, is_public=True)
    songs_url = f"/api/v1/playlists/{playlist.pk}/songs/"

    _set_published(hidden_album, False)
    entries = user_client.get(songs_url).json()["results"]
    detail = user_client.get(f"/api/v1/playlists/{playlist.pk}/").json()
    export = user_client.get(f"/api/v1/playlists/{playlist.pk}/export.m3u").content.decode()
    _set_published(hidden_album, True)

    assert [(item["position"], item["song"]["id"]) for item in entries] == [(0, a.pk), (1, c.pk)]
    assert (detail["song_count"], detail["duration_ms"]) == (2, 1000 + c.duration_ms)
    assert export.count("#EXTINF") == 2
    assert _visible_ids(user_client, songs_url) == [a.pk, hidden.pk, c.pk]
    assert PlaylistEntry.objects.filter(playlist=playlist).count() == 3


def test_edits_address_the_positions_the_listener_sees(user, user_client, hidden_album):
    a, hidden, c, d = SongFactory(), SongFactory(album=hidden_album), SongFactory(), SongFactory()
    playlist = playlist_with_songs([a, hidden, c], owner=user)
    base = f"/api/v1/playlists/{playlist.pk}/songs/"
    _set_published(hidden_album, False)

    # Seen: [a, c]. Insert d at 1 (before c), move a to the end, remove position 0 (d).
    user_client.post(base, {"song_id": d.pk, "position": 1})
    user_client.post(f"{base}move/", {"from_position": 0, "to_position": 2})
    seen_after_edits = _visible_ids(user_client, base)
    user_client.delete(f"{base}0/")
    seen_after_remove = _visible_ids(user_client, base)
    _set_published(hidden_album, True)

    assert seen_after_edits == [d.pk, c.pk, a.pk]
    assert seen_after_remove == [c.pk, a.pk]
    # The hidden entry kept its place relative to its neighbours, and positions stay gapless.
    assert list(
        PlaylistEntry.objects.filter(playlist=playlist)
        .order_by("position")
        .values_list("position", "song_id")
    ) == [(0, hidden.pk), (1, c.pk), (2, a.pk)]


def test_editors_who_see_unpublished_songs_see_every_entry(hidden_album):
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="view_unpublished"))
    hidden = SongFactory(album=hidden_album)
    playlist = playlist_with_songs([hidden], owner=editor)
    _set_published(hidden_album, False)
    client = APIClient()
    client.force_authenticate(editor)

    assert _visible_ids(client, f"/api/v1/playlists/{playlist.pk}/songs/") == [hidden.pk]


def test_editors_see_their_likes_and_plays_of_unpublished_songs(hidden_album):
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="view_unpublished"))
    hidden, shown = SongFactory(album=hidden_album), SongFactory()
    for song in (shown, hidden):
        SongLike.objects.create(user=editor, song=song)
        Play.objects.create(user=editor, song=song)
    _set_published(hidden_album, False)
    client = APIClient()
    client.force_authenticate(editor)

    likes = client.get("/api/v1/me/likes/?page_size=1").json()
    history = client.get("/api/v1/me/history/").json()["results"]

    assert [item["song"]["id"] for item in likes["results"]] == [hidden.pk]
    assert _visible_ids(client, likes["next"]) == [shown.pk]
    assert [(item["song"]["id"], item["song"]["liked"]) for item in history] == [
        (hidden.pk, True),
        (shown.pk, True),
    ]


@pytest.mark.parametrize("genre", [True, False], ids=["with a genre", "without"])
def test_songs_on_likes_and_history_pages_are_shown_as_their_detail(user, user_client, genre):
    song = SongFactory() if genre else SongFactory(genre=None)
    SongLike.objects.create(user=user, song=song)
    Play.objects.create(user=user, song=song)
    Song.objects.filter(pk=song.pk).update(num_streams=7, like_count=3)

    detail = user_client.get(f"/api/v1/songs/{song.pk}/").json()
    liked = user_client.get("/api/v1/me/likes/").json()["results"][0]["song"]
    played = user_client.get("/api/v1/me/history/").json()["results"][0]["song"]

    assert liked == detail
    assert played == detail
    assert (detail["genre"] is None) is not genre
    assert (detail["liked"], detail["num_streams"], detail["like_count"]) == (True, 7, 3)


def test_public_profile_like_count_hides_and_returns(user, api_client, hidden_album):
    SongLike.objects.create(user=user, song=SongFactory(album=hidden_album))
    SongLike.objects.create(user=user, song=SongFactory())
    url = f"/api/v1/users/{user.username}/"

    _set_published(hidden_album, False)
    while_hidden = api_client.get(url).json()["like_count"]
    _set_published(hidden_album, True)

    assert while_hidden == 1
    assert api_client.get(url).json()["like_count"] == 2
