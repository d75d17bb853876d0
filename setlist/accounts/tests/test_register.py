"""POST /api/v1/auth/register/."""

import pytest

from setlist.accounts.models import User

from .factories import UserFactory
from .helpers import STRONG_PASSWORD, error_codes, obtain_pair

URL = "/api/v1/auth/register/"

pytestmark = pytest.mark.django_db


def register(client, **overrides):
    body = {"username": "ringo", "email": "ringo@example.com", "password": STRONG_PASSWORD}
    return client.post(URL, {**body, **overrides})


def test_register_creates_the_account_and_answers_id_username_email(api_client):
    response = register(api_client)

    assert response.status_code == 201
    user = User.objects.get(username="ringo")
    assert response.json() == {"id": user.pk, "username": "ringo", "email": "ringo@example.com"}
    assert user.check_password(STRONG_PASSWORD)
    assert user.password != STRONG_PASSWORD
    assert obtain_pair(api_client, "ringo", STRONG_PASSWORD)["access"]


def test_register_never_echoes_the_password(api_client):
    assert "password" not in register(api_client).json()


@pytest.mark.parametrize(
    ("field", "taken", "offered"),
    [("username", "Ringo", "rINGO"), ("email", "Ringo@Example.com", "ringo@EXAMPLE.COM")],
)
def test_register_refuses_a_taken_username_or_email_whatever_its_case(
    api_client, field, taken, offered
):
    UserFactory(**{field: taken})

    response = register(api_client, **{field: offered})

    assert response.status_code == 400
    assert (field, "unique") in error_codes(response)
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short1!", "password_too_short"),
        ("password123", "password_too_common"),
        ("83920174639201", "password_entirely_numeric"),
        ("ringo1234", "password_too_similar"),
    ],
)
def test_register_runs_the_password_validators(api_client, password, code):
    response = register(api_client, password=password)

    assert response.status_code == 400
    assert ("password", code) in error_codes(response)
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"username": "ringo starr!"}, ("username", "invalid")),
        ({"email": "not-an-email"}, ("email", "invalid")),
        ({"username": ""}, ("username", "blank")),
        ({"email": ""}, ("email", "blank")),
        ({"password": ""}, ("password", "blank")),
        ({"username": "x" * 151}, ("username", "max_length")),
        ({"username": 12}, ("username", "invalid")),  # a JSON number is not a name
        ({"password": 12345678901}, ("password", "invalid")),
    ],
)
def test_register_reports_bad_fields(api_client, overrides, expected):
    response = register(api_client, **overrides)

    assert response.status_code == 400
    assert expected in error_codes(response)


def test_register_requires_every_field(api_client):
    response = api_client.post(URL, {})

    assert response.status_code == 400
    assert error_codes(response) == {
        ("username", "required"),
        ("email", "required"),
        ("password", "required"),
    }


def test_register_ignores_a_stale_authorization_header(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")

    assert register(api_client).status_code == 201


def test_register_sends_the_welcome_mail_after_commit(
    api_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        register(api_client)
        assert mailoutbox == []  # nothing leaves before the transaction commits

    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ringo@example.com"]
    assert "ringo" in mailoutbox[0].subject
