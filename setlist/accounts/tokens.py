"""JWTs: issuing, rotating and revoking them, on top of simplejwt and its blacklist.

A refresh token is a row in simplejwt's `OutstandingToken` (plus the device it went to in
`RefreshTokenDevice`); it is revoked by a `BlacklistedToken` row. The blacklist's
one-to-one link to the outstanding token is what makes rotation race-free: two requests
rotating the same refresh token both try to insert that row and only one can.

Both kinds of token carry the claims `username` and `is_staff`, and simplejwt's
`hash_password` digest, so a password change revokes tokens issued before it.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken, Token, UntypedToken
from rest_framework_simplejwt.utils import datetime_from_epoch, get_md5_hash_password

from .models import RefreshTokenDevice, User

USER_AGENT_MAX_LENGTH = RefreshTokenDevice._meta.get_field("user_agent").max_length

__all__ = [
    "TokenError",
    "access_token_for",
    "refresh_token_revoke",
    "token_pair_issue",
    "token_pair_rotate",
    "token_verify",
    "tokens_revoke_all",
]


def _stamp(token: Token, user: User) -> Token:
    """Write who the token is for: id, password digest and Setlist's own claims."""
    token[api_settings.USER_ID_CLAIM] = str(getattr(user, api_settings.USER_ID_FIELD))
    if api_settings.CHECK_REVOKE_TOKEN:
        token[api_settings.REVOKE_TOKEN_CLAIM] = get_md5_hash_password(user.password)
    token["username"] = user.username
    token["is_staff"] = user.is_staff
    return token


def access_token_for(user: User, *, lifetime: datetime.timedelta | None = None) -> str:
    """An access JWT for `user`, valid for `lifetime` (default `ACCESS_TOKEN_LIFETIME`)."""
    token = _stamp(AccessToken(), user)
    if lifetime is not None:
        token.set_exp(lifetime=lifetime)
    return str(token)


def token_pair_issue(*, user: User, user_agent: str = "") -> dict[str, str]:
    """A fresh `{"access", "refresh"}` pair; the refresh token is recorded as a session."""
    refresh = _stamp(RefreshToken(), user)
    encoded = str(refresh)
    outstanding = OutstandingToken.objects.create(
        user=user,
        jti=refresh[api_settings.JTI_CLAIM],
        token=encoded,
        created_at=refresh.current_time,
        expires_at=datetime_from_epoch(refresh["exp"]),
    )
    RefreshTokenDevice.objects.create(
        token=outstanding, user_agent=(user_agent or "")[:USER_AGENT_MAX_LENGTH]
    )
    # simplejwt derives the access token from the refresh token, so both expire
    # relative to the same instant and carry the same claims.
    return {"access": str(refresh.access_token), "refresh": encoded}


def _outstanding_for(raw_refresh: str) -> OutstandingToken:
    """The live outstanding row of a signed, unexpired refresh token, locked for update.

    Raises `TokenError` for anything else: a bad signature, an expired or blacklisted
    token, a token this server never recorded, or one whose user is gone or inactive.
    """
    refresh = RefreshToken(raw_refresh)  # checks signature, expiry, type and blacklist
    outstanding = (
        OutstandingToken.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(jti=refresh[api_settings.JTI_CLAIM])
        .first()
    )
    if outstanding is None or outstanding.user is None:
        raise TokenError(_("Token is invalid"))
    user = outstanding.user
    if api_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
        raise TokenError(_("User is inactive"))
    if api_settings.CHECK_REVOKE_TOKEN and refresh.get(
        api_settings.REVOKE_TOKEN_CLAIM
    ) != get_md5_hash_password(user.password):
        raise TokenError(_("The user's password has been changed."))
    if BlacklistedToken.objects.filter(token=outstanding).exists():
        # Re-read under the row lock: a concurrent rotation may have just committed.
        raise TokenError(_("Token is blacklisted"))
    return outstanding


def _blacklist(outstanding: OutstandingToken) -> None:
    """Insert the blacklist row; losing the race for it means the token was already used."""
    try:
        with transaction.atomic():
            BlacklistedToken.objects.create(token=outstanding)
    except IntegrityError as exc:
        raise TokenError(_("Token is blacklisted")) from exc


@transaction.atomic
def token_pair_rotate(*, refresh: str, user_agent: str = "") -> dict[str, str]:
    """Spend a refresh token for a new pair. Of concurrent calls with one token, one wins.

    The claims are re-read from the user, so a changed username or staff flag shows up
    at the next refresh. Raises `TokenError` when the token cannot be used.
    """
    outstanding = _outstanding_for(refresh)
    _blacklist(outstanding)
    return token_pair_issue(user=outstanding.user, user_agent=user_agent)


@transaction.atomic
def refresh_token_revoke(*, refresh: str) -> User:
    """Blacklist one refresh token (logout) and return its user. Raises `TokenError`."""
    outstanding = _outstanding_for(refresh)
    _blacklist(outstanding)
    return outstanding.user


def tokens_revoke_all(*, user: User) -> int:
    """Blacklist every refresh token of `user` that is not yet blacklisted; return how many."""
    live = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    rows = [BlacklistedToken(token_id=token_id) for token_id in live.values_list("id", flat=True)]
    # A concurrent logout may blacklist one of these first; that is the same outcome.
    BlacklistedToken.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def token_verify(*, token: str) -> None:
    """Accept a live token of either kind; raise `TokenError` otherwise.

    Beyond signature and expiry: a blacklisted refresh token, a token whose user is gone
    or inactive, and a token issued before the user's last password change are refused.
    """
    untyped = UntypedToken(token)
    jti = untyped.get(api_settings.JTI_CLAIM)
    if jti and BlacklistedToken.objects.filter(token__jti=jti).exists():
        raise TokenError(_("Token is blacklisted"))
    try:
        user = User.objects.only("password", "is_active").get(
            **{api_settings.USER_ID_FIELD: untyped.get(api_settings.USER_ID_CLAIM)}
        )
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise TokenError(_("Token is invalid")) from exc
    if api_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
        raise TokenError(_("User is inactive"))
    if api_settings.CHECK_REVOKE_TOKEN and untyped.get(
        api_settings.REVOKE_TOKEN_CLAIM
    ) != get_md5_hash_password(user.password):
        raise TokenError(_("The user's password has been changed."))
