"""Albums: every filter and ordering, the detail with its songs, writes and publishing."""

import pytest
from django.db.models import F

from setlist.catalog.models import Album, Song

from .factories import AlbumFactory, ArtistFactory, GenreFactory, SongFactory
from .helpers import API, error_attrs, ids, results

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    """Four published albums (one undated) and one unpublished, with songs in two genres."""
    jazz, rock = GenreFactory(name="Jazz", slug="jazz"), GenreFactory(name="Rock", slug="rock")
    jobim, crue = ArtistFactory(name="Antônio Carlos Jobim"), ArtistFactory(name="Mötley Crüe")
    albums = {
        "wave": AlbumFactory(title="Wave", artist=jobim, year=1967),
        "stone": AlbumFactory(title="Stone Flower", artist=jobim, year=1970),
        "dr": AlbumFactory(title="Dr. Feelgood", artist=crue, year=1989),
        "live": AlbumFactory(title="Ao Vivo", artist=jobim, year=None),
        "hidden": AlbumFactory(title="Secret Tapes", artist=crue, year=1995, is_published=False),
    }
    SongFactory(album=albums["wave"], genre=jazz)
    SongFactory(album=albums["stone"], genre=jazz)
    SongFactory(album=albums["dr"], genre=rock)
    SongFactory(album=albums["live"], genre=rock)
    SongFactory(album=albums["live"], genre=jazz)
    SongFactory(album=albums["hidden"], genre=jazz)
    Album.objects.filter(pk=albums["dr"].pk).update(like_count=5)
    Album.objects.filter(pk=albums["wave"].pk).update(like_count=2)
    return albums


def _keys(shelf, response) -> list[str]:
    by_id = {album.id: key for key, album in shelf.items()}
    return [by_id[pk] for pk in ids(response)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["live", "dr", "stone", "wave"]),
        ({"ordering": "title"}, ["live", "dr", "stone", "wave"]),
        ({"ordering": "-title"}, ["wave", "stone", "dr", "live"]),
        ({"ordering": "year"}, ["wave", "stone", "dr", "live"]),
        ({"ordering": "-year"}, ["dr", "stone", "wave", "live"]),
        ({"ordering": "-like_count"}, ["dr", "wave", "live", "stone"]),  # ties: newest first
        ({"genre": "jazz", "ordering": "year"}, ["wave", "stone", "live"]),
        ({"genre": "rock"}, ["live", "dr"]),
        ({"genre": "polka"}, []),
        ({"year": 1970}, ["stone"]),
        ({"year_min": 1968}, ["dr", "stone"]),
        ({"year_max": 1970, "ordering": "-year"}, ["stone", "wave"]),
        ({"year_min": 1968, "year_max": 1970}, ["stone"]),
        ({"search": "FEELGOOD"}, ["dr"]),
        ({"search": "ao viv"}, ["live"]),
        ({"search": "tapes"}, []),
    ],
)
def test_filters_and_orderings_follow_the_data(api_client, shelf, params, expected):
    response = api_client.get(f"{API}/albums/", params)

    assert _keys(shelf, response) == expected


def test_artist_filter(api_client, shelf):
    response = api_client.get(f"{API}/albums/", {"artist": shelf["dr"].artist_id})

    assert _keys(shelf, response) == ["dr"]


def test_list_matches_a_query_on_the_data(api_client, shelf):
    """Year range and ordering agree with the same question asked of the database."""
    response = api_client.get(f"{API}/albums/", {"year_min": 1960, "ordering": "-year"})

    expected = Album.objects.filter(is_published=True, year__gte=1960).order_by(
        F("year").desc(nulls_last=True), "title", "id"
    )
    assert ids(response) == [album.id for album in expected]
    assert response.json()["count"] == expected.count()


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"year": "abc"}, "year"),
        ({"year_min": "1.5"}, "year_min"),
        ({"year_max": "-3"}, "year_max"),
        ({"year": "1969.0"}, "year"),  # whole numbers in a query string are digits only
        ({"year_min": " 1969"}, "year_min"),
        ({"artist": "1e3"}, "artist"),
        ({"artist": "abc"}, "artist"),
        ({"artist": "9" * 30}, "artist"),
        ({"genre": "not a slug!"}, "genre"),
        ({"ordering": "popularity"}, "ordering"),
        ({"year_min": 2000, "year_max": 1990}, "year_max"),
    ],
)
def test_invalid_filter_values_are_400(api_client, shelf, params, attr):
    response = api_client.get(f"{API}/albums/", params)

    assert response.status_code == 400
    assert attr in error_attrs(response)


def test_list_items_have_the_detail_fields_without_songs(api_client, shelf):
    item = next(a for a in results(api_client.get(f"{API}/albums/")) if a["title"] == "Ao Vivo")

    assert item == {
        "id": shelf["live"].id,
        "title": "Ao Vivo",
        "year": None,
        "release_date": None,
        "artist": {"id": shelf["live"].artist_id, "name": "Antônio Carlos Jobim"},
        "genres": [{"slug": "jazz", "name": "Jazz"}, {"slug": "rock", "name": "Rock"}],
        "song_count": 2,
        "duration_ms": 360_000,
        "like_count": 0,
        "is_published": True,
    }


