"""Credential endpoints are rate limited by client address, and say so in headers."""

import pytest

from .factories import DEFAULT_PASSWORD
from .helpers import STRONG_PASSWORD, bearer_client, obtain_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_rates(settings):
    """Two attempts a minute for the credential scopes (api_settings reloads on change)."""
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]}
    rates.update(login="2/min", register="2/min", password_reset="2/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_login_is_throttled_with_retry_after_and_rate_limit_headers(api_client, user, tiny_rates):
    body = {"username": user.username, "password": "wrong-guess-1"}

    first = api_client.post("/api/v1/auth/token/", body)
    second = api_client.post("/api/v1/auth/token/", body)
    third = api_client.post("/api/v1/auth/token/", {**body, "password": DEFAULT_PASSWORD})

    assert [first.status_code, second.status_code] == [401, 401]
    assert first.headers["X-RateLimit-Limit"] == "2"
    assert first.headers["X-RateLimit-Remaining"] == "1"
    assert third.status_code == 429
    assert 1 <= int(third.headers["Retry-After"]) <= 60
    assert third.headers["X-RateLimit-Limit"] == "2"
    assert third.headers["X-RateLimit-Remaining"] == "0"
    assert int(third.headers["X-RateLimit-Reset"]) > 0
    assert third.json()["errors"][0]["code"] == "throttled"


def test_a_spoofed_x_forwarded_for_does_not_dodge_the_login_limit(api_client, user, tiny_rates):
    body = {"username": user.username, "password": "wrong-guess-1"}
    statuses = [
        api_client.post(
            "/api/v1/auth/token/", body, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        ).status_code
        for n in range(4)
    ]

    assert statuses == [401, 401, 429, 429]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/auth/cookie/login/", {"username": "x", "password": "y"}),
        ("/api/v1/auth/api-token/", {"username": "x", "password": "y"}),
        ("/api/v1/auth/register/", {"username": "", "email": "", "password": ""}),
        ("/api/v1/auth/password-reset/", {"email": "someone@example.com"}),
        (
            "/api/v1/auth/password-reset/confirm/",
            {"uid": "x", "token": "y", "new_password": STRONG_PASSWORD},
        ),
    ],
)
def test_other_credential_endpoints_are_throttled_too(api_client, tiny_rates, path, body):
    statuses = [api_client.post(path, body).status_code for _ in range(3)]

    assert statuses[2] == 429
    assert 429 not in statuses[:2]


def test_refresh_and_signed_in_calls_are_not_held_to_the_login_limit(api_client, user, tiny_rates):
    pair = obtain_pair(api_client, user.username)
    for _ in range(3):
        pair = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}).json()
    client = bearer_client(pair["access"])

    assert [client.get("/api/v1/users/me/").status_code for _ in range(3)] == [200, 200, 200]
    assert client.delete("/api/v1/auth/api-token/").status_code == 204


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/users/me/password/", {"new_password": STRONG_PASSWORD}),
        ("delete", "/api/v1/users/me/", {}),
    ],
)
def test_endpoints_that_check_the_password_are_limited_like_login(
    user_client, tiny_rates, method, path, body
):
    def guess(n: int):
        return getattr(user_client, method)(
            path, {**body, "current_password": f"wrong-guess-{n}"}, format="json"
        )

    statuses = [guess(n).status_code for n in range(3)]

    assert statuses == [400, 400, 429]
