"""Genres: list with visible song counts, lookup by slug, writes by role."""

import pytest

from setlist.catalog.models import Genre

from .factories import AlbumFactory, GenreFactory, SongFactory
from .helpers import API, error_attrs, results

pytestmark = pytest.mark.django_db


@pytest.fixture
def rock():
    genre = GenreFactory(name="Rock", slug="rock")
    SongFactory.create_batch(2, genre=genre)
    SongFactory(genre=genre, album=AlbumFactory(is_published=False))
    return genre


def test_list_shows_slug_name_and_the_songs_anyone_can_see(api_client, rock):
    GenreFactory(name="Ambient", slug="ambient")

    response = api_client.get(f"{API}/genres/")

    assert results(response) == [
        {"slug": "ambient", "name": "Ambient", "song_count": 0},
        {"slug": "rock", "name": "Rock", "song_count": 2},
    ]


def test_editors_count_unpublished_songs_too(editor_client, rock):
    response = editor_client.get(f"{API}/genres/rock/")

    assert response.json()["song_count"] == 3


def test_detail_is_looked_up_by_slug(api_client, rock):
    response = api_client.get(f"{API}/genres/rock/")

    assert response.status_code == 200
    assert response.json() == {"slug": "rock", "name": "Rock", "song_count": 2}


def test_unknown_slug_is_404(api_client, db):
    assert api_client.get(f"{API}/genres/nope/").status_code == 404


def test_editor_creates_a_genre_and_the_slug_comes_from_the_name(editor_client):
    response = editor_client.post(f"{API}/genres/", {"name": "Bossa Nova"})

    assert response.status_code == 201
    assert response.json() == {"slug": "bossa-nova", "name": "Bossa Nova", "song_count": 0}


def test_a_made_slug_never_clashes_with_an_existing_one(editor_client):
    GenreFactory(name="Hip-Hop", slug="hip-hop")

    response = editor_client.post(f"{API}/genres/", {"name": "Hip Hop"})

    assert response.status_code == 201
    assert response.json()["slug"] == "hip-hop-2"


@pytest.mark.parametrize(
    ("payload", "attr"),
    [
        ({"name": "Rock"}, "name"),
        ({"name": "Rock and Roll", "slug": "rock"}, "slug"),
        ({"name": "Rock and Roll", "slug": "not a slug"}, "slug"),
        ({}, "name"),
    ],
)
def test_invalid_or_duplicate_genres_are_400(editor_client, rock, payload, attr):
    response = editor_client.post(f"{API}/genres/", payload)

    assert response.status_code == 400
    assert attr in error_attrs(response)


def test_editor_renames_a_genre(editor_client, rock):
    response = editor_client.patch(f"{API}/genres/rock/", {"name": "Rock & Roll"})

    assert response.status_code == 200
    assert response.json() == {"slug": "rock", "name": "Rock & Roll", "song_count": 3}


def test_deleting_a_genre_in_use_is_409_and_keeps_it(curator_client, rock):
    response = curator_client.delete(f"{API}/genres/rock/")

    assert response.status_code == 409
    assert Genre.objects.filter(slug="rock").exists()


def test_deleting_an_unused_genre_is_204(curator_client):
    GenreFactory(slug="polka")

    response = curator_client.delete(f"{API}/genres/polka/")

    assert response.status_code == 204
    assert not Genre.objects.filter(slug="polka").exists()
