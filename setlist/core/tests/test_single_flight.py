"""The claim, release and wait that let one request build what many want at once."""

import pytest
from django.core.cache.backends.locmem import LocMemCache

from setlist.core import single_flight


@pytest.fixture
def cache():
    return LocMemCache("single-flight-tests", {})


class DownCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache is down")

        return fail


def test_one_caller_holds_a_claim_until_it_releases_it(cache):
    assert single_flight.claim(cache, "k", timeout=5)
    assert not single_flight.claim(cache, "k", timeout=5)

    single_flight.release(cache, "k")

    assert single_flight.claim(cache, "k", timeout=5)


def test_without_a_cache_everyone_may_build():
    assert single_flight.claim(DownCache(), "k", timeout=5) is True
    single_flight.release(DownCache(), "k")  # logged, not raised


def test_waiting_looks_after_doubling_pauses_until_there_is_a_result(monkeypatch):
    pauses = []
    monkeypatch.setattr(single_flight, "_pause", pauses.append)
    answers = iter([single_flight.WAITING] * 6 + ["built"])

    assert single_flight.wait_for(lambda: next(answers), wait=10) == "built"
    assert pauses == [0.002, 0.004, 0.008, 0.016, 0.032, 0.05, 0.05]


def test_waiting_stops_when_the_look_gives_up(monkeypatch):
    monkeypatch.setattr(single_flight, "_pause", lambda seconds: None)
    answers = iter([single_flight.WAITING, None, "never reached"])

    assert single_flight.wait_for(lambda: next(answers), wait=10) is None


def test_waiting_ends_when_its_time_is_up():
    looks = []

    def look():
        looks.append(1)
        return single_flight.WAITING

    assert single_flight.wait_for(look, wait=0.02) is None
    assert 1 <= len(looks) <= 5


def test_a_cache_error_while_waiting_means_build_it_yourself(monkeypatch):
    monkeypatch.setattr(single_flight, "_pause", lambda seconds: None)

    def look():
        raise ConnectionError("cache is down")

    assert single_flight.wait_for(look, wait=10) is None
