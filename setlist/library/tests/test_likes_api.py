"""The HTTP contract of likes: idempotent PUT/DELETE, newest-first lists, `contains`."""

import base64
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from setlist.catalog.models import Album, Artist, Song
from setlist.library import services
from setlist.library.models import AlbumLike, ArtistLike, SongLike
from setlist.library.views.likes import SongLikeView

from .factories import AlbumFactory, ArtistFactory, SongFactory
from .pages import walk

pytestmark = pytest.mark.django_db


def test_put_like_creates_it_with_201_then_answers_200(user, user_client):
    song = SongFactory()

    first = user_client.put(f"/api/v1/me/likes/{song.pk}/")
    again = user_client.put(f"/api/v1/me/likes/{song.pk}/")

    assert first.status_code == 201
    assert again.status_code == 200
    assert first.json()["song"]["id"] == song.pk
    assert first.json()["song"]["liked"] is True
    assert first.json()["song"]["like_count"] == 1
    assert again.json()["liked_at"] == first.json()["liked_at"]
    assert SongLike.objects.filter(user=user, song=song).count() == 1
    song.refresh_from_db()
    assert song.like_count == 1


def test_delete_like_is_204_whether_or_not_it_existed(user, user_client):
    song = SongFactory()
    user_client.put(f"/api/v1/me/likes/{song.pk}/")

    removed = user_client.delete(f"/api/v1/me/likes/{song.pk}/")
    again = user_client.delete(f"/api/v1/me/likes/{song.pk}/")
    unknown = user_client.delete("/api/v1/me/likes/987654/")

    assert (removed.status_code, again.status_code, unknown.status_code) == (204, 204, 204)
    assert not SongLike.objects.filter(user=user).exists()
    song.refresh_from_db()
    assert song.like_count == 0


@pytest.mark.parametrize("path", ["me/likes", "me/liked-albums", "me/liked-artists"])
def test_liking_an_unknown_item_is_404(user_client, path):
    response = user_client.put(f"/api/v1/{path}/987654/")

    assert response.status_code == 404
    assert response.json()["type"] == "client_error"


def test_liking_a_song_on_an_unpublished_album_is_404(user_client):
    song = SongFactory(album__is_published=False)

    response = user_client.put(f"/api/v1/me/likes/{song.pk}/")

    assert response.status_code == 404
    assert not SongLike.objects.exists()


def test_liking_a_song_deleted_while_the_like_is_made_is_404(user_client, monkeypatch):
    song = SongFactory()

    def delete_then_like(*, user, song):
        Song.objects.filter(pk=song.pk).delete()
        return services.song_like_add(user=user, song=song)

    monkeypatch.setattr(SongLikeView, "like_add", staticmethod(delete_then_like))
    response = user_client.put(f"/api/v1/me/likes/{song.pk}/")

    assert response.status_code == 404
    assert not SongLike.objects.exists()


def test_liking_an_unpublished_album_is_404(user_client):
    album = AlbumFactory(is_published=False)

    assert user_client.put(f"/api/v1/me/liked-albums/{album.pk}/").status_code == 404


