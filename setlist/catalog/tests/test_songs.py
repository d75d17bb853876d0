"""Songs: filters, orderings, keyset cursor pages, the detail, and writes."""

import base64
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from setlist.catalog.models import Song
from setlist.library.models import SongLike

from .factories import AlbumFactory, ArtistFactory, GenreFactory, SongFactory
from .helpers import API, error_attrs, ids, results

pytestmark = pytest.mark.django_db


@pytest.fixture
def songs():
    jazz, rock = GenreFactory(name="Jazz", slug="jazz"), GenreFactory(name="Rock", slug="rock")
    jobim, crue = ArtistFactory(name="Antônio Carlos Jobim"), ArtistFactory(name="Mötley Crüe")
    wave, dr = AlbumFactory(artist=jobim, title="Wave"), AlbumFactory(artist=crue)
    made = {
        "chao": SongFactory(album=wave, genre=jazz, title="Chão de Estrelas", composer=""),
        "wave": SongFactory(album=wave, genre=jazz, title="Wave"),
        "kickstart": SongFactory(album=dr, genre=rock, title="Kickstart My Heart"),
        "dr": SongFactory(album=dr, genre=rock, title="Dr. Feelgood"),
        "hidden": SongFactory(album=AlbumFactory(is_published=False), title="Demo"),
    }
    for key, streams, likes, age in [
        ("chao", 10, 1, 4),
        ("wave", 30, 0, 3),
        ("kickstart", 20, 7, 2),
        ("dr", 20, 3, 1),
    ]:
        Song.objects.filter(pk=made[key].pk).update(
            num_streams=streams,
            like_count=likes,
            created_at=timezone.now() - timedelta(days=age),
        )
    return made


def _keys(songs, response) -> list[str]:
    by_id = {song.id: key for key, song in songs.items()}
    return [by_id[pk] for pk in ids(response)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["chao", "dr", "kickstart", "wave"]),
        ({"ordering": "title"}, ["chao", "dr", "kickstart", "wave"]),
        ({"ordering": "-num_streams"}, ["wave", "dr", "kickstart", "chao"]),
        ({"ordering": "-like_count"}, ["kickstart", "dr", "chao", "wave"]),
        ({"ordering": "-created_at"}, ["dr", "kickstart", "wave", "chao"]),
        ({"ordering": "created_at"}, ["chao", "wave", "kickstart", "dr"]),
        ({"genre": "jazz"}, ["chao", "wave"]),
        ({"genre": "metal"}, []),
        ({"search": "chao de ESTRELAS"}, ["chao"]),
        ({"search": "HEART"}, ["kickstart"]),
        ({"search": "demo"}, []),
    ],
)
def test_filters_and_orderings_follow_the_data(api_client, songs, params, expected):
    """Ties (equal num_streams) fall back to the id, in the ordering's direction."""
    response = api_client.get(f"{API}/songs/", params)

    assert _keys(songs, response) == expected