def test_detail_has_songs_in_track_order(api_client, db):
    album = AlbumFactory(title="Elis & Tom")
    third = SongFactory(album=album, track_number=3, title="Só Tinha de Ser Com Você")
    first = SongFactory(album=album, track_number=1, title="Águas de Março")
    second = SongFactory(album=album, track_number=2, title="Pois É", duration_ms=1000)

    body = api_client.get(f"{API}/albums/{album.id}/").json()

    assert [song["id"] for song in body["songs"]] == [first.id, second.id, third.id]
    assert body["song_count"] == 3
    assert body["duration_ms"] == 180_000 * 2 + 1000
    assert body["songs"][0]["album"] == {"id": album.id, "title": "Elis & Tom"}
    assert set(body) == {
        "id",
        "title",
        "year",
        "release_date",
        "artist",
        "genres",
        "song_count",
        "duration_ms",
        "like_count",
        "is_published",
        "songs",
    }


def test_editor_creates_an_unpublished_album(editor_client, api_client, db):
    artist = ArtistFactory()

    response = editor_client.post(
        f"{API}/albums/",
        {"title": "Brand New", "artist_id": artist.id, "release_date": "2024-05-17"},
    )

    assert response.status_code == 201
    body = response.json()
    assert body["is_published"] is False
    assert body["year"] == 2024
    assert body["songs"] == []
    assert api_client.get(f"{API}/albums/{body['id']}/").status_code == 404


@pytest.mark.parametrize(
    ("payload", "attr"),
    [
        ({"title": "X", "artist_id": 999999}, "artist_id"),
        ({"title": "X", "artist_id": "abc"}, "artist_id"),
        ({"title": "", "artist_id": None}, "title"),
        ({"title": "X", "artist_id": None, "release_date": "yesterday"}, "release_date"),
        ({"title": "X", "artist_id": None, "year": 99999}, "year"),
        ({"title": "X", "artist_id": None, "year": "1999"}, "year"),  # a string, not a number
        ({"title": "X", "artist_id": None, "release_date": "2001-01-01", "year": 1999}, "year"),
        # The year would be derived from it and fall outside 1000..9999 (once a 500).
        ({"title": "X", "artist_id": None, "release_date": "0115-05-13"}, "release_date"),
    ],
)
def test_invalid_albums_are_400(editor_client, db, payload, attr):
    artist = ArtistFactory()
    payload = {**payload, "artist_id": payload["artist_id"] or artist.id}

    response = editor_client.post(f"{API}/albums/", payload)

    assert response.status_code == 400
    assert attr in error_attrs(response)


def test_editor_moves_an_album_to_another_artist(editor_client, shelf):
    other = ArtistFactory(name="Elis Regina")

    response = editor_client.patch(f"{API}/albums/{shelf['wave'].id}/", {"artist_id": other.id})

    assert response.status_code == 200
    assert response.json()["artist"] == {"id": other.id, "name": "Elis Regina"}


def test_publish_shows_the_album_and_unpublish_hides_it_again(editor_client, api_client, shelf):
    hidden = shelf["hidden"]

    published = editor_client.post(f"{API}/albums/{hidden.id}/publish/")
    assert published.status_code == 200
    assert published.json()["is_published"] is True
    assert api_client.get(f"{API}/albums/{hidden.id}/").status_code == 200

    unpublished = editor_client.post(f"{API}/albums/{hidden.id}/unpublish/")
    assert unpublished.status_code == 200
    assert unpublished.json()["is_published"] is False
    assert api_client.get(f"{API}/albums/{hidden.id}/").status_code == 404
    assert Song.objects.filter(album=hidden).count() == 1  # nothing deleted


def test_publishing_twice_is_harmless(editor_client, shelf):
    url = f"{API}/albums/{shelf['wave'].id}/publish/"

    assert editor_client.post(url).status_code == 200
    assert editor_client.post(url).json()["is_published"] is True


def test_publishing_a_missing_album_is_404(editor_client, db):
    assert editor_client.post(f"{API}/albums/424242/publish/").status_code == 404


def test_deleting_an_album_with_songs_is_409_unless_cascade(curator_client, shelf):
    url = f"{API}/albums/{shelf['live'].id}/"

    assert curator_client.delete(url).status_code == 409
    assert Song.objects.filter(album=shelf["live"]).count() == 2

    assert curator_client.delete(f"{url}?cascade=true").status_code == 204
    assert not Album.objects.filter(pk=shelf["live"].pk).exists()
    assert not Song.objects.filter(album_id=shelf["live"].pk).exists()


def test_deleting_an_empty_album_needs_no_cascade(curator_client, db):
    album = AlbumFactory()

    assert curator_client.delete(f"{API}/albums/{album.id}/").status_code == 204


def test_searching_in_reverse_title_order_keeps_the_order(api_client, db):
    for title in ("Blue Train", "Blue Moon", "Kind of Blue", "Red"):
        AlbumFactory(title=title)

    response = api_client.get(f"{API}/albums/", {"search": "blue", "ordering": "-title"})

    assert [album["title"] for album in results(response)] == [
        "Kind of Blue",
        "Blue Train",
        "Blue Moon",
    ]
