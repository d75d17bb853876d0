"""Cookie sign-in: POST /api/v1/auth/cookie/{login,refresh,logout}/ and CSRF."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from .factories import DEFAULT_PASSWORD
from .helpers import claims

LOGIN = "/api/v1/auth/cookie/login/"
REFRESH = "/api/v1/auth/cookie/refresh/"
LOGOUT = "/api/v1/auth/cookie/logout/"
ME = "/api/v1/users/me/"
ACCESS_COOKIE = settings.JWT_COOKIE_ACCESS_NAME
REFRESH_COOKIE = settings.JWT_COOKIE_REFRESH_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser() -> APIClient:
    """A client that, like a browser front end, must send the CSRF header itself."""
    return APIClient(enforce_csrf_checks=True)


def cookie_login(client: APIClient, user):
    response = client.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 204, response.content
    return response


def csrf_header(client: APIClient) -> dict[str, str]:
    return {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def test_cookie_login_sets_httponly_jwt_cookies_and_a_csrf_cookie(browser, user):
    response = cookie_login(browser, user)

    assert response.content == b""
    access = response.cookies[ACCESS_COOKIE]
    refresh = response.cookies[REFRESH_COOKIE]
    for cookie in (access, refresh):
        assert cookie["httponly"]
        assert cookie["samesite"] == "Lax"
        assert not cookie["secure"]  # JWT_COOKIE_SECURE is off outside production
    assert access["path"] == "/"
    assert refresh["path"] == "/api/v1/auth/cookie/"
    assert claims(access.value)["token_type"] == "access"
    assert claims(refresh.value)["token_type"] == "refresh"
    assert response.cookies["csrftoken"].value
    assert not response.cookies["csrftoken"]["httponly"]  # the front end must read it


def test_cookie_flags_follow_the_settings(browser, user, settings):
    settings.JWT_COOKIE_SECURE = True
    settings.JWT_COOKIE_SAMESITE = "Strict"

    response = cookie_login(browser, user)

    for name in (ACCESS_COOKIE, REFRESH_COOKIE):
        assert response.cookies[name]["secure"]
        assert response.cookies[name]["samesite"] == "Strict"


def test_cookie_login_with_wrong_credentials_sets_nothing(browser, user):
    response = browser.post(LOGIN, {"username": user.username, "password": "wrong-one-42"})

    assert response.status_code == 401
    assert ACCESS_COOKIE not in response.cookies
    assert REFRESH_COOKIE not in response.cookies


def test_the_access_cookie_authenticates_safe_requests(browser, user):
    cookie_login(browser, user)

    response = browser.get(ME)

    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_unsafe_requests_with_the_access_cookie_need_the_csrf_header(browser, user):
    cookie_login(browser, user)

    refused = browser.patch(ME, {"bio": "hi"})
    accepted = browser.patch(ME, {"bio": "hi"}, **csrf_header(browser))

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["errors"][0]["detail"]
    assert accepted.status_code == 200
    assert accepted.json()["bio"] == "hi"


def test_a_stale_access_cookie_does_not_break_anonymous_requests(browser, user):
    browser.cookies[ACCESS_COOKIE] = "stale.jwt.value"

    assert browser.get(ME).status_code == 401
    assert cookie_login(browser, user).status_code == 204


def test_cookie_refresh_rotates_both_cookies(browser, user):
    cookie_login(browser, user)
    old_refresh = browser.cookies[REFRESH_COOKIE].value

    response = browser.post(REFRESH, **csrf_header(browser))

    assert response.status_code == 204
    new_refresh = response.cookies[REFRESH_COOKIE].value
    assert new_refresh != old_refresh
    assert response.cookies[ACCESS_COOKIE].value
    assert BlacklistedToken.objects.filter(token__jti=claims(old_refresh)["jti"]).exists()
    assert browser.get(ME).status_code == 200


def test_cookie_refresh_needs_the_csrf_header(browser, user):
    cookie_login(browser, user)

    assert browser.post(REFRESH).status_code == 403


def test_cookie_refresh_without_a_cookie_is_401(browser):
    response = browser.post(REFRESH)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_cookie_refresh_with_a_spent_cookie_is_401_and_clears_the_cookies(browser, user):
    cookie_login(browser, user)
    spent = browser.cookies[REFRESH_COOKIE].value
    browser.post(REFRESH, **csrf_header(browser))
    browser.cookies[REFRESH_COOKIE] = spent

    response = browser.post(REFRESH, **csrf_header(browser))

    assert response.status_code == 401
    assert response.cookies[REFRESH_COOKIE]["max-age"] == 0
    assert response.cookies[ACCESS_COOKIE]["max-age"] == 0


def test_cookie_logout_blacklists_the_refresh_token_and_clears_the_cookies(browser, user):
    cookie_login(browser, user)
    refresh = browser.cookies[REFRESH_COOKIE].value

    response = browser.post(LOGOUT, **csrf_header(browser))

    assert response.status_code == 204
    assert response.cookies[ACCESS_COOKIE]["max-age"] == 0
    assert response.cookies[REFRESH_COOKIE]["max-age"] == 0
    assert response.cookies[REFRESH_COOKIE]["path"] == "/api/v1/auth/cookie/"
    assert BlacklistedToken.objects.filter(token__jti=claims(refresh)["jti"]).exists()
    assert browser.get(ME).status_code == 401


def test_cookie_logout_needs_the_csrf_header(browser, user):
    cookie_login(browser, user)

    assert browser.post(LOGOUT).status_code == 403
    assert not BlacklistedToken.objects.exists()


def test_cookie_logout_without_cookies_is_still_204(browser):
    assert browser.post(LOGOUT).status_code == 204