def test_album_and_artist_filters(api_client, songs):
    wave = songs["wave"]
    by_album = api_client.get(f"{API}/songs/", {"album": wave.album_id})
    by_artist = api_client.get(f"{API}/songs/", {"artist": songs["dr"].album.artist_id})

    assert _keys(songs, by_album) == ["chao", "wave"]
    assert _keys(songs, by_artist) == ["dr", "kickstart"]


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"album": "abc"}, "album"),
        ({"artist": "0"}, "artist"),
        ({"genre": "?!"}, "genre"),
        ({"ordering": "duration_ms"}, "ordering"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_invalid_parameters_are_400(api_client, songs, params, attr):
    response = api_client.get(f"{API}/songs/", params)

    assert response.status_code == 400
    assert attr in error_attrs(response)


def test_a_cursor_from_another_ordering_is_400(api_client, songs):
    first = api_client.get(f"{API}/songs/", {"ordering": "-created_at", "page_size": 1}).json()
    cursor = first["next"].split("cursor=")[1]

    response = api_client.get(f"{API}/songs/", {"ordering": "title", "cursor": cursor})

    assert response.status_code == 400


@pytest.mark.parametrize(
    "payload",
    [
        b'{"o": "-created_at,id", "v": ["soon", 1], "r": 0}',
        b'{"o": "-created_at,id", "v": ["2024-01-01T00:00:00Z", 99999999999999999999], "r": 0}',
        b'{"o": "-created_at,id", "v": ["2024-01-01T00:00:00Z", 9223372036854775807], "r": 1}',
        b'{"o": "-created_at,id", "v": ["2024-01-01T00:00:00Z", -1], "r": 1}',
        b'{"o": "-created_at,id", "v": ["9999-12-31T23:59:59-23:59", 1], "r": 0}',
        b'{"o": "-created_at,id", "v": [null, 1], "r": 0}',
        b'{"o": "-created_at,id", "v": ["2024-01-01T00:00:00Z"], "r": 0}',
        b'{"v": ["2024-01-01T00:00:00Z", 1], "r": 0}',
        b"[1, 2]",
    ],
)
def test_a_forged_cursor_is_400_not_500(api_client, songs, payload):
    forged = base64.urlsafe_b64encode(payload).decode()

    response = api_client.get(f"{API}/songs/", {"ordering": "-created_at", "cursor": forged})

    assert response.status_code == 400


def _walk(client, url: str, params: dict) -> tuple[list[int], list[dict]]:
    pages, seen = [], []
    response = client.get(url, params)
    while True:
        body = response.json()
        pages.append(body)
        seen.extend(item["id"] for item in body["results"])
        if not body["next"]:
            return seen, pages
        response = client.get(body["next"])


@pytest.mark.parametrize("ordering", ["title", "-num_streams", "-like_count", "-created_at"])
def test_cursor_pages_cover_every_song_once_in_order(api_client, db, ordering):
    """Twenty-three songs, most tied on the counters: pages of five, forward then back."""
    album = AlbumFactory()
    made = SongFactory.create_batch(23, album=album, title="Same Title")
    Song.objects.filter(pk__in=[s.pk for s in made[:5]]).update(num_streams=9, like_count=9)

    seen, pages = _walk(api_client, f"{API}/songs/", {"ordering": ordering, "page_size": 5})

    expected = list(
        Song.objects.order_by(ordering, "-id" if ordering.startswith("-") else "id").values_list(
            "id", flat=True
        )
    )
    assert seen == expected
    assert [len(page["results"]) for page in pages] == [5, 5, 5, 5, 3]
    assert pages[0]["previous"] is None
    assert set(pages[0]) == {"next", "previous", "results"}

    # Walking back from the last page gives the same pages in reverse.
    back, response = [], api_client.get(pages[-1]["previous"])
    while True:
        body = response.json()
        back.insert(0, [item["id"] for item in body["results"]])
        if not body["previous"]:
            break
        response = api_client.get(body["previous"])
    assert back == [[item["id"] for item in page["results"]] for page in pages[:-1]]


def test_page_size_is_clamped_to_100(api_client, db):
    SongFactory.create_batch(101, album=AlbumFactory())

    response = api_client.get(f"{API}/songs/", {"page_size": 1000})

    assert len(results(response)) == 100


def test_list_filters_do_not_apply_to_a_detail(api_client, editor_client, songs):
    url = f"{API}/songs/{songs['wave'].id}/"

    assert api_client.get(url, {"genre": "rock"}).status_code == 200
    assert editor_client.patch(f"{url}?genre=rock", {"composer": "J"}).status_code == 200
    assert (
        api_client.get(f"{API}/songs/{songs['hidden'].id}/", {"genre": "rock"}).status_code == 404
    )


def test_detail_has_exactly_the_fields_of_the_contract(api_client, songs):
    song = songs["kickstart"]

    body = api_client.get(f"{API}/songs/{song.id}/").json()

    assert body == {
        "id": song.id,
        "title": "Kickstart My Heart",
        "track_number": song.track_number,
        "duration_ms": 180_000,
        "composer": "",
        "album": {"id": song.album_id, "title": song.album.title},
        "artist": {"id": song.album.artist_id, "name": "Mötley Crüe"},
        "genre": {"slug": "rock", "name": "Rock"},
        "num_streams": 20,
        "like_count": 7,
        "liked": False,
        "created_at": body["created_at"],
    }
    assert body["created_at"].endswith("Z")


def test_liked_is_the_callers_own(user_client, user, other_user, songs):
    SongLike.objects.create(user=other_user, song=songs["wave"])
    SongLike.objects.create(user=user, song=songs["chao"])

    liked = {item["id"]: item["liked"] for item in results(user_client.get(f"{API}/songs/"))}

    assert liked[songs["chao"].id] is True
    assert liked[songs["wave"].id] is False


def _signed_in(user, how: str) -> APIClient:
    client = APIClient()
    if how == "session":
        client.force_login(user)
    elif how == "api key":
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    elif how == "cookie":
        client.cookies[settings.JWT_COOKIE_ACCESS_NAME] = str(AccessToken.for_user(user))
    else:  # a JWT, under either scheme
        client.credentials(HTTP_AUTHORIZATION=f"{how} {AccessToken.for_user(user)}")
    return client


@pytest.mark.parametrize("how", ["Bearer", "Token", "cookie", "api key", "session"])
def test_the_detail_says_whether_the_caller_likes_the_song(user, other_user, songs, how):
    """With a JWT, the caller's row brings the answer (`SongViewSet.caller_question`);
    otherwise it is looked up. Either way it is the caller's own, for this song."""
    SongLike.objects.create(user=user, song=songs["chao"])
    SongLike.objects.create(user=other_user, song=songs["wave"])
    client = _signed_in(user, how)

    for _ in range(2):  # built, then from the shared cache
        liked = {
            key: client.get(f"{API}/songs/{songs[key].id}/").json()["liked"]
            for key in ("chao", "wave", "dr")
        }
        assert liked == {"chao": True, "wave": False, "dr": False}


def test_the_detail_shows_a_like_at_once(user, songs):
    client = _signed_in(user, "Bearer")
    url = f"{API}/songs/{songs['dr'].id}/"
    assert client.get(url).json()["liked"] is False

    assert client.put(f"{API}/me/likes/{songs['dr'].id}/").status_code == 201
    assert client.get(url).json()["liked"] is True

    assert client.delete(f"{API}/me/likes/{songs['dr'].id}/").status_code == 204
    assert client.get(url).json()["liked"] is False


def test_a_song_without_genre_shows_null(api_client, db):
    song = SongFactory(genre=None)

    assert api_client.get(f"{API}/songs/{song.id}/").json()["genre"] is None


def test_editor_creates_a_song_naming_album_and_genre(editor_client, songs):
    album = songs["wave"].album

    response = editor_client.post(
        f"{API}/songs/",
        {
            "title": "Triste",
            "album_id": album.id,
            "duration_ms": 123_000,
            "genre_slug": "jazz",
            "composer": None,
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body["genre"] == {"slug": "jazz", "name": "Jazz"}
    assert body["composer"] == ""
    assert body["track_number"] == max(s.track_number for s in album.songs.all())


@pytest.mark.parametrize(
    ("change", "attr"),
    [
        ({"genre_slug": "polka"}, "genre_slug"),
        ({"album_id": 999999}, "album_id"),
        ({"duration_ms": 0}, "duration_ms"),
        ({"duration_ms": "long"}, "duration_ms"),
        ({"track_number": 0}, "track_number"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_invalid_songs_are_400(editor_client, songs, change, attr):
    payload = {"title": "T", "album_id": songs["wave"].album_id, "duration_ms": 1000, **change}

    response = editor_client.post(f"{API}/songs/", payload)

    assert response.status_code == 400
    assert attr in error_attrs(response)


def test_an_empty_genre_slug_is_invalid_not_no_genre(editor_client, songs):
    """The schema gives a slug at least one character; no genre is `null`. DRF's related
    fields would read "" as null, accepting what the schema calls invalid."""
    payload = {"title": "T", "album_id": songs["wave"].album_id, "duration_ms": 1000}

    empty = editor_client.post(f"{API}/songs/", {**payload, "genre_slug": ""})
    none = editor_client.post(f"{API}/songs/", {**payload, "genre_slug": None})

    assert empty.status_code == 400
    assert [(e["attr"], e["code"]) for e in empty.json()["errors"]] == [("genre_slug", "invalid")]
    assert none.status_code == 201
    assert none.json()["genre"] is None


@pytest.mark.parametrize("as_json", [float, str, lambda pk: True])
def test_album_ids_must_be_json_integers(editor_client, songs, as_json):
    album_id = songs["wave"].album_id
    payload = {"title": "T", "album_id": as_json(album_id), "duration_ms": 1000}

    response = editor_client.post(f"{API}/songs/", payload)

    assert response.status_code == 400
    assert error_attrs(response) == {"album_id"}


def test_editor_moves_a_song_to_another_genre(editor_client, songs):
    response = editor_client.patch(
        f"{API}/songs/{songs['wave'].id}/", {"genre_slug": "rock", "title": "Wave (Live)"}
    )

    assert response.status_code == 200
    assert response.json()["genre"]["slug"] == "rock"
    assert Song.objects.get(pk=songs["wave"].pk).search_title == "wave (live)"


def test_staff_deletes_a_song(curator_client, songs):
    response = curator_client.delete(f"{API}/songs/{songs['dr'].id}/")

    assert response.status_code == 204
    assert not Song.objects.filter(pk=songs["dr"].pk).exists()


@pytest.mark.parametrize("ordering", ["title", "-title"])
def test_searching_in_title_order_pages_the_same_order(api_client, db, ordering):
    """A narrow search sorts its matches itself (see search.is_narrow): same order, pages."""
    album = AlbumFactory()
    for n in (3, 1, 4, 1, 5, 9, 2, 6):
        SongFactory(album=album, title=f"Blue Song {n}")
    SongFactory(album=album, title="Red Song")

    seen, pages = _walk(
        api_client, f"{API}/songs/", {"search": "blue", "ordering": ordering, "page_size": 3}
    )

    expected = Song.objects.filter(title__startswith="Blue").order_by(
        ordering, "-id" if ordering.startswith("-") else "id"
    )
    assert seen == [song.id for song in expected]
    assert len(pages) == 3
