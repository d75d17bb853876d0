"""The admin: every catalog page loads, searches fold accents, publishing works, and an edit
made there is what the API serves next."""

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Permission
from django.urls import reverse

from setlist.accounts.tests.factories import UserFactory
from setlist.catalog.models import Album

from .factories import AlbumFactory, ArtistFactory, SongFactory
from .helpers import API

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def song():
    artist = ArtistFactory(name="Mötley Crüe")
    return SongFactory(album=AlbumFactory(artist=artist, title="Dr. Feelgood"), title="Kickstart")


@pytest.mark.parametrize("model", ["genre", "artist", "album", "song"])
def test_changelist_add_and_change_pages_load(admin_client, song, model):
    obj = {"genre": song.genre, "artist": song.album.artist, "album": song.album, "song": song}
    urls = [
        reverse(f"admin:catalog_{model}_changelist"),
        reverse(f"admin:catalog_{model}_add"),
        reverse(f"admin:catalog_{model}_change", args=[obj[model].pk]),
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("model", "query", "expected"),
    [("artist", "motley crue", "Mötley Crüe"), ("album", "FEELGOOD", "Dr. Feelgood")],
)
def test_admin_search_ignores_accents_and_case(admin_client, song, model, query, expected):
    response = admin_client.get(reverse(f"admin:catalog_{model}_changelist"), {"q": query})

    assert response.status_code == 200
    assert [str(row) for row in response.context["cl"].result_list] == [expected]


def test_artist_autocomplete_uses_the_folded_search(admin_client, song):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalog", "model_name": "album", "field_name": "artist", "term": "crue"},
    )

    assert [item["text"] for item in response.json()["results"]] == ["Mötley Crüe"]


def test_publish_and_unpublish_actions(admin_client, api_client, song):
    album = song.album
    changelist = reverse("admin:catalog_album_changelist")

    admin_client.post(changelist, {"action": "unpublish_albums", "_selected_action": [album.pk]})
    assert api_client.get(f"{API}/albums/{album.pk}/").status_code == 404

    admin_client.post(changelist, {"action": "publish_albums", "_selected_action": [album.pk]})
    assert api_client.get(f"{API}/albums/{album.pk}/").status_code == 200


def test_the_publish_actions_need_the_publish_permission(rf, db):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_album"]))
    request = rf.get("/admin/catalog/album/")
    request.user = staff
    album_admin = site._registry[Album]
    assert "publish_albums" not in album_admin.get_actions(request)

    staff.user_permissions.add(Permission.objects.get(codename="publish_album"))
    request.user = type(staff).objects.get(pk=staff.pk)  # fresh permission cache

    assert {"publish_albums", "unpublish_albums"} <= set(album_admin.get_actions(request))


def test_an_album_saved_with_its_songs_inline_is_served_next(admin_client, api_client, song):
    album = song.album
    api_client.get(f"{API}/albums/{album.pk}/")  # cached
    url = reverse("admin:catalog_album_change", args=[album.pk])
    data = {
        "title": "Dr. Feelgood (Remastered)",
        "artist": album.artist_id,
        "release_date": "",
        "year": "1989",
        "is_published": "on",
        "songs-TOTAL_FORMS": "1",
        "songs-INITIAL_FORMS": "1",
        "songs-MIN_NUM_FORMS": "0",
        "songs-MAX_NUM_FORMS": "1000",
        "songs-0-id": song.pk,
        "songs-0-album": album.pk,
        "songs-0-track_number": "1",
        "songs-0-title": "Kickstart My Heart",
        "songs-0-duration_ms": "282000",
        "songs-0-composer": "Nikki Sixx",
        "songs-0-genre": song.genre_id,
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    body = api_client.get(f"{API}/albums/{album.pk}/").json()
    assert body["title"] == "Dr. Feelgood (Remastered)"
    assert body["songs"][0]["title"] == "Kickstart My Heart"
    assert Album.objects.get(pk=album.pk).search_title == "dr. feelgood (remastered)"
