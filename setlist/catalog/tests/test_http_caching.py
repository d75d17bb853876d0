"""ETags and 304s on catalog reads; the shared response cache and its invalidation."""

import threading

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test import RequestFactory
from rest_framework.test import APIClient

from setlist.catalog import caching
from setlist.catalog.models import Album, Genre, Song
from setlist.core import single_flight

from .factories import AlbumFactory
from .helpers import API, LIST_READS, detail_reads

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("client_name", ["api_client", "user_client"])
def test_every_read_has_an_etag_and_a_matching_if_none_match_gets_304(request, song, client_name):
    client = request.getfixturevalue(client_name)
    for url in LIST_READS + detail_reads(song):
        first = client.get(f"{API}/{url}")
        assert first.status_code == 200, url
        etag = first["ETag"]
        assert etag.startswith('W/"'), url

        again = client.get(f"{API}/{url}", HTTP_IF_NONE_MATCH=etag)

        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == etag


def test_a_stale_etag_gets_the_new_body(api_client, editor_client, song):
    url = f"{API}/songs/{song.id}/"
    etag = api_client.get(url)["ETag"]

    editor_client.patch(url, {"title": "Song Two"})
    response = api_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response.json()["title"] == "Song Two"
    assert response["ETag"] != etag


def test_etags_differ_when_the_caller_sees_different_data(api_client, editor_client, db):
    AlbumFactory(is_published=False)

    assert api_client.get(f"{API}/albums/")["ETag"] != editor_client.get(f"{API}/albums/")["ETag"]


def test_a_repeated_anonymous_read_costs_no_query(api_client, song, django_assert_num_queries):
    for url in LIST_READS + detail_reads(song):
        api_client.get(f"{API}/{url}")
        with django_assert_num_queries(0):
            assert api_client.get(f"{API}/{url}").status_code == 200


def test_a_cached_read_is_sent_as_it_was_stored(api_client, song):
    for url in LIST_READS + detail_reads(song):
        first = api_client.get(f"{API}/{url}")
        again = api_client.get(f"{API}/{url}")

        assert again.content == first.content, url
        assert again["Content-Type"] == first["Content-Type"] == "application/json", url
        assert again.json() == first.json(), url


def test_the_browsable_api_renders_cached_reads(api_client, song):
    url = f"{API}/songs/{song.id}/"
    api_client.get(url)  # now cached as JSON

    page = api_client.get(url, HTTP_ACCEPT="text/html")

    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "Song One" in page.content.decode()


def test_reads_of_those_who_see_unpublished_are_not_cached(
    editor_client, song, django_assert_max_num_queries
):
    """Listeners share the cached reads (see library's test_shared_catalog_reads)."""
    editor_client.get(f"{API}/songs/")
    with django_assert_max_num_queries(10) as captured:
        editor_client.get(f"{API}/songs/")
    assert any("catalog_song" in query["sql"] for query in captured.captured_queries)


def test_responses_vary_on_who_asks(api_client, song):
    vary = api_client.get(f"{API}/songs/")["Vary"]

    assert "Authorization" in vary
    assert "Cookie" in vary


def test_an_edit_through_the_api_shows_on_the_next_anonymous_read(api_client, editor_client, song):
    assert api_client.get(f"{API}/songs/{song.id}/").json()["title"] == "Song One"
    assert (
        api_client.get(f"{API}/albums/{song.album_id}/").json()["songs"][0]["title"] == "Song One"
    )

    editor_client.patch(f"{API}/songs/{song.id}/", {"title": "Song Two"})

    assert api_client.get(f"{API}/songs/{song.id}/").json()["title"] == "Song Two"
    assert (
        api_client.get(f"{API}/albums/{song.album_id}/").json()["songs"][0]["title"] == "Song Two"
    )


def test_each_kind_of_change_invalidates_lists(api_client, editor_client, curator_client, song):
    def titles():
        return [s["title"] for s in api_client.get(f"{API}/songs/").json()["results"]]

    assert titles() == ["Song One"]
    editor_client.post(
        f"{API}/songs/", {"title": "Song Two", "album_id": song.album_id, "duration_ms": 1}
    )
    assert titles() == ["Song One", "Song Two"]
    editor_client.post(f"{API}/albums/{song.album_id}/unpublish/")
    assert titles() == []
    editor_client.post(f"{API}/albums/{song.album_id}/publish/")
    assert titles() == ["Song One", "Song Two"]
    curator_client.delete(f"{API}/songs/{song.id}/")
    assert titles() == ["Song Two"]


