"""Public member profiles."""

import pytest

from setlist.library.models import SongLike

from .factories import PlaylistFactory, SongFactory

pytestmark = pytest.mark.django_db


def test_anyone_reads_a_public_profile(user, api_client):
    user.bio = "Loves bass lines"
    user.save()
    for song in SongFactory.create_batch(2):
        SongLike.objects.create(user=user, song=song)
    PlaylistFactory(owner=user, is_public=True)
    PlaylistFactory(owner=user, is_public=False)

    response = api_client.get(f"/api/v1/users/{user.username}/")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == user.username
    assert body["bio"] == "Loves bass lines"
    assert body["like_count"] == 2
    assert body["public_playlist_count"] == 1
    assert body["date_joined"].endswith("Z")
    assert set(body) == {"username", "bio", "date_joined", "like_count", "public_playlist_count"}


def test_profile_lookup_ignores_case(user, api_client):
    response = api_client.get(f"/api/v1/users/{user.username.upper()}/")

    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_an_unknown_username_is_404(api_client, db):
    response = api_client.get("/api/v1/users/nobody-here/")

    assert response.status_code == 404
    assert response.json()["type"] == "client_error"


def test_a_profile_does_not_count_other_peoples_likes(user, other_user, api_client):
    SongLike.objects.create(user=other_user, song=SongFactory())

    assert api_client.get(f"/api/v1/users/{user.username}/").json()["like_count"] == 0
