"""What every account view shares: how service and token errors become API errors."""

from drf_spectacular.utils import OpenApiResponse
from drf_standardized_errors.openapi_serializers import (
    ErrorResponse401Serializer,
    ErrorResponse403Serializer,
    ValidationErrorResponseSerializer,
)
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import AUTH_HEADER_TYPES
from rest_framework_simplejwt.exceptions import TokenError

from setlist.core.openapi import ErrorResponse413Serializer

# Error responses the schema cannot infer: views without authenticators still answer 401
# for bad credentials, cookie views 403 for a missing CSRF header, DELETE bodies 400, and
# any body over the limit 413.
UNAUTHORIZED = {401: ErrorResponse401Serializer}
TOO_LARGE = {413: ErrorResponse413Serializer}
FORBIDDEN = {403: ErrorResponse403Serializer}
INVALID = {400: ValidationErrorResponseSerializer}
NO_CONTENT = {204: OpenApiResponse(description="Done; no body.")}

# Codes the services add to the serializers' own (see `services.py`), for the schema.
PASSWORD_ERROR_CODES = [
    "password_too_short",
    "password_too_common",
    "password_entirely_numeric",
    "password_too_similar",
]


def user_agent_of(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")


class AccountAPIView(APIView):
    """Maps simplejwt's `TokenError` to 401 (`authentication_failed`, the reason in the
    detail). Django `ValidationError`s from the services become 400s in the project's
    exception handler, like everywhere else. Bodies are JSON only, as everywhere (see
    DEFAULT_PARSER_CLASSES): a form's empty field would silently keep the old email.
    """

    def handle_exception(self, exc):
        if isinstance(exc, TokenError):
            detail = str(exc.args[0]) if exc.args else "Token is invalid or expired."
            exc = AuthenticationFailed(detail)
        return super().handle_exception(exc)


class PublicAuthView(AccountAPIView):
    """An endpoint that takes credentials in its body, so it reads no Authorization header.

    A stale token in the header must not keep anyone from signing in. Failed credentials
    are still 401 with a `WWW-Authenticate` challenge, which DRF would otherwise turn into
    403 for a view without authenticators.
    """

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def get_authenticate_header(self, request) -> str:
        return f'{AUTH_HEADER_TYPES[0]} realm="api"'