def test_an_id_too_long_for_the_database_matches_no_route(user_client):
    huge = 10**30

    assert user_client.put(f"/api/v1/me/likes/{huge}/").status_code == 404
    assert user_client.delete(f"/api/v1/me/likes/{huge}/").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/me/likes/"),
        ("put", "/api/v1/me/likes/1/"),
        ("delete", "/api/v1/me/likes/1/"),
        ("get", "/api/v1/me/likes/contains/?ids=1"),
        ("get", "/api/v1/me/liked-albums/"),
        ("put", "/api/v1/me/liked-albums/1/"),
        ("get", "/api/v1/me/liked-artists/"),
        ("delete", "/api/v1/me/liked-artists/1/"),
    ],
)
def test_likes_need_a_signed_in_user(api_client, method, path):
    response = getattr(api_client, method)(path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_like_list_is_newest_first_with_song_and_liked_at(user, user_client):
    old, new = SongFactory(), SongFactory()
    SongLike.objects.create(user=user, song=old, created_at=timezone.now().replace(year=2020))
    SongLike.objects.create(user=user, song=new)

    body = user_client.get("/api/v1/me/likes/").json()

    assert [item["song"]["id"] for item in body["results"]] == [new.pk, old.pk]
    first = body["results"][0]
    assert set(first) == {"song", "liked_at"}
    assert first["song"]["liked"] is True
    assert first["song"]["artist"] == {"id": new.album.artist.pk, "name": new.album.artist.name}
    assert first["liked_at"].endswith("Z")
    assert body["previous"] is None


def test_like_list_pages_with_a_cursor(user, user_client):
    songs = SongFactory.create_batch(5)
    for song in songs:
        SongLike.objects.create(user=user, song=song)

    first = user_client.get("/api/v1/me/likes/?page_size=2").json()
    second = user_client.get(first["next"]).json()
    third = user_client.get(second["next"]).json()

    seen = [item["song"]["id"] for page in (first, second, third) for item in page["results"]]
    assert seen == [song.pk for song in reversed(songs)]
    assert "cursor=" in first["next"]
    assert third["next"] is None


def _like_at(user, moments) -> list[int]:
    """A like of a new song by `user` at each of `moments`; their song ids, newest first."""
    for moment in moments:
        SongLike.objects.create(user=user, song=SongFactory(), created_at=moment)
    return [
        like.song_id for like in SongLike.objects.filter(user=user).order_by("-created_at", "-id")
    ]


def test_like_list_cursors_page_through_equal_times_and_skip_hidden_songs(
    user, other_user, user_client
):
    """Likes made in the same instant are told apart by their ids; likes of unpublished
    songs are skipped without shortening a page."""
    now = timezone.now()
    days = [0, 0, 0, 1, 2, 2, 3, 3, 3]
    expected = _like_at(user, [now - timedelta(days) for days in days])
    SongLike.objects.create(
        user=user, song=SongFactory(album__is_published=False), created_at=now - timedelta(1)
    )
    SongLike.objects.create(user=other_user, song_id=expected[0])

    forward = walk(user_client, "/api/v1/me/likes/?page_size=2", "next")

    assert [pk for page in forward for pk in page] == expected
    assert [len(page) for page in forward] == [2, 2, 2, 2, 1]


@pytest.mark.parametrize(
    ("minutes", "size"),
    [(range(7), 3), ([0, 0, 2, 3, 3, 3], 4), ([0, 0, 0, 1, 2, 3, 3], 2)],
    ids=["apart", "ties", "more ties"],
)
def test_like_list_previous_links_lead_back_to_the_first_page(user, user_client, minutes, size):
    """Back from the last page, every like is seen once and in order, even where several
    share an instant (DRF's own cursor lost those: encode/django-rest-framework#7709)."""
    now = timezone.now()
    expected = _like_at(user, [now - timedelta(minutes=n) for n in minutes])
    last = user_client.get(f"/api/v1/me/likes/?page_size={size}").json()
    while last["next"]:
        last = user_client.get(last["next"]).json()
    last_page = [item["song"]["id"] for item in last["results"]]

    backward = walk(user_client, last["previous"], "previous")

    assert [pk for page in [*reversed(backward), last_page] for pk in page] == expected
    assert all(len(page) == size for page in backward)


def test_like_list_pages_through_likes_that_all_share_one_instant(user, user_client):
    """A position is the time *and* the id: no page skips or repeats however many share it."""
    moment = timezone.now()
    expected = _like_at(user, [moment] * 9)

    forward = walk(user_client, "/api/v1/me/likes/?page_size=4", "next")

    assert forward == [expected[0:4], expected[4:8], expected[8:9]]


def test_like_list_pages_keep_their_place_when_the_page_size_changes(user, user_client):
    now = timezone.now()
    expected = _like_at(user, [now - timedelta(minutes=n) for n in [0, 1, 1, 1, 2, 3, 4]])
    first = user_client.get("/api/v1/me/likes/?page_size=2").json()
    second = user_client.get(f"{first['next']}&page_size=4").json()

    back = user_client.get(f"{second['previous']}&page_size=5").json()

    assert [item["song"]["id"] for item in second["results"]] == expected[2:6]
    assert [item["song"]["id"] for item in back["results"]] == expected[0:2]
    assert back["previous"] is None


def test_an_emptied_next_page_links_back_to_the_rows_before_it(user, user_client):
    """The likes beyond a page were undone meanwhile: its next page is empty, and that
    page's previous link leads to the rows up to the boundary, the boundary's own too."""
    now = timezone.now()
    a, b, c, d = _like_at(user, [now - timedelta(minutes=n) for n in range(4)])
    first = user_client.get("/api/v1/me/likes/?page_size=2").json()
    SongLike.objects.filter(user=user, song_id__in=[c, d]).delete()

    emptied = user_client.get(first["next"]).json()
    back = user_client.get(emptied["previous"]).json()

    assert emptied["results"] == []
    assert [item["song"]["id"] for item in back["results"]] == [a, b]


def test_an_emptied_previous_page_links_on_to_the_rows_after_it(user, user_client):
    now = timezone.now()
    a, b, c, d = _like_at(user, [now - timedelta(minutes=n) for n in range(4)])
    first = user_client.get("/api/v1/me/likes/?page_size=2").json()
    second = user_client.get(first["next"]).json()
    SongLike.objects.filter(user=user, song_id__in=[a, b]).delete()

    emptied = user_client.get(second["previous"]).json()
    again = user_client.get(emptied["next"]).json()

    assert emptied["results"] == []
    assert [item["song"]["id"] for item in again["results"]] == [c, d]


def test_a_forged_like_list_cursor_is_400(user_client):
    forged = base64.urlsafe_b64encode(b'{"o": "-created_at,id", "v": ["soon", 1], "r": 0}')

    response = user_client.get("/api/v1/me/likes/", {"cursor": forged.decode()})

    assert response.status_code == 400


def test_liked_albums_page_back_through_likes_of_the_same_instant(user, user_client):
    moment = timezone.now()
    likes = [AlbumLike.objects.create(user=user, album=AlbumFactory(), created_at=moment)]
    likes += [AlbumLike.objects.create(user=user, album=AlbumFactory(), created_at=moment)]
    likes += [AlbumLike.objects.create(user=user, album=AlbumFactory(), created_at=moment)]
    expected = [like.album_id for like in reversed(likes)]
    first = user_client.get("/api/v1/me/liked-albums/?page_size=1").json()
    second = user_client.get(first["next"]).json()
    third = user_client.get(second["next"]).json()

    back = user_client.get(third["previous"]).json()

    pages = [first, second, third, back, user_client.get(back["previous"]).json()]
    assert [[item["album"]["id"] for item in page["results"]] for page in pages] == [
        expected[0:1],
        expected[1:2],
        expected[2:3],
        expected[1:2],
        expected[0:1],
    ]
    assert third["next"] is None


def test_like_list_shows_only_the_callers_likes(user, other_user, user_client):
    mine, theirs = SongFactory(), SongFactory()
    SongLike.objects.create(user=user, song=mine)
    SongLike.objects.create(user=other_user, song=theirs)

    body = user_client.get("/api/v1/me/likes/").json()

    assert [item["song"]["id"] for item in body["results"]] == [mine.pk]


def test_like_list_query_count_does_not_grow_with_page_size(
    user, user_client, django_assert_num_queries
):
    for song in SongFactory.create_batch(30):
        SongLike.objects.create(user=user, song=song)
    user_client.get("/api/v1/me/likes/?page_size=1")  # warms the permission cache

    # One query for the page of likes with their songs' cards (all liked: no lookup).
    with django_assert_num_queries(1):
        small = user_client.get("/api/v1/me/likes/?page_size=1")
    with django_assert_num_queries(1):
        large = user_client.get("/api/v1/me/likes/?page_size=30")

    assert len(small.json()["results"]) == 1
    assert len(large.json()["results"]) == 30


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL")
def test_a_like_takes_the_song_card_and_one_statement_an_unlike_one_statement(
    user_client, django_assert_num_queries
):
    song = SongFactory()

    for status in (201, 200):
        with django_assert_num_queries(2):
            assert user_client.put(f"/api/v1/me/likes/{song.pk}/").status_code == status
    with django_assert_num_queries(1):
        assert user_client.delete(f"/api/v1/me/likes/{song.pk}/").status_code == 204


def test_contains_answers_in_the_order_asked(user, user_client):
    a, b, c = SongFactory.create_batch(3)
    SongLike.objects.create(user=user, song=a)
    SongLike.objects.create(user=user, song=c)

    response = user_client.get(f"/api/v1/me/likes/contains/?ids={c.pk},{b.pk},{a.pk},{c.pk}")

    assert response.status_code == 200
    assert response.json() == [True, False, True, True]


def test_contains_accepts_fifty_ids(user_client):
    ids = ",".join(str(n) for n in range(1, 51))

    response = user_client.get(f"/api/v1/me/likes/contains/?ids={ids}")

    assert response.status_code == 200
    assert response.json() == [False] * 50


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("?ids=" + ",".join(str(n) for n in range(1, 52)), id="51-ids"),
        pytest.param("?ids=1,two,3", id="not-a-number"),
        pytest.param("?ids=1,,3", id="empty-item"),
        pytest.param("?ids=-1", id="negative"),
        pytest.param("?ids=1.5", id="fraction"),
        pytest.param("?ids=", id="blank"),
        pytest.param("", id="missing"),
        pytest.param("?ids=" + "9" * 40, id="beyond-64-bits"),
        pytest.param("?ids=" + "9" * 5000, id="five-thousand-digits"),
    ],
)
def test_contains_refuses_bad_ids_with_400(user_client, query):
    response = user_client.get(f"/api/v1/me/likes/contains/{query}")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "ids"


