"""POST /api/v1/users/me/password/ and the password reset flow."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from .factories import DEFAULT_PASSWORD, UserFactory
from .helpers import STRONG_PASSWORD, bearer_client, error_codes, obtain_pair

CHANGE = "/api/v1/users/me/password/"
RESET = "/api/v1/auth/password-reset/"
CONFIRM = "/api/v1/auth/password-reset/confirm/"
REFRESH = "/api/v1/auth/token/refresh/"
ME = "/api/v1/users/me/"

pytestmark = pytest.mark.django_db


def change(client, current=DEFAULT_PASSWORD, new=STRONG_PASSWORD):
    return client.post(CHANGE, {"current_password": current, "new_password": new})


def login_status(client, username: str, password: str) -> int:
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}
    ).status_code


# --- Change --------------------------------------------------------------------------------


def test_password_change_sets_the_new_password(api_client, user, pair):
    response = change(bearer_client(pair["access"]))

    assert response.status_code == 204
    assert login_status(api_client, user.username, STRONG_PASSWORD) == 200
    assert login_status(api_client, user.username, DEFAULT_PASSWORD) == 401


def test_password_change_revokes_old_access_and_every_refresh_token(api_client, user, pair):
    other_device = obtain_pair(api_client, user.username)

    change(bearer_client(pair["access"]))

    assert bearer_client(pair["access"]).get(ME).status_code == 401
    assert bearer_client(other_device["access"]).get(ME).status_code == 401
    token_scheme = APIClient()
    token_scheme.credentials(HTTP_AUTHORIZATION=f"Token {pair['access']}")
    assert token_scheme.get(ME).status_code == 401
    for refresh in (pair["refresh"], other_device["refresh"]):
        assert api_client.post(REFRESH, {"refresh": refresh}).status_code == 401


def test_password_change_revokes_api_tokens(user, pair):
    key = Token.objects.create(user=user).key

    change(bearer_client(pair["access"]))

    assert not Token.objects.filter(key=key).exists()
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert token_client.get(ME).status_code == 401


def test_password_change_keeps_the_changing_session_and_ends_the_others(user):
    here, elsewhere = APIClient(), APIClient()
    here.force_login(user)
    elsewhere.force_login(user)

    assert change(here).status_code == 204

    assert here.get(ME).status_code == 200
    assert elsewhere.get(ME).status_code == 401


def test_password_change_with_a_wrong_current_password_changes_nothing(user_client, user):
    response = change(user_client, current="not-it-at-all")

    assert response.status_code == 400
    assert error_codes(response) == {("current_password", "invalid")}
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_password_change_runs_the_validators_on_the_new_password(user_client, user):
    response = change(user_client, new="12345678")

    assert response.status_code == 400
    assert ("new_password", "password_entirely_numeric") in error_codes(response)
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_password_change_needs_a_signed_in_user(api_client):
    assert change(api_client).status_code == 401


# --- Reset ---------------------------------------------------------------------------------


def reset_link(mail) -> tuple[str, str]:
    match = re.search(r"uid=([\w-]+)&token=([\w-]+)", mail.body)
    assert match, mail.body
    return match.group(1), match.group(2)


@pytest.fixture
def request_reset(api_client, mailoutbox, django_capture_on_commit_callbacks):
    def request(email: str):
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post(RESET, {"email": email})
        return response

    return request


def test_reset_request_answers_the_same_whether_or_not_the_email_exists(
    request_reset, user, mailoutbox
):
    known = request_reset(user.email.upper())
    unknown = request_reset("nobody@example.com")

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]


def test_reset_mail_carries_a_link_built_from_the_setting(
    request_reset, user, mailoutbox, settings
):
    settings.PASSWORD_RESET_URL = "https://app.example.com/reset/{uid}/{token}"

    request_reset(user.email)

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    assert f"https://app.example.com/reset/{uid}/" in mailoutbox[0].body


def test_no_reset_mail_for_inactive_or_passwordless_accounts(request_reset, mailoutbox):
    UserFactory(email="dormant@example.com", is_active=False)
    passwordless = UserFactory(email="sso@example.com")
    passwordless.set_unusable_password()
    passwordless.save()

    request_reset("dormant@example.com")
    request_reset("sso@example.com")

    assert mailoutbox == []


def test_reset_request_needs_a_well_formed_email(api_client):
    response = api_client.post(RESET, {"email": "not-an-address"})

    assert response.status_code == 400
    assert error_codes(response) == {("email", "invalid")}


def test_reset_confirm_sets_the_password_and_the_link_works_once(
    api_client, request_reset, user, mailoutbox
):
    request_reset(user.email)
    uid, token = reset_link(mailoutbox[0])
    body = {"uid": uid, "token": token, "new_password": STRONG_PASSWORD}

    first = api_client.post(CONFIRM, body)
    second = api_client.post(CONFIRM, {**body, "new_password": "another-Strong-pass-9"})

    assert first.status_code == 204
    assert second.status_code == 400
    assert error_codes(second) == {("token", "invalid")}
    assert login_status(api_client, user.username, STRONG_PASSWORD) == 200


def test_reset_confirm_revokes_refresh_and_api_tokens(api_client, user, pair):
    Token.objects.create(user=user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)

    response = api_client.post(
        CONFIRM, {"uid": uid, "token": token, "new_password": STRONG_PASSWORD}
    )

    assert response.status_code == 204
    assert api_client.post(REFRESH, {"refresh": pair["refresh"]}).status_code == 401
    assert bearer_client(pair["access"]).get(ME).status_code == 401
    assert not Token.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "case", ["garbage-uid", "unknown-uid", "non-numeric-uid", "wrong-token", "other-users-token"]
)
def test_reset_confirm_refuses_bad_links(api_client, user, other_user, case):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    if case == "garbage-uid":
        uid = "%%%"
    elif case == "unknown-uid":
        uid = urlsafe_base64_encode(force_bytes(987654))
    elif case == "non-numeric-uid":
        uid = urlsafe_base64_encode(b"abc")
    elif case == "wrong-token":
        token = "abc-123"
    else:
        token = default_token_generator.make_token(other_user)

    response = api_client.post(
        CONFIRM, {"uid": uid, "token": token, "new_password": STRONG_PASSWORD}
    )

    assert response.status_code == 400
    assert error_codes(response) == {("token", "invalid")}
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_reset_confirm_with_a_weak_password_leaves_the_link_usable(api_client, user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)

    weak = api_client.post(CONFIRM, {"uid": uid, "token": token, "new_password": "password"})
    strong = api_client.post(CONFIRM, {"uid": uid, "token": token, "new_password": STRONG_PASSWORD})

    assert weak.status_code == 400
    assert ("new_password", "password_too_common") in error_codes(weak)
    assert strong.status_code == 204


def test_reset_confirm_requires_every_field(api_client):
    response = api_client.post(CONFIRM, {})

    assert response.status_code == 400
    assert error_codes(response) == {
        ("uid", "required"),
        ("token", "required"),
        ("new_password", "required"),
    }
