"""JWTs in HttpOnly cookies, for browser front ends that should never hold a token.

The access cookie goes with every request (path `/`); the refresh cookie only to the
cookie endpoints, so it is never sent anywhere it is not needed. Both are HttpOnly,
`Secure` per `JWT_COOKIE_SECURE` and `SameSite` per `JWT_COOKIE_SAMESITE`. Requests
authenticated by cookie need the CSRF header on unsafe methods (`CookieJWTAuthentication`),
and so do refresh and logout here; login sets a fresh CSRF cookie for that.
"""

import contextlib
import posixpath

from django.conf import settings
from django.middleware.csrf import rotate_token
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.response import Response
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from .. import tokens
from ..authentication import CookieJWTAuthentication
from ..serializers import CredentialsSerializer
from .auth import credentials_check
from .base import FORBIDDEN, NO_CONTENT, TOO_LARGE, UNAUTHORIZED, PublicAuthView, user_agent_of


def refresh_cookie_path() -> str:
    """The URL prefix the cookie endpoints share: the only place the refresh cookie goes."""
    paths = [reverse(f"accounts:cookie-{name}") for name in ("login", "refresh", "logout")]
    return posixpath.commonpath(paths).rstrip("/") + "/"


def _cookie_options() -> dict:
    return {
        "httponly": True,
        "secure": settings.JWT_COOKIE_SECURE,
        "samesite": settings.JWT_COOKIE_SAMESITE,
    }


def set_auth_cookies(response: Response, pair: dict[str, str]) -> None:
    response.set_cookie(
        settings.JWT_COOKIE_ACCESS_NAME,
        pair["access"],
        max_age=int(jwt_settings.ACCESS_TOKEN_LIFETIME.total_seconds()),
        path="/",
        **_cookie_options(),
    )
    response.set_cookie(
        settings.JWT_COOKIE_REFRESH_NAME,
        pair["refresh"],
        max_age=int(jwt_settings.REFRESH_TOKEN_LIFETIME.total_seconds()),
        path=refresh_cookie_path(),
        **_cookie_options(),
    )


def clear_auth_cookies(response: Response) -> None:
    samesite = settings.JWT_COOKIE_SAMESITE
    response.delete_cookie(settings.JWT_COOKIE_ACCESS_NAME, path="/", samesite=samesite)
    response.delete_cookie(
        settings.JWT_COOKIE_REFRESH_NAME, path=refresh_cookie_path(), samesite=samesite
    )


@extend_schema(tags=["auth"])
class CookieLoginView(PublicAuthView):
    """Sign in with a username and password; the tokens come back as cookies only."""

    throttle_scope = "login"

    @extend_schema(
        request=CredentialsSerializer, responses={**NO_CONTENT, **UNAUTHORIZED, **TOO_LARGE}
    )
    def post(self, request):
        user = credentials_check(request, CredentialsSerializer(data=request.data))
        pair = tokens.token_pair_issue(user=user, user_agent=user_agent_of(request))
        # A new CSRF secret at sign-in, as Django's own login does (no fixation).
        rotate_token(request._request)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        set_auth_cookies(response, pair)
        return response


@extend_schema(tags=["auth"])
class CookieRefreshView(PublicAuthView):
    """Rotate the cookies with the refresh cookie. A dead refresh cookie is cleared (401)."""

    @extend_schema(request=None, responses={**NO_CONTENT, **UNAUTHORIZED, **FORBIDDEN, **TOO_LARGE})
    def post(self, request):
        raw = request.COOKIES.get(settings.JWT_COOKIE_REFRESH_NAME)
        if not raw:
            raise NotAuthenticated("No refresh cookie.")
        CookieJWTAuthentication.enforce_csrf(request)
        try:
            pair = tokens.token_pair_rotate(refresh=raw, user_agent=user_agent_of(request))
        except TokenError as exc:
            response = self.handle_exception(exc)
            clear_auth_cookies(response)
            return response
        response = Response(status=status.HTTP_204_NO_CONTENT)
        set_auth_cookies(response, pair)
        return response


@extend_schema(tags=["auth"])
class CookieLogoutView(PublicAuthView):
    """Blacklist the refresh cookie and clear both cookies. Always 204 once CSRF passes."""

    @extend_schema(request=None, responses={**NO_CONTENT, **FORBIDDEN, **TOO_LARGE})
    def post(self, request):
        raw = request.COOKIES.get(settings.JWT_COOKIE_REFRESH_NAME)
        if raw:
            CookieJWTAuthentication.enforce_csrf(request)
            # A refresh token that is already dead needs no revoking: logged out either way.
            with contextlib.suppress(TokenError):
                tokens.refresh_token_revoke(refresh=raw)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        clear_auth_cookies(response)
        return response
