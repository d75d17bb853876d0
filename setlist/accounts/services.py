"""Account writes: sign-up, profile edits, sign-in checks, password changes and resets.

Every rule raises `django.core.exceptions.ValidationError` with a dict keyed by field and
errors that carry a code (`blank`, `invalid`, `unique`, `max_length`, `password_*`), so
any front end (the REST API, the RealWorld adapter, the admin) reports the same thing.
"""

from functools import partial
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth import password_validation as validation
from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from rest_framework.authtoken.models import Token
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from . import tasks
from .models import User
from .signals import user_deleting
from .tokens import (
    access_token_for,
    refresh_token_revoke,
    token_pair_issue,
    token_pair_rotate,
    tokens_revoke_all,
)

# Re-exported: callers find every account operation here.
__all__ = [
    "access_token_for",
    "api_token_issue",
    "api_token_revoke",
    "password_reset_confirm",
    "password_reset_request",
    "refresh_token_revoke",
    "session_revoke",
    "token_pair_issue",
    "token_pair_rotate",
    "tokens_revoke_all",
    "user_authenticate",
    "user_create",
    "user_delete",
    "user_password_change",
    "user_update",
]

UNIQUE_MESSAGES = {
    "username": "A user with that username already exists.",
    "email": "A user with that email already exists.",
}
PROFILE_FIELDS = ("email", "first_name", "last_name", "bio", "image")
_NULLABLE_FIELDS = ("bio", "image")


def _field(name: str):
    return User._meta.get_field(name)


class _Errors:
    """Collects errors per field and raises them together, as a form would."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.by_field.setdefault(field, []).append(ValidationError(message, code=code))

    def extend(self, field: str, error: ValidationError) -> None:
        self.by_field.setdefault(field, []).extend(error.error_list)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _check_max_length(errors: _Errors, field: str, value: str) -> None:
    limit = _field(field).max_length
    if limit and len(value) > limit:
        errors.add(field, f"Ensure this field has no more than {limit} characters.", "max_length")


def _check_username(errors: _Errors, username: str, *, exclude: User | None = None) -> None:
    if not username:
        errors.add("username", "This field may not be blank.", "blank")
        return
    _check_max_length(errors, "username", username)
    for validator in _field("username").validators:
        try:
            validator(username)
        except ValidationError as exc:
            errors.extend("username", exc)
    taken = User.objects.filter(username__iexact=username)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        errors.add("username", UNIQUE_MESSAGES["username"], "unique")


def _check_email(errors: _Errors, email: str, *, exclude: User | None = None) -> None:
    if not email:
        errors.add("email", "This field may not be blank.", "blank")
        return
    _check_max_length(errors, "email", email)
    try:
        EmailValidator()(email)
    except ValidationError:
        errors.add("email", "Enter a valid email address.", "invalid")
        return
    taken = User.objects.filter(email__iexact=email)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        errors.add("email", UNIQUE_MESSAGES["email"], "unique")


def _check_image(errors: _Errors, image: str | None) -> None:
    if not image:
        return
    _check_max_length(errors, "image", image)
    try:
        URLValidator()(image)
    except ValidationError:
        errors.add("image", "Enter a valid URL.", "invalid")


def _check_password(
    errors: _Errors, field: str, password: str, user: User, validators: list | None = None
) -> None:
    """Django's password validators (`AUTH_PASSWORD_VALIDATORS`, or `validators`)."""
    if not password:
        errors.add(field, "This field may not be blank.", "blank")
        return
    try:
        validation.validate_password(password, user=user, password_validators=validators)
    except ValidationError as exc:
        errors.extend(field, exc)


def _unique_violation(
    exc: IntegrityError, *, username: str, email: str, exclude: User | None = None
) -> ValidationError:
    """Which unique rule a concurrent write broke, as the error a form would give."""
    others = User.objects.exclude(pk=exclude.pk) if exclude is not None else User.objects
    errors = _Errors()
    if others.filter(username__iexact=username).exists():
        errors.add("username", UNIQUE_MESSAGES["username"], "unique")
    if email and others.filter(email__iexact=email).exists():
        errors.add("email", UNIQUE_MESSAGES["email"], "unique")
    if not errors.by_field:
        # Not visible yet to this transaction: fall back on the constraint's name.
        field = "email" if "email" in str(exc) else "username"
        errors.add(field, UNIQUE_MESSAGES[field], "unique")
    return ValidationError(errors.by_field)


def _clean_optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str,
    bio: str | None = None,
    image: str | None = None,
    password_validators: list | None = None,
) -> User:
    """Create a member after the checks a sign-up form makes (validators, uniqueness).

    `password_validators` replaces the configured password validators (the RealWorld
    adapter applies only the specification's minimum length). The welcome mail is sent by
    the `post_save` signal, after the transaction commits.
    """
    username = User.normalize_username((username or "").strip())
    email = User.objects.normalize_email((email or "").strip())
    bio, image = _clean_optional(bio), _clean_optional(image)
    errors = _Errors()
    _check_username(errors, username)
    _check_email(errors, email)
    _check_image(errors, image)
    # Password validators compare against the would-be user (similarity to the username).
    _check_password(
        errors, "password", password, User(username=username, email=email), password_validators
    )
    errors.raise_if_any()
    try:
        with transaction.atomic():
            return User.objects.create_user(
                username=username, email=email, password=password, bio=bio, image=image
            )
    except IntegrityError as exc:
        raise _unique_violation(exc, username=username, email=email) from exc