def test_album_likes_put_list_and_delete(user, user_client):
    album = AlbumFactory()

    created = user_client.put(f"/api/v1/me/liked-albums/{album.pk}/")
    repeated = user_client.put(f"/api/v1/me/liked-albums/{album.pk}/")
    listed = user_client.get("/api/v1/me/liked-albums/").json()
    deleted = user_client.delete(f"/api/v1/me/liked-albums/{album.pk}/")

    assert (created.status_code, repeated.status_code, deleted.status_code) == (201, 200, 204)
    assert created.json()["album"]["like_count"] == 1
    assert listed["results"][0]["album"]["id"] == album.pk
    assert listed["results"][0]["album"]["artist"]["id"] == album.artist.pk
    assert set(listed["results"][0]) == {"album", "liked_at"}
    assert Album.objects.get(pk=album.pk).like_count == 0
    assert not AlbumLike.objects.filter(user=user).exists()


def test_artist_likes_put_list_and_delete(user, user_client):
    artist = ArtistFactory()

    created = user_client.put(f"/api/v1/me/liked-artists/{artist.pk}/")
    repeated = user_client.put(f"/api/v1/me/liked-artists/{artist.pk}/")
    listed = user_client.get("/api/v1/me/liked-artists/").json()
    deleted = user_client.delete(f"/api/v1/me/liked-artists/{artist.pk}/")

    assert (created.status_code, repeated.status_code, deleted.status_code) == (201, 200, 204)
    assert listed["results"][0]["artist"] == {"id": artist.pk, "name": artist.name, "like_count": 1}
    assert Artist.objects.get(pk=artist.pk).like_count == 0
    assert not ArtistLike.objects.filter(user=user).exists()


