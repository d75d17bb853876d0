"""Who may write (API.md, "Catalog"): anonymous 401, plain user 403, editors write and
publish, only staff holding the delete permission delete."""

import pytest
from django.contrib.auth.models import Permission

from setlist.accounts.tests.factories import UserFactory

from .conftest import client_for, editors_group
from .factories import AlbumFactory, GenreFactory, SongFactory
from .helpers import API

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    genre = GenreFactory(slug="jazz")
    album = AlbumFactory(is_published=False)
    song = SongFactory(album=album, genre=genre)
    return {"genre": genre, "artist": album.artist, "album": album, "song": song}


def _requests(rows) -> dict[str, list[tuple[str, str, dict]]]:
    """Each write of the catalog: (method, url, body)."""
    album, artist, song = rows["album"], rows["artist"], rows["song"]
    return {
        "create": [
            ("post", f"{API}/genres/", {"name": "Samba"}),
            ("post", f"{API}/artists/", {"name": "Gal Costa"}),
            ("post", f"{API}/albums/", {"title": "Fa-Tal", "artist_id": artist.id}),
            (
                "post",
                f"{API}/songs/",
                {"title": "Vapor Barato", "album_id": album.id, "duration_ms": 1000},
            ),
        ],
        "update": [
            ("patch", f"{API}/genres/jazz/", {"name": "Cool Jazz"}),
            ("put", f"{API}/artists/{artist.id}/", {"name": "Gal"}),
            ("patch", f"{API}/albums/{album.id}/", {"title": "Fatal"}),
            ("patch", f"{API}/songs/{song.id}/", {"title": "Vapor"}),
        ],
        "publish": [
            ("post", f"{API}/albums/{album.id}/publish/", {}),
            ("post", f"{API}/albums/{album.id}/unpublish/", {}),
        ],
        "delete": [
            ("delete", f"{API}/songs/{song.id}/", {}),
            ("delete", f"{API}/albums/{album.id}/", {}),
            ("delete", f"{API}/artists/{artist.id}/", {}),
            ("delete", f"{API}/genres/jazz/", {}),
        ],
    }


def _send(client, method: str, url: str, body: dict):
    return getattr(client, method)(url, body) if body else getattr(client, method)(url)


@pytest.mark.parametrize("kind", ["create", "update", "publish", "delete"])
def test_anonymous_writes_are_401_with_a_bearer_challenge(api_client, rows, kind):
    for method, url, body in _requests(rows)[kind]:
        response = _send(api_client, method, url, body)
        assert response.status_code == 401, (method, url)
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("kind", ["create", "update", "publish", "delete"])
def test_plain_users_are_403(user_client, rows, kind):
    for method, url, body in _requests(rows)[kind]:
        assert _send(user_client, method, url, body).status_code == 403, (method, url)


def test_editors_create_update_and_publish(editor_client, rows):
    expected = {"create": 201, "update": 200, "publish": 200}
    for kind, status in expected.items():
        for method, url, body in _requests(rows)[kind]:
            assert _send(editor_client, method, url, body).status_code == status, (method, url)


def test_editors_may_not_delete(editor_client, rows):
    for method, url, body in _requests(rows)["delete"]:
        assert _send(editor_client, method, url, body).status_code == 403, (method, url)


def test_staff_without_the_delete_permission_may_not_delete(rows):
    staff = UserFactory(is_staff=True)
    staff.groups.add(editors_group())
    client = client_for(staff)

    for method, url, body in _requests(rows)["delete"]:
        assert _send(client, method, url, body).status_code == 403, (method, url)


def test_staff_with_the_delete_permission_deletes_everything(curator_client, rows):
    for method, url, body in _requests(rows)["delete"]:
        assert _send(curator_client, method, url, body).status_code == 204, (method, url)


def test_a_non_staff_user_holding_delete_permissions_may_not_delete(rows):
    """Deleting is for staff: the permission alone is not enough."""
    holder = UserFactory()
    holder.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="catalog", codename__startswith="delete_"
        )
    )

    response = client_for(holder).delete(f"{API}/songs/{rows['song'].id}/")

    assert response.status_code == 403


def test_everyone_reads(api_client, user_client, rows):
    rows["album"].is_published = True
    rows["album"].save()
    for client in (api_client, user_client):
        for url in ("genres/", "artists/", "albums/", "songs/", f"songs/{rows['song'].id}/"):
            assert client.get(f"{API}/{url}").status_code == 200


def test_writes_to_a_missing_row_are_401_and_403_before_404(api_client, user_client, db):
    assert api_client.patch(f"{API}/songs/424242/", {"title": "x"}).status_code == 401
    assert user_client.patch(f"{API}/songs/424242/", {"title": "x"}).status_code == 403


def test_editors_get_404_for_a_missing_row(editor_client, db):
    assert editor_client.patch(f"{API}/songs/424242/", {"title": "x"}).status_code == 404