@transaction.atomic
def user_update(
    *, user: User, data: dict[str, Any], password_validators: list | None = None
) -> User:
    """Change profile fields (`email`, `first_name`, `last_name`, `bio`, `image`), and the
    `username` and `password` when the caller's API lets members change them (RealWorld).

    Other keys are ignored. `""` for `bio` or `image` clears them (stored as None). A new
    password revokes every other credential, as a password change does.
    """
    changes = {key: data[key] for key in (*PROFILE_FIELDS, "username") if key in data}
    for key in _NULLABLE_FIELDS:
        if key in changes:
            changes[key] = _clean_optional(changes[key])
    for key in ("first_name", "last_name"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    errors = _Errors()
    if "username" in changes:
        changes["username"] = User.normalize_username((changes["username"] or "").strip())
        if changes["username"] != user.username:
            _check_username(errors, changes["username"], exclude=user)
    if "email" in changes:
        changes["email"] = User.objects.normalize_email((changes["email"] or "").strip())
        if changes["email"].lower() != user.email.lower():
            _check_email(errors, changes["email"], exclude=user)
    for key in ("first_name", "last_name"):
        if key in changes:
            _check_max_length(errors, key, changes[key])
    if "image" in changes:
        _check_image(errors, changes["image"])
    if "password" in data:
        _check_password(errors, "password", data["password"], user, password_validators)
    errors.raise_if_any()
    changes = {key: value for key, value in changes.items() if getattr(user, key) != value}
    for key, value in changes.items():
        setattr(user, key, value)
    if changes:
        try:
            with transaction.atomic():
                user.save(update_fields=list(changes))
        except IntegrityError as exc:
            raise _unique_violation(
                exc, username=user.username, email=user.email, exclude=user
            ) from exc
    if "password" in data:
        user.set_password(data["password"])
        user.save(update_fields=["password"])
        _credentials_revoke(user)
    return user


def user_authenticate(
    *, password: str, username: str | None = None, email: str | None = None, request=None
) -> User | None:
    """The active user with these credentials, or None. Username and email ignore case.

    An unknown name costs the same password hashing as a wrong password, so response
    times do not tell which accounts exist.
    """
    if username:
        lookup = {"username__iexact": username.strip()}
    elif email:
        lookup = {"email__iexact": email.strip()}
    else:
        lookup = None
    account = User.objects.filter(**lookup).only("username").first() if lookup else None
    if account is None:
        User().set_password(password)
        return None
    user = authenticate(request, username=account.username, password=password)
    return user if isinstance(user, User) else None


def _require_password(user: User, password: str, field: str = "current_password") -> None:
    if not password or not user.check_password(password):
        raise ValidationError(
            {field: [ValidationError("The password is incorrect.", code="invalid")]}
        )


def _credentials_revoke(user: User) -> None:
    """Make every way of being signed in stop working, except what Django rebinds.

    Access JWTs die on their own (their password digest no longer matches) and so do
    other Django sessions (their auth hash no longer matches).
    """
    tokens_revoke_all(user=user)
    Token.objects.filter(user=user).delete()


def _password_set(user: User, new_password: str, field: str) -> None:
    errors = _Errors()
    _check_password(errors, field, new_password, user)
    errors.raise_if_any()
    user.set_password(new_password)
    user.save(update_fields=["password"])
    _credentials_revoke(user)


@transaction.atomic
def user_password_change(*, user: User, current_password: str, new_password: str) -> None:
    """Change the password and revoke every refresh token, API token and other session."""
    _require_password(user, current_password)
    _password_set(user, new_password, "new_password")


@transaction.atomic
def user_delete(*, user: User, current_password: str) -> None:
    """Delete the account once the password is confirmed (see `user_erase`)."""
    _require_password(user, current_password)
    user_erase(user=user)


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Delete the account and everything that is only theirs, keeping every count exact.

    `user_deleting` goes out first, inside the transaction, so apps can correct counters
    the cascade is about to move. Likes, plays, playlists and journal posts go with it.
    The admin deletes through here too.
    """
    user_deleting.send(sender=User, user=user)
    # simplejwt keeps token rows of deleted users (SET_NULL); nothing needs them any more.
    OutstandingToken.objects.filter(user=user).delete()
    user.delete()


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Mail a one-time reset link to the active account with this email, if there is one.

    The caller learns nothing either way; the mail goes out after commit, in a task.
    """
    email = (email or "").strip()
    if not email:
        return
    accounts = User.objects.filter(email__iexact=email, is_active=True)
    for pk, password in accounts.values_list("pk", "password"):
        # As Django's reset form: an account without a usable password gets no link.
        if is_password_usable(password):
            transaction.on_commit(partial(tasks.send_password_reset_email.delay, pk))


def _user_from_uid(uid: str) -> User | None:
    try:
        pk = force_str(urlsafe_base64_decode(uid))
        return User.objects.get(pk=int(pk))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> None:
    """Set a new password from a reset link. The link stops working once it is used.

    Django's token hashes the password and last login, so setting a password spends it.
    Refresh tokens, API tokens and sessions are revoked as on a password change.
    """
    user = _user_from_uid(uid or "")
    if user is None or not user.is_active or not default_token_generator.check_token(user, token):
        raise ValidationError(
            {
                "token": [
                    ValidationError("The reset link is invalid or has expired.", code="invalid")
                ]
            }
        )
    _password_set(user, new_password, "new_password")


def api_token_issue(*, user: User) -> Token:
    """The user's API token, created on first use (the same key `drf_create_token` gives)."""
    token, _ = Token.objects.get_or_create(user=user)
    return token


def api_token_revoke(*, user: User) -> None:
    Token.objects.filter(user=user).delete()


def session_revoke(*, session: OutstandingToken) -> None:
    """Revoke one signed-in device (an `OutstandingToken` of the caller)."""
    BlacklistedToken.objects.get_or_create(token=session)
