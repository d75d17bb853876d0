"""Artists: search, orderings, detail with visible albums, writes and guarded deletes."""

import pytest

from setlist.catalog.models import Album, Artist, Song

from .factories import AlbumFactory, ArtistFactory, SongFactory
from .helpers import API, error_attrs, ids, results

pytestmark = pytest.mark.django_db


@pytest.fixture
def artists():
    """Three artists with 2, 0 and 1 published albums (and one unpublished)."""
    crue = ArtistFactory(name="Mötley Crüe")
    abba = ArtistFactory(name="ABBA")
    jobim = ArtistFactory(name="Antônio Carlos Jobim")
    AlbumFactory.create_batch(2, artist=crue)
    AlbumFactory(artist=jobim)
    AlbumFactory(artist=abba, is_published=False)
    return {"crue": crue, "abba": abba, "jobim": jobim}


def test_list_items_are_id_name_and_album_count(api_client, artists):
    response = api_client.get(f"{API}/artists/")

    assert results(response) == [
        {"id": artists["abba"].id, "name": "ABBA", "album_count": 0},
        {"id": artists["jobim"].id, "name": "Antônio Carlos Jobim", "album_count": 1},
        {"id": artists["crue"].id, "name": "Mötley Crüe", "album_count": 2},
    ]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["abba", "jobim", "crue"]),
        ("-name", ["crue", "jobim", "abba"]),
        ("album_count", ["abba", "jobim", "crue"]),
        ("-album_count", ["crue", "jobim", "abba"]),
    ],
)
def test_orderings_follow_the_data(api_client, artists, ordering, expected):
    response = api_client.get(f"{API}/artists/", {"ordering": ordering})

    assert ids(response) == [artists[key].id for key in expected]


def test_album_count_ties_are_broken_by_id(api_client, db):
    first, second = ArtistFactory(name="B"), ArtistFactory(name="A")

    response = api_client.get(f"{API}/artists/", {"ordering": "album_count"})

    assert ids(response) == [first.id, second.id]


@pytest.mark.parametrize("query", ["motley crue", "MÖTLEY", "crüe", "tley cr"])
def test_search_ignores_case_and_accents(api_client, artists, query):
    response = api_client.get(f"{API}/artists/", {"search": query})

    assert ids(response) == [artists["crue"].id]


def test_search_needs_every_word_in_any_order(api_client, artists):
    assert ids(api_client.get(f"{API}/artists/", {"search": "jobim antonio"})) == [
        artists["jobim"].id
    ]
    assert ids(api_client.get(f"{API}/artists/", {"search": "jobim crue"})) == []


@pytest.mark.parametrize(
    ("params", "attr"),
    [({"ordering": "age"}, "ordering"), ({"search": "x" * 201}, "search")],
)
def test_invalid_parameters_are_400(api_client, artists, params, attr):
    response = api_client.get(f"{API}/artists/", params)

    assert response.status_code == 400
    assert attr in error_attrs(response)


def test_detail_lists_visible_albums_oldest_first_with_links(api_client, db):
    artist = ArtistFactory(name="Caetano Veloso")
    undated = AlbumFactory(artist=artist, year=None, title="Undated")
    late = AlbumFactory(artist=artist, year=1990, title="Late")
    early = AlbumFactory(artist=artist, year=1968, title="Early")
    AlbumFactory(artist=artist, is_published=False)

    response = api_client.get(f"{API}/artists/{artist.id}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": artist.id,
        "name": "Caetano Veloso",
        "album_count": 3,
        "albums": [
            {
                "id": album.id,
                "title": album.title,
                "year": album.year,
                "url": f"http://testserver{API}/albums/{album.id}/",
            }
            for album in (early, late, undated)
        ],
    }


def test_editors_see_unpublished_albums_in_the_detail(editor_client, artists):
    body = editor_client.get(f"{API}/artists/{artists['abba'].id}/").json()

    assert body["album_count"] == 1
    assert len(body["albums"]) == 1


@pytest.mark.parametrize("path", ["999999", "0"])
def test_missing_artist_is_404(api_client, db, path):
    assert api_client.get(f"{API}/artists/{path}/").status_code == 404


def test_an_id_too_long_for_the_database_is_404_not_500(api_client, db):
    assert api_client.get(f"{API}/artists/{'9' * 30}/").status_code == 404


def test_editor_creates_and_renames_an_artist(editor_client):
    created = editor_client.post(f"{API}/artists/", {"name": "Björk"})
    assert created.status_code == 201
    assert created.json()["name"] == "Björk"
    assert created.json()["albums"] == []

    renamed = editor_client.put(f"{API}/artists/{created.json()['id']}/", {"name": "Bjork"})

    assert renamed.status_code == 200
    assert Artist.objects.get(pk=created.json()["id"]).search_name == "bjork"


def test_blank_name_is_400(editor_client):
    response = editor_client.post(f"{API}/artists/", {"name": ""})

    assert response.status_code == 400
    assert error_attrs(response) == {"name"}


def test_deleting_an_artist_with_songs_is_409_and_changes_nothing(curator_client, db):
    song = SongFactory()
    artist = song.album.artist

    response = curator_client.delete(f"{API}/artists/{artist.id}/")

    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "conflict"
    assert Song.objects.filter(pk=song.pk).exists()


def test_cascade_deletes_the_artist_its_albums_and_songs(curator_client, db):
    song = SongFactory()
    artist = song.album.artist

    response = curator_client.delete(f"{API}/artists/{artist.id}/?cascade=true")

    assert response.status_code == 204
    assert not Artist.objects.filter(pk=artist.pk).exists()
    assert not Album.objects.filter(artist_id=artist.pk).exists()
    assert not Song.objects.filter(pk=song.pk).exists()


def test_an_artist_whose_albums_have_no_songs_is_deleted_without_cascade(curator_client, db):
    album = AlbumFactory()

    response = curator_client.delete(f"{API}/artists/{album.artist_id}/")

    assert response.status_code == 204
    assert not Album.objects.filter(pk=album.pk).exists()


def test_a_cascade_flag_that_is_not_a_boolean_is_400(curator_client, db):
    artist = ArtistFactory()

    response = curator_client.delete(f"{API}/artists/{artist.id}/?cascade=maybe")

    assert response.status_code == 400
    assert Artist.objects.filter(pk=artist.pk).exists()
