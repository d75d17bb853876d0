"""Every catalog read costs a fixed number of queries, however long the page.

Anonymous reads are counted on a cache miss (each URL is new). Signed-in listeners share
those reads and pay the permission lookup (`view_unpublished`) and their `liked` flags;
with a token, the caller's row says they hold no permission and the lookup goes, and on a
song detail it also says whether they like the song.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from setlist.catalog.changes import catalog_changes
from setlist.catalog.models import Song

from .factories import AlbumFactory, ArtistFactory, GenreFactory, SongFactory
from .helpers import API

pytestmark = pytest.mark.django_db

LIST_QUERIES = {
    "genres/": 2,  # count, page
    "artists/": 2,  # count, page
    "albums/": 3,  # count, page, the page's songs (genres, song count, duration)
    "songs/": 1,  # page (cursor pagination: no count)
}


@pytest.fixture
def catalog():
    with catalog_changes():  # one recount at the end instead of one per row
        genres = [GenreFactory() for _ in range(3)]
        for a in range(60):
            album = AlbumFactory(artist=ArtistFactory(name=f"Artist {a:02}"))
            for track in range(1, 3):
                SongFactory(album=album, track_number=track, genre=genres[(a + track) % 3])
        for _ in range(57):
            GenreFactory()


@pytest.mark.parametrize(("path", "queries"), LIST_QUERIES.items())
@pytest.mark.parametrize("page_size", [5, 50])
def test_list_query_count_does_not_grow_with_the_page(
    api_client, catalog, django_assert_num_queries, path, queries, page_size
):
    with django_assert_num_queries(queries):
        response = api_client.get(f"{API}/{path}", {"page_size": page_size})

    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [5, 50])
def test_signed_in_song_lists_add_the_permission_lookup_and_their_likes(
    user_client, catalog, django_assert_num_queries, page_size
):
    # The caller's permissions (one query: setlist.accounts.backends), the songs, the
    # caller's likes among them; then the songs come from the shared cache.
    with django_assert_num_queries(1 + 1 + 1):
        user_client.get(f"{API}/songs/", {"page_size": page_size})
    with CaptureQueriesContext(connection) as again:
        user_client.get(f"{API}/songs/", {"page_size": page_size})

    assert [query["sql"] for query in again if "catalog_song" in query["sql"]] == []
    assert any("library_songlike" in query["sql"] for query in again)


def test_a_listener_signed_in_with_a_token_pays_no_permission_lookup(
    user, catalog, django_assert_num_queries
):
    """The caller's row says they hold no permission (setlist.accounts.selectors), so the
    check for unpublished albums asks neither the database nor the cache."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")

    # The caller, the songs, the caller's likes among them.
    with django_assert_num_queries(1 + 1 + 1):
        response = client.get(f"{API}/songs/", {"page_size": 50})

    assert response.status_code == 200


def test_a_song_detail_signed_in_with_a_token_is_one_query_once_cached(
    user, catalog, django_assert_num_queries
):
    """The caller's row also says whether they like the song (`caller_question`)."""
    song = Song.objects.order_by("pk").first()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    client.get(f"{API}/songs/{song.pk}/")  # stored in the shared cache

    with django_assert_num_queries(1):
        response = client.get(f"{API}/songs/{song.pk}/")

    assert response.status_code == 200
    assert response.json()["liked"] is False


@pytest.mark.parametrize("page_size", [5, 50])
def test_filtered_and_ordered_lists_keep_their_count(
    api_client, catalog, django_assert_num_queries, page_size
):
    with django_assert_num_queries(1):
        api_client.get(f"{API}/songs/", {"page_size": page_size, "ordering": "-num_streams"})
    with django_assert_num_queries(3):
        api_client.get(f"{API}/albums/", {"page_size": page_size, "ordering": "-year"})
    with django_assert_num_queries(2):
        api_client.get(f"{API}/artists/", {"page_size": page_size, "ordering": "-album_count"})


@pytest.mark.parametrize("page_size", [5, 50])
def test_searching_in_title_order_adds_one_bounded_count(
    api_client, catalog, django_assert_num_queries, page_size
):
    """The count decides how to sort (see search.is_narrow); it does not grow either."""
    with django_assert_num_queries(1 + 1):
        response = api_client.get(f"{API}/songs/", {"page_size": page_size, "search": "song"})
    assert len(response.json()["results"]) == page_size
    with django_assert_num_queries(3 + 1):
        api_client.get(f"{API}/albums/", {"page_size": page_size, "search": "album"})


@pytest.mark.parametrize("songs", [2, 40])
def test_album_detail_is_two_queries_whatever_its_length(
    api_client, db, django_assert_num_queries, songs
):
    album = AlbumFactory()
    SongFactory.create_batch(songs, album=album)

    with django_assert_num_queries(2):  # album with artist, its songs
        body = api_client.get(f"{API}/albums/{album.id}/").json()

    assert len(body["songs"]) == songs


@pytest.mark.parametrize("albums", [2, 40])
def test_artist_detail_is_two_queries_whatever_its_length(
    api_client, db, django_assert_num_queries, albums
):
    artist = ArtistFactory()
    AlbumFactory.create_batch(albums, artist=artist)

    with django_assert_num_queries(2):  # artist, its albums
        body = api_client.get(f"{API}/artists/{artist.id}/").json()

    assert len(body["albums"]) == albums


@pytest.mark.parametrize("limit", [5, 50])
def test_search_is_bounded_whatever_the_limit(
    api_client, catalog, django_assert_max_num_queries, limit
):
    # At most four tiers per kind; albums also fetch their songs for each tier.
    with django_assert_max_num_queries(4 + 2 * 4 + 4):
        body = api_client.get(f"{API}/search/", {"q": "artist", "limit": limit}).json()

    assert len(body["artists"]) == limit
