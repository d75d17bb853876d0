"""Rate limits: exact under concurrency, honest headers, spoof-proof, and the right failure mode."""

import threading
from unittest import mock

import pytest
from rest_framework.test import APIRequestFactory

from setlist.core.throttling import RateLimits, parse_rate

from .views import RideAlongView

pytestmark = [pytest.mark.urls("setlist.core.tests.urls"), pytest.mark.django_db]


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("10/min", (10, 60)), ("5/hour", (5, 3600)), ("3/s", (3, 1)), ("100/day", (100, 86400))],
)
def test_parse_rate(rate, expected):
    assert parse_rate(rate) == expected


def test_limit_reached_gives_429_with_retry_after_and_headers(api_client, rates):
    rates(login="3/min")
    statuses = [api_client.post("/api/v1/login-like/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api_client.post("/api/v1/login-like/")
    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["X-RateLimit-Limit"] == "3"
    assert response["X-RateLimit-Remaining"] == "0"
    assert int(response["X-RateLimit-Reset"]) > 0


def test_every_response_of_a_throttled_view_counts_down(api_client, rates):
    rates(anon="50/min", login="5/min")
    first = api_client.post("/api/v1/login-like/")
    second = api_client.post("/api/v1/login-like/")
    # The tightest limit applying to the request is the one reported.
    assert (first["X-RateLimit-Limit"], first["X-RateLimit-Remaining"]) == ("5", "4")
    assert second["X-RateLimit-Remaining"] == "3"


def test_spoofed_forwarded_for_does_not_dodge_the_limit(api_client, rates):
    rates(login="2/min")
    statuses = [
        api_client.post("/api/v1/login-like/", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_forwarded_for_is_trusted_behind_the_configured_proxies(api_client, rates, settings):
    rates(login="1/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    first = api_client.post("/api/v1/login-like/", HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = api_client.post("/api/v1/login-like/", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert (first.status_code, second.status_code) == (200, 200)


def test_concurrent_requests_are_counted_exactly(rates):
    """A burst from many threads admits exactly `limit` requests (atomic incr, no lost update)."""
    rates(anon="25/min")
    request = APIRequestFactory().get("/")
    request.user = mock.Mock(is_authenticated=False)
    allowed = []
    lock = threading.Lock()
    barrier = threading.Barrier(10)

    def hammer():
        barrier.wait()
        for _ in range(10):
            ok = RateLimits().allow_request(request, view=None)
            with lock:
                allowed.append(ok)

    threads = [threading.Thread(target=hammer) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 25
    assert allowed.count(False) == 75


def test_the_view_scope_and_the_caller_limit_both_count(api_client, rates):
    rates(anon="3/min", login="50/min")
    statuses = [api_client.post("/api/v1/login-like/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    rates(anon="50/min", login="2/min")  # new rates, same windows: the counts carry on
    assert api_client.post("/api/v1/login-like/").status_code == 429


class FakeRedis:
    """Enough of a Redis client for the throttle: pipelines of SET NX / INCR, counted."""

    def __init__(self):
        self.values: dict[str, int] = {}
        self.round_trips = 0

    def pipeline(self, transaction=True):
        return FakePipeline(self)


class FakePipeline:
    def __init__(self, redis: FakeRedis):
        self.redis, self.commands = redis, []

    def set(self, name, value, ex=None, nx=False):
        self.commands.append(("set", name, value, nx))

    def incr(self, name):
        self.commands.append(("incr", name))

    def execute(self):
        self.redis.round_trips += 1
        results = []
        for command in self.commands:
            if command[0] == "set":
                _, name, value, nx = command
                if not (nx and name in self.redis.values):
                    self.redis.values[name] = value
                results.append(True)
            else:
                self.redis.values[command[1]] += 1
                results.append(self.redis.values[command[1]])
        return results


def test_every_limit_of_a_request_is_counted_in_one_round_trip(api_client, rates):
    rates(anon="50/min", login="5/min")
    redis = FakeRedis()
    with mock.patch("setlist.core.throttling._redis_client", return_value=redis):
        first = api_client.post("/api/v1/login-like/")
        api_client.post("/api/v1/login-like/")
    assert redis.round_trips == 2
    assert sorted(redis.values.values()) == [2, 2]  # the anon and the login counter
    assert (first["X-RateLimit-Limit"], first["X-RateLimit-Remaining"]) == ("5", "4")


@pytest.fixture
def cache_down():
    """Every way the throttles reach the cache fails: Redis's pipeline and the generic API."""
    down = ConnectionError("down")
    redis = mock.Mock(**{"pipeline.side_effect": down})
    with (
        mock.patch("setlist.core.throttling._redis_client", return_value=redis),
        mock.patch("setlist.core.throttling.cache.add", side_effect=down),
        mock.patch("setlist.core.throttling.cache.incr", side_effect=down),
    ):
        yield


def test_credential_scopes_fail_closed_when_the_cache_is_down(api_client, rates, cache_down):
    rates(login="5/min")
    api_client.raise_request_exception = False
    response = api_client.post("/api/v1/login-like/")
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "service_unavailable"
    assert "Retry-After" in response


def test_ordinary_scopes_fail_open_when_the_cache_is_down(api_client, cache_down):
    response = api_client.post("/api/v1/echo/", {"name": "ok"}, format="json")
    assert response.status_code == 200


def test_deferred_limits_are_counted_once_when_the_view_settles_them(api_client, rates):
    rates(anon="3/min")
    responses = [api_client.get("/api/v1/ride-along/") for _ in range(4)]
    assert [response.status_code for response in responses] == [200, 200, 200, 429]
    assert [response["X-RateLimit-Remaining"] for response in responses[:3]] == ["2", "1", "0"]
    assert responses[3].json()["errors"][0]["code"] == "throttled"
    assert 1 <= int(responses[3]["Retry-After"]) <= 60


def test_deferred_limits_a_view_never_took_are_counted_with_its_response(api_client, rates):
    rates(anon="2/min")
    statuses = [api_client.get("/api/v1/ride-along/?fail=1").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert api_client.get("/api/v1/ride-along/").status_code == 429


def test_only_reads_are_deferred(api_client, rates, monkeypatch):
    rates(anon="2/min")
    monkeypatch.setattr(RideAlongView, "posts_run", 0)
    statuses = [api_client.post("/api/v1/ride-along/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert RideAlongView.posts_run == 2  # the refused write never ran


def test_deferred_limits_fail_open_when_the_cache_is_down(api_client, cache_down):
    assert api_client.get("/api/v1/ride-along/").status_code == 200
