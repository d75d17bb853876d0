"""JWT pairs: obtain, refresh (rotation), verify, logout, logout everywhere."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from .factories import DEFAULT_PASSWORD, UserFactory
from .helpers import bearer_client, claims, error_codes, obtain_pair

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
VERIFY = "/api/v1/auth/token/verify/"
LOGOUT = "/api/v1/auth/logout/"
LOGOUT_ALL = "/api/v1/auth/logout-all/"

pytestmark = pytest.mark.django_db


# --- Obtain --------------------------------------------------------------------------------


def test_token_returns_an_access_and_a_refresh_token(api_client, user):
    response = api_client.post(TOKEN, {"username": user.username, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh"}
    assert claims(body["access"])["token_type"] == "access"
    assert claims(body["refresh"])["token_type"] == "refresh"


def test_tokens_carry_username_and_is_staff_claims(api_client):
    staff = UserFactory(username="Conductor", is_staff=True)

    body = obtain_pair(api_client, "conductor")

    for raw in body.values():
        payload = claims(raw)
        assert payload["username"] == "Conductor"
        assert payload["is_staff"] is True
        assert payload["user_id"] == str(staff.pk)


def test_token_accepts_the_username_in_any_case(api_client):
    UserFactory(username="MixedCase")

    assert obtain_pair(api_client, "mIXEDcASE")["access"]


@pytest.mark.parametrize(
    ("username", "password"),
    [("listener-known", "wrong-password-1"), ("nobody-by-that-name", DEFAULT_PASSWORD)],
)
def test_wrong_credentials_get_one_401_whether_or_not_the_user_exists(
    api_client, username, password
):
    UserFactory(username="listener-known")

    response = api_client.post(TOKEN, {"username": username, "password": password})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "authentication_failed",
                "detail": "No active account found with the given credentials.",
                "attr": None,
            }
        ],
    }


def test_an_inactive_account_cannot_obtain_tokens(api_client):
    UserFactory(username="dormant", is_active=False)

    response = api_client.post(TOKEN, {"username": "dormant", "password": DEFAULT_PASSWORD})

    assert response.status_code == 401


def test_token_without_a_password_is_a_validation_error(api_client, user):
    response = api_client.post(TOKEN, {"username": user.username})

    assert response.status_code == 400
    assert error_codes(response) == {("password", "required")}


def test_token_records_the_device_as_a_session(api_client, user):
    obtain_pair(api_client, user.username, HTTP_USER_AGENT="Setlist-iOS/3.1")

    outstanding = OutstandingToken.objects.get(user=user)
    assert outstanding.device.user_agent == "Setlist-iOS/3.1"


# --- Refresh -------------------------------------------------------------------------------


def test_refresh_rotates_the_pair_and_blacklists_the_old_refresh_token(api_client, pair):
    response = api_client.post(REFRESH, {"refresh": pair["refresh"]})

    assert response.status_code == 200
    fresh = response.json()
    assert set(fresh) == {"access", "refresh"}
    assert fresh["refresh"] != pair["refresh"]
    old_jti = claims(pair["refresh"])["jti"]
    assert BlacklistedToken.objects.filter(token__jti=old_jti).exists()
    assert bearer_client(fresh["access"]).get("/api/v1/users/me/").status_code == 200
    assert api_client.post(REFRESH, {"refresh": fresh["refresh"]}).status_code == 200


def test_reusing_a_rotated_refresh_token_is_401(api_client, pair):
    assert api_client.post(REFRESH, {"refresh": pair["refresh"]}).status_code == 200

    response = api_client.post(REFRESH, {"refresh": pair["refresh"]})

    assert response.status_code == 401
    assert response.json()["errors"][0] == {
        "code": "authentication_failed",
        "detail": "Token is blacklisted",
        "attr": None,
    }
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("which", ["access", "garbage", "expired", "unrecorded"])
def test_refresh_refuses_anything_but_a_live_recorded_refresh_token(api_client, pair, user, which):
    if which == "access":
        raw = pair["access"]
    elif which == "garbage":
        raw = "not-a-token"
    elif which == "expired":
        token = RefreshToken.for_user(user)
        token.set_exp(from_time=timezone.now() - timedelta(days=30))
        raw = str(token)
    else:
        # Correctly signed, but never issued by this server's token store.
        token = RefreshToken.for_user(user)
        OutstandingToken.objects.filter(jti=token["jti"]).delete()
        raw = str(token)

    response = api_client.post(REFRESH, {"refresh": raw})

    assert response.status_code == 401


def test_refresh_reads_the_claims_again_from_the_user(api_client, pair, user):
    user.is_staff = True
    user.save()

    fresh = api_client.post(REFRESH, {"refresh": pair["refresh"]}).json()

    assert claims(fresh["access"])["is_staff"] is True


def test_refresh_is_refused_for_a_deactivated_user(api_client, pair, user):
    user.is_active = False
    user.save()

    assert api_client.post(REFRESH, {"refresh": pair["refresh"]}).status_code == 401


def test_refresh_records_the_device_of_the_new_token(api_client, pair):
    fresh = api_client.post(
        REFRESH, {"refresh": pair["refresh"]}, HTTP_USER_AGENT="Setlist-Web/2"
    ).json()

    outstanding = OutstandingToken.objects.get(jti=claims(fresh["refresh"])["jti"])
    assert outstanding.device.user_agent == "Setlist-Web/2"


def test_refresh_without_a_token_is_a_validation_error(api_client):
    response = api_client.post(REFRESH, {})

    assert response.status_code == 400
    assert error_codes(response) == {("refresh", "required")}


# --- Verify --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["access", "refresh"])
def test_verify_accepts_a_live_token(api_client, pair, kind):
    response = api_client.post(VERIFY, {"token": pair[kind]})

    assert response.status_code == 200
    assert response.json() == {}


def test_verify_refuses_garbage_and_blacklisted_tokens(api_client, pair):
    api_client.post(LOGOUT, {"refresh": pair["refresh"]})

    assert api_client.post(VERIFY, {"token": "a.b.c"}).status_code == 401
    assert api_client.post(VERIFY, {"token": pair["refresh"]}).status_code == 401


def test_verify_refuses_an_access_token_older_than_the_password(api_client, pair, user):
    user.set_password("a-different-Secret-77")
    user.save()

    assert api_client.post(VERIFY, {"token": pair["access"]}).status_code == 401


def test_verify_refuses_a_token_of_a_deleted_user(api_client, pair, user):
    user.delete()

    assert api_client.post(VERIFY, {"token": pair["access"]}).status_code == 401


# --- Logout --------------------------------------------------------------------------------


def test_logout_blacklists_the_refresh_token(api_client, pair):
    response = api_client.post(LOGOUT, {"refresh": pair["refresh"]})

    assert response.status_code == 204
    assert response.content == b""
    assert api_client.post(REFRESH, {"refresh": pair["refresh"]}).status_code == 401


def test_logout_with_a_dead_or_bogus_token_is_401(api_client, pair):
    api_client.post(LOGOUT, {"refresh": pair["refresh"]})

    assert api_client.post(LOGOUT, {"refresh": pair["refresh"]}).status_code == 401
    assert api_client.post(LOGOUT, {"refresh": "bogus"}).status_code == 401
    assert api_client.post(LOGOUT, {"refresh": pair["access"]}).status_code == 401


def test_logout_all_revokes_every_refresh_token_of_the_caller_only(api_client, user, other_user):
    mine = [obtain_pair(api_client, user.username) for _ in range(3)]
    theirs = obtain_pair(api_client, other_user.username)

    response = bearer_client(mine[0]["access"]).post(LOGOUT_ALL)

    assert response.status_code == 204
    for pair in mine:
        assert api_client.post(REFRESH, {"refresh": pair["refresh"]}).status_code == 401
    assert api_client.post(REFRESH, {"refresh": theirs["refresh"]}).status_code == 200


def test_logout_all_needs_a_signed_in_user(api_client):
    response = api_client.post(LOGOUT_ALL)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
