"""API tokens (POST/DELETE /api/v1/auth/api-token/) and the Authorization schemes."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from .factories import DEFAULT_PASSWORD
from .helpers import obtain_pair

URL = "/api/v1/auth/api-token/"
ME = "/api/v1/users/me/"

pytestmark = pytest.mark.django_db


def client_with(authorization: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=authorization)
    return client


def test_api_token_returns_the_users_key(api_client, user):
    response = api_client.post(URL, {"username": user.username, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_api_token_is_the_key_drf_create_token_prints(api_client, user):
    key = api_client.post(URL, {"username": user.username, "password": DEFAULT_PASSWORD}).json()[
        "token"
    ]
    out = StringIO()

    call_command("drf_create_token", user.username, stdout=out)

    assert key in out.getvalue()
    again = api_client.post(URL, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert again.json()["token"] == key


def test_api_token_with_wrong_credentials_is_401(api_client, user):
    response = api_client.post(URL, {"username": user.username, "password": "nope-nope-12"})

    assert response.status_code == 401
    assert not Token.objects.exists()


def test_delete_with_the_token_revokes_it(user):
    key = Token.objects.create(user=user).key
    client = client_with(f"Token {key}")

    assert client.get(ME).status_code == 200
    assert client.delete(URL).status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert client.get(ME).status_code == 401


def test_delete_api_token_needs_a_signed_in_user(api_client):
    response = api_client.delete(URL)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


# --- Authorization schemes -----------------------------------------------------------------


def test_unauthenticated_requests_get_401_with_a_bearer_challenge(api_client):
    response = api_client.get(ME)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_bearer_jwt_authenticates(api_client, user):
    access = obtain_pair(api_client, user.username)["access"]

    assert client_with(f"Bearer {access}").get(ME).json()["username"] == user.username


def test_token_scheme_accepts_an_access_jwt_too(api_client, user):
    access = obtain_pair(api_client, user.username)["access"]

    response = client_with(f"Token {access}").get(ME)

    assert response.status_code == 200
    assert response.json()["username"] == user.username


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer not-a-jwt",
        "Bearer a.b.c",
        "Bearer two parts",
        "Bearer",
        "Token 0123456789abcdef0123456789abcdef01234567",
        "Token forged.jwt.value",
        "Token",
        "Token two parts",
    ],
)
def test_malformed_or_unknown_credentials_are_401_with_one_error(user, authorization):
    response = client_with(authorization).get(ME)

    assert response.status_code == 401
    assert "WWW-Authenticate" in response.headers
    errors = response.json()["errors"]
    assert len(errors) == 1
    assert errors[0]["attr"] is None


def test_a_refresh_token_is_not_an_access_token(api_client, user):
    refresh = obtain_pair(api_client, user.username)["refresh"]

    assert client_with(f"Bearer {refresh}").get(ME).status_code == 401
    assert client_with(f"Token {refresh}").get(ME).status_code == 401


def test_an_unknown_scheme_is_treated_as_anonymous(user):
    assert client_with("Basic dXNlcjpwYXNz").get(ME).status_code == 401


def test_session_authentication_works_for_the_browsable_api(user):
    client = APIClient()
    client.force_login(user)

    assert client.get(ME).json()["username"] == user.username


def _access_with(user, **claims) -> str:
    token = AccessToken.for_user(user)
    for name, value in claims.items():
        token[name] = value
    return str(token)


@pytest.mark.parametrize("scheme", ["Bearer", "Token"])
@pytest.mark.parametrize(
    "user_id", ["not-a-number", "-5", "0", str(2**63), "99999999", None, ["1"]]
)
def test_a_signed_token_for_no_such_user_is_401(user, scheme, user_id):
    response = client_with(f"{scheme} {_access_with(user, user_id=user_id)}").get(ME)

    assert response.status_code == 401
    assert len(response.json()["errors"]) == 1


def test_a_token_of_a_deactivated_or_deleted_user_is_401(user, other_user):
    deactivated, deleted = _access_with(user), _access_with(other_user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    other_user.delete()

    assert client_with(f"Bearer {deactivated}").get(ME).status_code == 401
    assert client_with(f"Bearer {deleted}").get(ME).status_code == 401


def test_the_user_a_token_names_is_read_fresh_on_every_request(user):
    client = client_with(f"Bearer {_access_with(user)}")
    assert client.get(ME).json()["username"] == user.username

    user.username = "renamed-since"
    user.save(update_fields=["username"])

    assert client.get(ME).json()["username"] == "renamed-since"


def _revoked_by_password_change(user) -> None:
    user.set_password("a-brand-new-passphrase")
    user.save()


def _deactivated(user) -> None:
    user.is_active = False
    user.save()


def _deleted(user) -> None:
    user.delete()


@pytest.mark.parametrize("scheme", ["Bearer", "Token", "cookie"])
@pytest.mark.parametrize("lose_it", [_revoked_by_password_change, _deactivated, _deleted])
def test_an_access_jwt_whose_user_no_longer_matches_is_a_documented_401(
    api_client, user, scheme, lose_it
):
    """A signed, unexpired JWT can still stop matching its user (password changed, account
    deactivated or deleted). Every such 401 carries `authentication_failed`, one of the two
    codes the schema documents for 401, never simplejwt's internal codes."""
    access = obtain_pair(api_client, user.username)["access"]
    lose_it(user)

    client = APIClient()
    if scheme == "cookie":
        client.cookies[settings.JWT_COOKIE_ACCESS_NAME] = access
    else:
        client.credentials(HTTP_AUTHORIZATION=f"{scheme} {access}")
    response = client.get(ME)

    assert response.status_code == 401
    assert [error["code"] for error in response.json()["errors"]] == ["authentication_failed"]
