"""How callers prove who they are, tried in the order API.md gives.

1. `Authorization: Bearer <access JWT>`
2. `Authorization: Token <key>`: a DRF API token, or a Setlist access JWT (the RealWorld
   scheme). The two are told apart by shape: a JWT has three dot-separated parts.
3. The access JWT in an HttpOnly cookie; unsafe methods then need the CSRF header.
4. The Django session (admin, browsable API), from the settings.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication as SimpleJWTAuthentication
from rest_framework_simplejwt.exceptions import DetailDictMixin, InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from .models import User
from .selectors import CallerQuestion, user_by_id

MAX_ID = 2**63 - 1


def plain_authentication_failed(exc: exceptions.AuthenticationFailed):
    """The same failure with DRF's code (`authentication_failed`): every 401 of the API has
    one of the two documented codes. simplejwt's own codes (`bad_authorization_header`,
    `token_not_valid`, ...) stay out of the answer; its message stays in. Its dict details
    (`{"detail", "code", "messages"}`) would also be split by the error format into one
    error per key."""
    detail = exc.detail
    if isinstance(exc, DetailDictMixin) and isinstance(detail, dict):
        detail = detail.get("detail")
    return exceptions.AuthenticationFailed(str(detail))


def caller_question(request: Request) -> tuple[CallerQuestion, int | None] | None:
    """The question the view serving `request` asks with its caller's row, if any: its
    `caller_question()`, a `CallerQuestion` and the id it is about (see `selectors.py`)."""
    view = (getattr(request, "parser_context", None) or {}).get("view")
    ask = getattr(view, "caller_question", None)
    return ask() if ask is not None else None


class JWTAuthentication(SimpleJWTAuthentication):
    """simplejwt's JWT checks, with the token's user read by `user_by_id`: every signed-in
    request makes this read, and through the ORM it cost four times its SQL. The read
    also answers the view's question about its caller, if it has one."""

    question: tuple[CallerQuestion, int | None] | None = None

    def authenticate(self, request: Request):
        self.question = caller_question(request)
        return super().authenticate(request)

    def get_user(self, validated_token):
        try:
            claimed = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError as exc:
            raise InvalidToken(_("Token contained no recognizable user identification")) from exc
        try:
            pk = User._meta.pk.to_python(claimed)
        except ValidationError:
            pk = None
        user = user_by_id(pk, self.question) if isinstance(pk, int) and 0 < pk <= MAX_ID else None
        if user is None:
            raise exceptions.AuthenticationFailed(_("User not found"))
        if api_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise exceptions.AuthenticationFailed(_("User is inactive"))
        if api_settings.CHECK_REVOKE_TOKEN and validated_token.get(
            api_settings.REVOKE_TOKEN_CLAIM
        ) != get_md5_hash_password(user.password):
            raise exceptions.AuthenticationFailed(_("The user's password has been changed."))
        return user


class BearerJWTAuthentication(JWTAuthentication):
    """simplejwt's Bearer scheme. Its `WWW-Authenticate` makes unauthenticated calls 401."""

    def authenticate(self, request: Request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed as exc:
            raise plain_authentication_failed(exc) from exc


def looks_like_jwt(credential: str) -> bool:
    return credential.count(".") == 2


class TokenOrJWTAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <credential>`, where the credential is an API key or a JWT."""

    keyword = "Token"
    question: tuple[CallerQuestion, int | None] | None = None

    def authenticate(self, request: Request):
        self.question = caller_question(request)
        return super().authenticate(request)

    def authenticate_credentials(self, key: str):
        if looks_like_jwt(key):
            jwt = JWTAuthentication()
            jwt.question = self.question
            try:
                validated = jwt.get_validated_token(key.encode())
                return jwt.get_user(validated), validated
            except (InvalidToken, TokenError) as exc:
                raise exceptions.AuthenticationFailed("Invalid or expired token.") from exc
            except exceptions.AuthenticationFailed as exc:
                raise plain_authentication_failed(exc) from exc
        return super().authenticate_credentials(key)


class _CSRFCheck(authentication.CSRFCheck):
    def _reject(self, request, reason):
        return reason


class CookieJWTAuthentication(JWTAuthentication):
    """The access JWT from the HttpOnly cookie set by cookie login.

    Browsers send cookies on their own, so unsafe methods must also carry the CSRF token,
    exactly as with session authentication.
    """

    def authenticate(self, request: Request):
        raw = request.COOKIES.get(settings.JWT_COOKIE_ACCESS_NAME)
        if not raw:
            return None
        self.question = caller_question(request)
        try:
            validated = self.get_validated_token(raw.encode())
        except InvalidToken:
            # A stale cookie must not lock the caller out of anonymous endpoints.
            return None
        try:
            user = self.get_user(validated)
        except exceptions.AuthenticationFailed as exc:
            raise plain_authentication_failed(exc) from exc
        self.enforce_csrf(request)
        return user, validated

    @staticmethod
    def enforce_csrf(request: Request) -> None:
        check = _CSRFCheck(lambda req: None)
        check.process_request(request)
        reason = check.process_view(request, None, (), {})
        if reason:
            raise exceptions.PermissionDenied(f"CSRF Failed: {reason}")
