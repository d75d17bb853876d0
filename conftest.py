"""Shared pytest fixtures: API clients, users and a clean cache for every test."""

from types import SimpleNamespace

import pytest
from django.core.cache import caches
from redis.client import Pipeline, Redis
from rest_framework.test import APIClient

from setlist.accounts.tests.factories import UserFactory
from setlist.core import maintenance

# Rate limits count in fixed windows; a test that crossed a window boundary would see its
# counter reset. Tests see a clock frozen 30 s into a minute (and hour, and mid-day).
FROZEN_THROTTLE_CLOCK = SimpleNamespace(time=lambda: 1_800_000_030.0)


@pytest.fixture(autouse=True)
def _frozen_throttle_clock(monkeypatch):
    monkeypatch.setattr("setlist.core.throttling.time", FROZEN_THROTTLE_CLOCK)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    """Fast hashing, eager tasks and an empty cache: every test starts from the same place.

    Argon2 is the production hasher (see test_settings); tests hash with MD5 because
    they create many users.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    if "filebased" in settings.CACHES["state"]["BACKEND"]:
        # The file cache is shared by every process on the machine; a test run keeps its
        # shared state to itself (with Redis, tests use the real thing).
        settings.CACHES = {
            **settings.CACHES,
            "state": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "state",
            },
        }
    for alias in ("default", "state"):
        caches[alias].clear()
    maintenance._memo["until"] = 0.0
    yield
    for alias in ("default", "state"):
        caches[alias].clear()


@pytest.fixture
def rates(settings):
    """Sets throttle rates for one test; DRF's settings reload on the change."""

    def apply(**scopes):
        rest = dict(settings.REST_FRAMEWORK)
        rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], **scopes}
        settings.REST_FRAMEWORK = rest

    return apply


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def user_client(user) -> APIClient:
    """A client signed in as `user` (force-authenticated: no token round trip)."""
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def redis_round_trips(monkeypatch):
    """Counts what the app sends to Redis: each pipeline, each single command."""
    trips = []
    execute_pipeline, execute_command = Pipeline.execute, Redis.execute_command

    def pipeline(self, *args, **kwargs):
        trips.append("pipeline")
        return execute_pipeline(self, *args, **kwargs)

    def command(self, *args, **kwargs):
        trips.append(args[0])
        return execute_command(self, *args, **kwargs)

    monkeypatch.setattr(Pipeline, "execute", pipeline)
    monkeypatch.setattr(Redis, "execute_command", command)
    return trips
