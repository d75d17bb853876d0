"""The production-on-loopback environment the benchmark, the fault run and the fuzzer use."""

from django.conf import settings

from bench import loopback


def test_every_throttle_scope_is_raised_out_of_reach():
    """None of those runs measures the limiter: a scope left out (as conduit_register once
    was) turns part of a run into 429s."""
    scopes = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert {scope.upper() for scope in scopes} == set(loopback.THROTTLED_SCOPES)

    env = loopback.production_env(database_url="sqlite://", redis_url="")
    assert all(env[f"THROTTLE_RATE_{scope.upper()}"] == "100000000/min" for scope in scopes)
