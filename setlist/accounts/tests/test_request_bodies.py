"""Bodies the account endpoints must survive: oversized, malformed, wrongly shaped."""

import pytest

from .factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

PUBLIC_POSTS = [
    "/api/v1/auth/register/",
    "/api/v1/auth/token/",
    "/api/v1/auth/token/refresh/",
    "/api/v1/auth/token/verify/",
    "/api/v1/auth/logout/",
    "/api/v1/auth/cookie/login/",
    "/api/v1/auth/api-token/",
    "/api/v1/auth/password-reset/",
    "/api/v1/auth/password-reset/confirm/",
]


@pytest.mark.parametrize("path", PUBLIC_POSTS)
def test_a_body_over_one_mebibyte_is_413(api_client, path):
    body = b'{"username": "' + b"a" * (1024 * 1024) + b'"}'

    response = api_client.post(path, body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "payload_too_large"


@pytest.mark.parametrize("path", PUBLIC_POSTS)
@pytest.mark.parametrize("raw", [b"{not json", b'{"username": "a"', b"\xff\xfe", b"[" * 5000])
def test_malformed_json_is_400_never_500(api_client, path, raw):
    response = api_client.post(path, raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


@pytest.mark.parametrize("path", PUBLIC_POSTS)
def test_an_empty_body_is_a_validation_error(api_client, path):
    response = api_client.post(path, b"", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"


@pytest.mark.parametrize("path", PUBLIC_POSTS)
@pytest.mark.parametrize("payload", [[1, 2], "text", 42, None])
def test_json_that_is_not_an_object_is_400(api_client, path, payload):
    response = api_client.post(path, payload, format="json")

    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"username": ["a"], "password": DEFAULT_PASSWORD},
        {"username": {"$ne": 1}, "password": DEFAULT_PASSWORD},
        {"username": None, "password": None},
        {"username": "a" * 10_000, "password": "b"},
    ],
)
def test_wrongly_typed_credentials_are_400(api_client, user, body):
    assert api_client.post("/api/v1/auth/token/", body, format="json").status_code == 400


def test_malformed_json_on_signed_in_endpoints_is_400(user_client):
    for method, path in [
        ("patch", "/api/v1/users/me/"),
        ("delete", "/api/v1/users/me/"),
        ("post", "/api/v1/users/me/password/"),
    ]:
        response = getattr(user_client, method)(path, b"{oops", content_type="application/json")
        assert response.status_code == 400, (method, path)


def test_account_endpoints_take_json_only(api_client, user_client):
    form = api_client.post(
        "/api/v1/auth/token/", {"username": "x", "password": "y"}, format="multipart"
    )
    # A form's empty field would read as "not sent" and silently keep the old email.
    blank_email = user_client.patch("/api/v1/users/me/", {"email": ""}, format="multipart")

    assert form.status_code == 415
    assert blank_email.status_code == 415
