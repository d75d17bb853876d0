"""Helpers for the account tests: signing in over HTTP, reading tokens and errors."""

from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import UntypedToken

from .factories import DEFAULT_PASSWORD

# Passes every configured password validator, and resembles no factory username.
STRONG_PASSWORD = "violet-Tambourine-4217"


def obtain_pair(client: APIClient, username: str, password: str = DEFAULT_PASSWORD, **extra):
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, **extra
    )
    assert response.status_code == 200, response.content
    return response.json()


def claims(raw: str) -> dict:
    return UntypedToken(raw).payload


def error_codes(response) -> set[tuple[str | None, str]]:
    """`{(attr, code)}` of an error response in the API's error format."""
    return {(error["attr"], error["code"]) for error in response.json()["errors"]}


def bearer_client(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client
