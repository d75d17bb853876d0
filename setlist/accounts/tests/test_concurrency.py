"""Races that only a real database server can show: real threads, real transactions."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from setlist.accounts.models import User
from setlist.accounts.tokens import token_pair_issue

from .factories import UserFactory
from .helpers import STRONG_PASSWORD, claims

THREADS = 8

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: concurrent transactions and row locks (SQLite serialises "
        "every writer, so the race cannot happen there)",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(request) -> list:
    """Run `request(i)` in THREADS threads released together; each closes its connection."""
    barrier = threading.Barrier(THREADS)

    def attempt(i: int):
        try:
            barrier.wait()
            return request(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(attempt, range(THREADS)))


def test_concurrent_refreshes_with_one_token_yield_exactly_one_success():
    user = UserFactory()
    refresh = token_pair_issue(user=user)["refresh"]

    responses = race(
        lambda _: APIClient().post("/api/v1/auth/token/refresh/", {"refresh": refresh})
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [401] * (THREADS - 1)
    assert BlacklistedToken.objects.filter(token__jti=claims(refresh)["jti"]).count() == 1
    # The spent token and exactly one successor.
    assert OutstandingToken.objects.filter(user=user).count() == 2


def test_concurrent_logout_and_refresh_never_both_succeed():
    user = UserFactory()
    refresh = token_pair_issue(user=user)["refresh"]
    paths = ["/api/v1/auth/logout/", "/api/v1/auth/token/refresh/"]

    responses = race(lambda i: APIClient().post(paths[i % 2], {"refresh": refresh}))

    successes = [response for response in responses if response.status_code in (200, 204)]
    assert len(successes) == 1
    assert all(response.status_code == 401 for response in responses if response not in successes)


def test_concurrent_sign_ups_for_one_name_create_one_account_and_no_500():
    responses = race(
        lambda i: APIClient().post(
            "/api/v1/auth/register/",
            {
                "username": "Satchmo" if i % 2 else "satchmo",
                "email": f"satchmo{i}@example.com",
                "password": STRONG_PASSWORD,
            },
        )
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [400] * (THREADS - 1)
    for response in responses:
        if response.status_code == 400:
            assert response.json()["errors"][0] == {
                "code": "unique",
                "detail": "A user with that username already exists.",
                "attr": "username",
            }
    assert User.objects.filter(username__iexact="satchmo").count() == 1
