"""Every library route and method, as anonymous, as another user and as the owner.

Each case makes one request and checks its status; for anyone but the owner it also
checks that nothing of the owner's changed (playlists, entries, versions, likes, plays)
and that a hidden playlist's name does not appear in the answer.
"""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from setlist.library import services
from setlist.library.models import AlbumLike, ArtistLike, Play, Playlist, PlaylistEntry, SongLike

from .factories import SongFactory, UserFactory, playlist_with_songs

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "other", "owner"]
SECRET = "secret-mix-7f3a"


@dataclass
class World:
    owner: object
    other: object
    songs: list
    private: Playlist
    public: Playlist

    def fill(self, template: str) -> str:
        song = self.songs[0]
        return template.format(
            private=self.private.pk,
            public=self.public.pk,
            song=song.pk,
            album=song.album_id,
            artist=song.album.artist_id,
            owner=self.owner.username,
        )


@pytest.fixture
def world() -> World:
    owner, other = UserFactory(), UserFactory()
    songs = SongFactory.create_batch(2)
    song = songs[0]
    private = playlist_with_songs(songs, owner=owner, name=SECRET, description=SECRET)
    public = playlist_with_songs(songs, owner=owner, name="Open", is_public=True)
    services.song_like_add(user=owner, song=song)
    services.album_like_add(user=owner, album=song.album)
    services.artist_like_add(user=owner, artist=song.album.artist)
    services.play_record(song_id=song.pk, user=owner)
    return World(owner, other, songs, private, public)


def owner_state(owner) -> dict:
    return {
        "playlists": list(
            Playlist.objects.filter(owner=owner)
            .order_by("pk")
            .values("pk", "name", "description", "is_public", "version", "updated_at")
        ),
        "entries": list(
            PlaylistEntry.objects.filter(playlist__owner=owner)
            .order_by("playlist", "position")
            .values_list("playlist", "position", "song", "added_at")
        ),
        "song_likes": list(SongLike.objects.filter(user=owner).values_list("song", "created_at")),
        "album_likes": list(AlbumLike.objects.filter(user=owner).values_list("album")),
        "artist_likes": list(ArtistLike.objects.filter(user=owner).values_list("artist")),
        "plays": list(Play.objects.filter(user=owner).values_list("pk", "song")),
    }


def client_for(actor: str, world: World) -> APIClient:
    client = APIClient()
    if actor != "anonymous":
        client.force_authenticate(world.owner if actor == "owner" else world.other)
    return client


# (method, path, body, success status): on playlists, reads and writes.
PLAYLIST_READS = [
    ("get", "/api/v1/playlists/{pl}/", None, 200),
    ("get", "/api/v1/playlists/{pl}/songs/", None, 200),
    ("get", "/api/v1/playlists/{pl}/export.m3u", None, 200),
]
PLAYLIST_WRITES = [
    ("patch", "/api/v1/playlists/{pl}/", {"name": "changed"}, 200),
    ("put", "/api/v1/playlists/{pl}/", {"name": "changed"}, 200),
    ("delete", "/api/v1/playlists/{pl}/", None, 204),
    ("post", "/api/v1/playlists/{pl}/songs/", {"song_id": "{song}"}, 201),
    ("delete", "/api/v1/playlists/{pl}/songs/0/", None, 204),
    ("post", "/api/v1/playlists/{pl}/songs/move/", {"from_position": 0, "to_position": 1}, 200),
]


def _expected_playlist_status(kind: str, actor: str, private: bool, success: int) -> int:
    if actor == "owner":
        return success
    if kind == "write" and actor == "anonymous":
        return 401  # authentication comes before any lookup
    if private:
        return 404  # never reveal that someone else's private playlist exists
    return 200 if kind == "read" else 403


def _body(world: World, body):
    if body is None:
        return None
    return {
        key: int(world.fill(value)) if value == "{song}" else value for key, value in body.items()
    }


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("private", [True, False], ids=["private", "public"])
@pytest.mark.parametrize(
    ("kind", "method", "path", "body", "success"),
    [("read", *route) for route in PLAYLIST_READS]
    + [("write", *route) for route in PLAYLIST_WRITES],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_playlist_routes(world, actor, private, kind, method, path, body, success):
    playlist = world.private if private else world.public
    before = owner_state(world.owner)

    response = getattr(client_for(actor, world), method)(
        path.format(pl=playlist.pk), _body(world, body)
    )

    assert response.status_code == _expected_playlist_status(kind, actor, private, success)
    if actor != "owner":
        assert owner_state(world.owner) == before
        if private:
            assert SECRET not in response.content.decode()


# (method, path, body, status for anonymous, status for a signed-in user): the caller's own.
CALLER_ROUTES = [
    ("get", "/api/v1/me/likes/", None, 401, 200),
    ("put", "/api/v1/me/likes/{song}/", None, 401, 201),
    ("delete", "/api/v1/me/likes/{song}/", None, 401, 204),
    ("get", "/api/v1/me/likes/contains/?ids={song}", None, 401, 200),
    ("get", "/api/v1/me/liked-albums/", None, 401, 200),
    ("put", "/api/v1/me/liked-albums/{album}/", None, 401, 201),
    ("delete", "/api/v1/me/liked-albums/{album}/", None, 401, 204),
    ("get", "/api/v1/me/liked-artists/", None, 401, 200),
    ("put", "/api/v1/me/liked-artists/{artist}/", None, 401, 201),
    ("delete", "/api/v1/me/liked-artists/{artist}/", None, 401, 204),
    ("get", "/api/v1/me/history/", None, 401, 200),
    ("get", "/api/v1/me/stats/?period=all", None, 401, 200),
    ("post", "/api/v1/songs/{song}/plays/", None, 201, 201),
    ("get", "/api/v1/playlists/", None, 200, 200),
    ("get", "/api/v1/playlists/?owner={owner}", None, 200, 200),
    ("post", "/api/v1/playlists/", {"name": "new"}, 401, 201),
    ("get", "/api/v1/users/{owner}/", None, 200, 200),
]


@pytest.mark.parametrize("actor", ["anonymous", "other"])
@pytest.mark.parametrize(
    ("method", "path", "body", "anonymous_status", "user_status"),
    CALLER_ROUTES,
    ids=[f"{method} {path}" for method, path, *_ in CALLER_ROUTES],
)
def test_caller_routes_never_touch_the_owners_data(
    world, actor, method, path, body, anonymous_status, user_status
):
    before = owner_state(world.owner)

    response = getattr(client_for(actor, world), method)(world.fill(path), body)

    assert response.status_code == (anonymous_status if actor == "anonymous" else user_status)
    assert owner_state(world.owner) == before
    assert SECRET not in response.content.decode()


def test_the_owner_sees_their_own_data_on_the_caller_routes(world):
    client = client_for("owner", world)
    song = world.songs[0]

    likes = client.get("/api/v1/me/likes/").json()["results"]
    history = client.get("/api/v1/me/history/").json()["results"]
    mine = client.get("/api/v1/playlists/?owner=me").json()["results"]
    contains = client.get(f"/api/v1/me/likes/contains/?ids={song.pk}").json()
    relike = client.put(f"/api/v1/me/likes/{song.pk}/")

    assert [item["song"]["id"] for item in likes] == [song.pk]
    assert [item["song"]["id"] for item in history] == [song.pk]
    assert {item["id"] for item in mine} == {world.private.pk, world.public.pk}
    assert contains == [True]
    assert relike.status_code == 200