def test_a_model_save_outside_the_api_shows_on_the_next_read(api_client, song):
    api_client.get(f"{API}/genres/jazz/")

    genre = Genre.objects.get(slug="jazz")
    genre.name = "Cool Jazz"
    genre.save()

    assert api_client.get(f"{API}/genres/jazz/").json()["name"] == "Cool Jazz"


def test_an_admin_edit_shows_on_the_next_read(api_client, song, curator):
    """The admin's change view saves the model: the signals do the rest."""
    api_client.get(f"{API}/albums/")
    album = song.album
    admin = site._registry[Album]
    request = RequestFactory().post("/admin/")
    request.user = curator
    album.title = "Renamed In Admin"
    admin.save_model(request, album, form=None, change=True)

    assert api_client.get(f"{API}/albums/").json()["results"][0]["title"] == "Renamed In Admin"


def test_counter_updates_are_seen_once_the_library_invalidates(api_client, song):
    """Likes and plays move counters with `.update()`, which sends no signal."""
    api_client.get(f"{API}/genres/")
    api_client.get(f"{API}/songs/{song.id}/")
    Song.objects.filter(pk=song.pk).update(num_streams=41)

    caching.catalog_cache_invalidate(scope=caching.PLAYS)

    assert api_client.get(f"{API}/songs/{song.id}/").json()["num_streams"] == 41


def test_counter_invalidation_keeps_responses_that_do_not_show_counters(
    api_client, song, django_assert_num_queries
):
    api_client.get(f"{API}/genres/")
    api_client.get(f"{API}/albums/")

    caching.catalog_cache_invalidate(scope=caching.PLAYS)

    with django_assert_num_queries(0):
        api_client.get(f"{API}/genres/")
        api_client.get(f"{API}/albums/")


def test_an_unknown_scope_is_a_programming_error():
    with pytest.raises(ValueError, match="scope"):
        caching.catalog_cache_invalidate(scope="everything")


