"""Catalog reads count their rate limits with their cache lookup: cached or not, each read
counts once, before anything is built, and an exceeded limit is a 429."""

import pytest
from django.core.cache import cache

from setlist.core.cache_clients import django_redis_client

from .helpers import API, LIST_READS, detail_reads

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("index", range(9))
def test_every_read_counts_once_cached_or_not(api_client, song, rates, index):
    rates(anon="3/min")
    url = f"{API}/{(LIST_READS + detail_reads(song))[index]}"
    responses = [api_client.get(url) for _ in range(4)]  # the last two come from the cache
    assert [response.status_code for response in responses] == [200, 200, 200, 429], url
    assert [response["X-RateLimit-Remaining"] for response in responses[:3]] == ["2", "1", "0"]
    assert responses[3].json()["errors"][0]["code"] == "throttled"
    assert "Retry-After" in responses[3]


def test_reads_built_for_the_caller_count_too(editor_client, song, rates):
    rates(user="2/min")
    statuses = [editor_client.get(f"{API}/songs/{song.id}/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_a_signed_in_listener_counts_under_their_own_limit(user_client, song, rates):
    rates(user="2/min", anon="100/min")
    statuses = [user_client.get(f"{API}/songs/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_head_and_not_found_count(api_client, song, rates):
    rates(anon="2/min")
    assert api_client.head(f"{API}/songs/{song.id}/").status_code == 200
    assert api_client.get(f"{API}/songs/{song.id + 1000}/").status_code == 404
    assert api_client.get(f"{API}/songs/{song.id}/").status_code == 429


def test_a_refused_read_builds_nothing(api_client, song, rates, django_assert_num_queries):
    rates(anon="1/min")
    api_client.get(f"{API}/songs/{song.id}/")
    with django_assert_num_queries(0):
        assert api_client.get(f"{API}/songs/?title=x").status_code == 429


@pytest.mark.skipif(
    django_redis_client(cache) is None, reason="counts round trips to Redis (REDIS_URL)"
)
def test_a_cached_read_takes_one_round_trip_to_redis(api_client, song, redis_round_trips):
    url = f"{API}/songs/{song.id}/"
    api_client.get(url)
    redis_round_trips.clear()

    response = api_client.get(url)

    assert response.status_code == 200
    assert response["X-RateLimit-Remaining"]
    assert redis_round_trips == ["pipeline"]  # the rate limits, the tokens, the response
