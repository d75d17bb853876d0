"""The account services' rules, called directly (other apps and the RealWorld adapter do)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from setlist.accounts import services, tokens
from setlist.accounts.models import User

from .factories import DEFAULT_PASSWORD, UserFactory
from .helpers import STRONG_PASSWORD, claims

pytestmark = pytest.mark.django_db


def codes(exc: pytest.ExceptionInfo) -> set[tuple[str, str]]:
    return {
        (field, error.code) for field, errors in exc.value.error_dict.items() for error in errors
    }


def create(**overrides) -> User:
    fields = {"username": "miles", "email": "miles@example.com", "password": STRONG_PASSWORD}
    return services.user_create(**{**fields, **overrides})


# --- user_create ---------------------------------------------------------------------------


def test_user_create_makes_an_active_member_with_a_hashed_password():
    user = create(bio="Trumpet.", image="https://example.com/miles.png")

    assert user.pk
    assert user.is_active
    assert not user.is_staff
    assert user.check_password(STRONG_PASSWORD)
    assert (user.bio, user.image) == ("Trumpet.", "https://example.com/miles.png")


def test_user_create_stores_empty_bio_and_image_as_none():
    user = create(bio="", image="")

    assert user.bio is None
    assert user.image is None


def test_user_create_normalises_the_email_domain():
    assert create(email="Miles@EXAMPLE.com").email == "Miles@example.com"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"username": "Miles"}, ("username", "unique")),
        ({"email": "MILES@example.com"}, ("email", "unique")),
    ],
)
def test_user_create_refuses_duplicates_whatever_their_case(overrides, expected):
    create()

    with pytest.raises(ValidationError) as exc:
        create(**{"username": "other", "email": "other@example.com", **overrides})

    assert expected in codes(exc)
    assert exc.value.error_dict[expected[0]][0].message.startswith("A user with that")


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"username": ""}, ("username", "blank")),
        ({"username": "   "}, ("username", "blank")),
        ({"email": ""}, ("email", "blank")),
        ({"password": ""}, ("password", "blank")),
        ({"username": "has space"}, ("username", "invalid")),
        ({"username": "a" * 151}, ("username", "max_length")),
        ({"email": "nope"}, ("email", "invalid")),
        ({"image": "not a url"}, ("image", "invalid")),
        ({"password": "miles1234"}, ("password", "password_too_similar")),
    ],
)
def test_user_create_reports_each_broken_rule_by_field(overrides, expected):
    with pytest.raises(ValidationError) as exc:
        create(**overrides)

    assert expected in codes(exc)
    assert not User.objects.exists()


def test_user_create_reports_every_broken_field_at_once():
    with pytest.raises(ValidationError) as exc:
        create(username="", email="", password="")

    assert {field for field, _ in codes(exc)} == {"username", "email", "password"}


def test_user_create_turns_a_unique_constraint_race_into_the_same_error(monkeypatch):
    create()
    # As if a concurrent sign-up committed between the checks and the insert.
    monkeypatch.setattr(services, "_check_username", lambda errors, username: None)
    monkeypatch.setattr(services, "_check_email", lambda errors, email, exclude=None: None)

    with pytest.raises(ValidationError) as exc:
        create(email="someone-else@example.com")

    assert codes(exc) == {("username", "unique")}
    assert User.objects.count() == 1


# --- user_update ---------------------------------------------------------------------------


def test_user_update_changes_profile_fields_and_ignores_the_rest(user):
    services.user_update(
        user=user, data={"first_name": " Ada ", "bio": "", "is_staff": True, "groups": [1]}
    )

    user.refresh_from_db()
    assert user.first_name == "Ada"
    assert user.bio is None
    assert not user.is_staff


def test_user_update_renames_when_the_caller_passes_a_username(user):
    """The native API never passes one (username is read-only there); RealWorld does."""
    services.user_update(user=user, data={"username": " Renamed "})

    user.refresh_from_db()
    assert user.username == "Renamed"


def test_user_update_refuses_a_username_in_use_ignoring_case(user):
    UserFactory(username="taken")

    with pytest.raises(ValidationError) as exc:
        services.user_update(user=user, data={"username": "TAKEN"})

    assert codes(exc) == {("username", "unique")}


def test_user_update_with_a_password_revokes_the_other_credentials(user):
    pair = services.token_pair_issue(user=user)

    services.user_update(user=user, data={"password": "a-fresh-passphrase-2"})

    user.refresh_from_db()
    assert user.check_password("a-fresh-passphrase-2")
    with pytest.raises(TokenError):
        services.token_pair_rotate(refresh=pair["refresh"])


def test_user_update_refuses_an_email_in_use(user):
    UserFactory(email="taken@example.com")

    with pytest.raises(ValidationError) as exc:
        services.user_update(user=user, data={"email": "Taken@Example.com"})

    assert codes(exc) == {("email", "unique")}


def test_user_update_with_nothing_to_change_writes_nothing(user):
    with CaptureQueriesContext(connection) as queries:
        services.user_update(user=user, data={"username": user.username, "is_staff": True})

    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


# --- user_authenticate ---------------------------------------------------------------------


def test_user_authenticate_by_username_or_email_ignoring_case():
    user = UserFactory(username="Billie", email="billie@example.com")

    assert services.user_authenticate(username="bILLIE", password=DEFAULT_PASSWORD) == user
    assert services.user_authenticate(email="BILLIE@example.com", password=DEFAULT_PASSWORD) == user


@pytest.mark.parametrize(
    "kwargs",
    [
        {"username": "billie", "password": "wrong-password"},
        {"username": "nobody", "password": DEFAULT_PASSWORD},
        {"email": "nobody@example.com", "password": DEFAULT_PASSWORD},
        {"email": "", "password": DEFAULT_PASSWORD},
        {"password": DEFAULT_PASSWORD},
    ],
)
def test_user_authenticate_returns_none_for_bad_credentials(kwargs):
    UserFactory(username="billie")

    assert services.user_authenticate(**kwargs) is None


def test_user_authenticate_refuses_inactive_accounts():
    UserFactory(username="gone", is_active=False)

    assert services.user_authenticate(username="gone", password=DEFAULT_PASSWORD) is None


def test_user_authenticate_hashes_even_for_unknown_users(monkeypatch):
    hashed = []
    original = User.set_password
    monkeypatch.setattr(
        User, "set_password", lambda self, raw: hashed.append(raw) or original(self, raw)
    )

    services.user_authenticate(username="nobody", password="guess")

    assert hashed == ["guess"]


# --- Passwords and deletion ----------------------------------------------------------------


def test_user_password_change_revokes_refresh_and_api_tokens(user):
    tokens.token_pair_issue(user=user)
    tokens.token_pair_issue(user=user)
    Token.objects.create(user=user)

    services.user_password_change(
        user=user, current_password=DEFAULT_PASSWORD, new_password=STRONG_PASSWORD
    )

    assert BlacklistedToken.objects.filter(token__user=user).count() == 2
    assert not Token.objects.filter(user=user).exists()


def test_user_delete_refuses_a_wrong_password(user):
    with pytest.raises(ValidationError) as exc:
        services.user_delete(user=user, current_password="wrong")

    assert codes(exc) == {("current_password", "invalid")}
    assert User.objects.filter(pk=user.pk).exists()


def test_password_reset_request_queues_mail_only_after_commit(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.password_reset_request(email=user.email)

    assert mailoutbox == []
    assert len(callbacks) == 1


def test_password_reset_request_for_a_blank_email_does_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.password_reset_request(email="")

    assert callbacks == []


# --- Tokens --------------------------------------------------------------------------------


def test_access_token_for_accepts_a_longer_lifetime(user):
    payload = claims(tokens.access_token_for(user, lifetime=timedelta(days=1)))

    assert payload["exp"] - payload["iat"] == 86400
    assert payload["username"] == user.username
    assert payload["is_staff"] is False
    assert payload["token_type"] == "access"


def test_token_pair_issue_records_the_refresh_token_and_its_device(user):
    pair = tokens.token_pair_issue(user=user, user_agent="x" * 400)

    outstanding = OutstandingToken.objects.get(jti=claims(pair["refresh"])["jti"])
    assert outstanding.user == user
    assert outstanding.token == pair["refresh"]
    assert outstanding.device.user_agent == "x" * 255


def test_tokens_revoke_all_is_idempotent(user):
    tokens.token_pair_issue(user=user)
    tokens.token_pair_issue(user=user)

    assert services.tokens_revoke_all(user=user) == 2
    assert services.tokens_revoke_all(user=user) == 0
    assert BlacklistedToken.objects.count() == 2