def test_likes_of_two_users_add_up(user, other_user, user_client, api_client):
    song = SongFactory()
    api_client.force_authenticate(other_user)

    user_client.put(f"/api/v1/me/likes/{song.pk}/")
    api_client.put(f"/api/v1/me/likes/{song.pk}/")
    user_client.delete(f"/api/v1/me/likes/{song.pk}/")

    assert Song.objects.get(pk=song.pk).like_count == 1


@pytest.mark.parametrize(
    ("path", "make_like"),
    [
        ("me/liked-albums", lambda user: AlbumLike.objects.create(user=user, album=AlbumFactory())),
        (
            "me/liked-artists",
            lambda user: ArtistLike.objects.create(user=user, artist=ArtistFactory()),
        ),
    ],
)
def test_album_and_artist_like_lists_take_one_query_per_page(
    user, user_client, django_assert_num_queries, path, make_like
):
    for _ in range(25):
        make_like(user)
    user_client.get(f"/api/v1/{path}/?page_size=1")

    with django_assert_num_queries(1):
        user_client.get(f"/api/v1/{path}/?page_size=1")
    with django_assert_num_queries(1):
        body = user_client.get(f"/api/v1/{path}/?page_size=25").json()

    assert len(body["results"]) == 25


def test_liking_a_song_whose_card_the_caller_cannot_read_is_404(user_client, monkeypatch):
    """A PUT reads the song's card first (visibility and answer in one): without it,
    nothing is liked."""
    from setlist.library.views import likes

    song = SongFactory()
    monkeypatch.setattr(likes, "song_cards", lambda **kwargs: {})

    assert user_client.put(f"/api/v1/me/likes/{song.pk}/").status_code == 404
    assert not SongLike.objects.exists()
    assert Song.objects.get(pk=song.pk).like_count == 0