class BrokenCache:
    """A cache whose server is down: every call raises."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache is down")

        return fail


@pytest.fixture
def broken_cache(monkeypatch):
    monkeypatch.setattr(caching, "_responses_cache", BrokenCache)
    monkeypatch.setattr(caching, "_generations_cache", BrokenCache)


def test_reads_are_served_uncached_when_the_cache_is_down(api_client, song, broken_cache):
    for url in LIST_READS + detail_reads(song):
        response = api_client.get(f"{API}/{url}")
        assert response.status_code == 200, url
        assert response.has_header("ETag")


def test_writes_succeed_when_the_cache_is_down(editor_client, song, broken_cache):
    response = editor_client.patch(f"{API}/songs/{song.id}/", {"title": "Still Works"})

    assert response.status_code == 200
    assert Song.objects.get(pk=song.pk).title == "Still Works"


def test_invalidation_is_repeated_after_commit_once_per_transaction(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        caching.catalog_cache_invalidate()
        caching.catalog_cache_invalidate()
        caching.catalog_cache_invalidate(scope=caching.LIKES)

    keys = sorted(key for callback in callbacks for key in callback.catalog_keys)
    assert keys == [f"catalog:generation:{name}" for name in ("content", "likes", "songs")]


def test_a_counter_bump_replaces_the_scope_and_the_song_tokens(db, settings):
    scopes = (caching.PLAYS, caching.song_scope(7), caching.song_scope(8))
    before = caching.current_generation(scopes).split("-")

    caching.catalog_cache_invalidate(scope=caching.PLAYS, song_ids=[7])

    after = caching.current_generation(scopes).split("-")
    assert [a != b for a, b in zip(before, after, strict=True)] == [True, True, False]
    generations = caching._generations_cache()
    if hasattr(generations, "ttl"):  # Redis: the song's token may go when idle, not the scope's
        assert generations.ttl("catalog:generation:plays") is None
        timeout = getattr(settings, "CATALOG_CACHE_TIMEOUT", caching.DEFAULT_TIMEOUT)
        assert 0 < generations.ttl("catalog:generation:song:7") <= timeout


def test_a_first_lookup_creates_the_song_token_it_depends_on(db, settings):
    scopes = (caching.CONTENT, caching.song_scope(9))
    generations = caching._generations_cache()
    generations.delete("catalog:generation:song:9")

    lookup = caching.response_lookup(name="song-detail", url="http://testserver/9", scopes=scopes)

    assert lookup is not None
    assert lookup.hit is None
    token = generations.get("catalog:generation:song:9")
    assert token is not None
    assert lookup.generation.endswith(f"-{token}")
    assert caching.current_generation(scopes) == lookup.generation  # stays until a change
    if hasattr(generations, "ttl"):  # Redis: created with the song tokens' expiry
        assert generations.ttl("catalog:generation:song:9") > 0


def test_head_answers_like_get_without_a_body(api_client, song):
    get = api_client.get(f"{API}/songs/{song.id}/")
    head = api_client.head(f"{API}/songs/{song.id}/")

    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]


# --- One build per generation for reads that every like and play makes stale ---------------

SONG_LIST_SCOPES = (caching.CONTENT, caching.LIKES, caching.PLAYS)


def _song_list_lookup() -> caching.Lookup:
    """The lookup the song list makes for an anonymous caller, as the view makes it."""
    return caching.response_lookup(
        name="song-list", url=f"http://testserver{API}/songs/", scopes=SONG_LIST_SCOPES
    )


def _stale_song_list(api_client) -> caching.Lookup:
    """The anonymous song list, cached and then made stale by a play elsewhere."""
    api_client.get(f"{API}/songs/")
    caching.catalog_cache_invalidate(scope=caching.PLAYS, song_ids=[])
    return _song_list_lookup()


def test_a_miss_whose_build_is_claimed_serves_what_the_claim_holder_stores(
    api_client, song, monkeypatch, django_assert_num_queries
):
    lookup = _stale_song_list(api_client)
    assert caching.claim_build(lookup)  # another request is building this page
    stored = (b'{"built":"elsewhere"}', 'W/"elsewhere"', ())

    def meanwhile(seconds):  # the claim holder finishes while this request waits
        caching.response_store(lookup, stored)

    monkeypatch.setattr(single_flight, "_pause", meanwhile)

    with django_assert_num_queries(0):
        response = api_client.get(f"{API}/songs/")

    assert response.status_code == 200
    assert response.content == b'{"built":"elsewhere"}'
    assert response["ETag"] == 'W/"elsewhere"'


def test_a_miss_whose_claim_holder_gives_up_builds_the_read_itself(api_client, song, monkeypatch):
    lookup = _stale_song_list(api_client)
    assert caching.claim_build(lookup)
    monkeypatch.setattr(single_flight, "_pause", lambda seconds: caching.release_build(lookup))

    response = api_client.get(f"{API}/songs/")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [song.id]


def test_the_first_miss_claims_the_build_and_stores_under_its_generation(api_client, song):
    lookup = _stale_song_list(api_client)

    api_client.get(f"{API}/songs/")

    assert not caching.claim_build(lookup)  # claimed by the request, which stored the page
    assert _song_list_lookup().hit is not None


def test_a_build_that_fails_gives_its_claim_up(api_client, db):
    url = f"http://testserver{API}/albums/999999/"
    scopes = (caching.CONTENT, caching.LIKES, caching.PLAYS)

    assert api_client.get(url).status_code == 404

    lookup = caching.response_lookup(name="album-detail", url=url, scopes=scopes)
    assert caching.claim_build(lookup)  # nobody holds it: the 404 released it


def test_reads_that_show_no_counters_build_without_a_claim(api_client, song, monkeypatch):
    claims = []
    monkeypatch.setattr(caching, "claim_build", lambda lookup: claims.append(lookup.key) or True)

    api_client.get(f"{API}/genres/")
    api_client.get(f"{API}/songs/{song.id}/")  # a song's detail has its own counter scope
    api_client.get(f"{API}/artists/")

    assert claims == []
    api_client.get(f"{API}/songs/")
    assert len(claims) == 1


def test_waiting_stops_when_another_generation_stores_meanwhile(db, monkeypatch):
    lookup = caching.response_lookup(name="gen", url="http://testserver/g", scopes=("content",))
    assert caching.claim_build(lookup)
    newer = caching.Lookup(key=lookup.key, generation="newer", hit=None)
    pauses = []

    def meanwhile(seconds):
        pauses.append(seconds)
        caching.response_store(newer, "built under a newer generation")

    monkeypatch.setattr(single_flight, "_pause", meanwhile)

    assert caching.built_elsewhere(lookup) is None
    assert len(pauses) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_misses_build_the_page_once(song, monkeypatch):
    """Eight readers find the song list stale at once: one builds it, the rest wait for it."""
    _stale_song_list(APIClient())
    stores = []
    store = caching.response_store
    monkeypatch.setattr(
        caching, "response_store", lambda lookup, value: stores.append(1) or store(lookup, value)
    )
    barrier = threading.Barrier(8)
    bodies, errors = [], []

    def read() -> None:
        try:
            barrier.wait()
            bodies.append(APIClient().get(f"{API}/songs/").content)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(bodies) == 8
    assert len(set(bodies)) == 1
    assert stores == [1]
