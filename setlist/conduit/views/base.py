"""What every Conduit view shares: authentication, errors, JSON only, schema tag."""

from datetime import timedelta

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from setlist.accounts.authentication import BearerJWTAuthentication, TokenOrJWTAuthentication
from setlist.accounts.models import User
from setlist.accounts.tokens import access_token_for
from setlist.core.renderers import ORJSONRenderer

from ..errors import conduit_exception_handler
from ..serializers import GenericErrorSerializer

SCHEMA_TAG = "Conduit"


class ConduitAutoSchema(AutoSchema):
    """Plain drf-spectacular schema (errors are documented per operation), one tag.

    Every operation that reads credentials may answer 401: a bad or expired token is
    refused even where signing in is optional (RealWorld's "optional auth" endpoints).
    Every throttled one (all of them) may answer 429.
    """

    def get_tags(self) -> list[str]:
        return [SCHEMA_TAG]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        if "401" not in responses and self.view.get_authenticators():
            responses["401"] = self._get_response_for_code(UNAUTHORIZED, "401")
        if "429" not in responses and self.view.get_throttles():
            responses["429"] = self._get_response_for_code(TOO_MANY_REQUESTS, "429")
        return responses


class ConduitView(APIView):
    """Base of the Conduit views.

    `Token` authentication comes first, so a 401 carries `WWW-Authenticate: Token`
    (RealWorld's scheme). `resource` names the key of 403 and 404 bodies.
    """

    authentication_classes = [TokenOrJWTAuthentication, BearerJWTAuthentication]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    renderer_classes = [ORJSONRenderer]
    schema = ConduitAutoSchema()
    resource = "resource"

    def get_exception_handler(self):
        return conduit_exception_handler


@extend_schema(exclude=True)
class UnknownPathView(ConduitView):
    """Every other path under `/conduit/api/`: a 404 in RealWorld's format, for any method."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        raise NotFound()


def conduit_token_for(user: User) -> str:
    """The JWT a RealWorld client keeps for its whole session (`CONDUIT_TOKEN_HOURS`)."""
    hours = getattr(settings, "CONDUIT_TOKEN_HOURS", 24)
    return access_token_for(user, lifetime=timedelta(hours=hours))


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(GenericErrorSerializer, description=description)


UNAUTHORIZED = _error('Missing or invalid token: `{"errors": {"token": ["is missing"]}}`.')
TOO_MANY_REQUESTS = _error(
    'Rate limited: `{"errors": {"request": ["too many requests"]}}`; `Retry-After` says when '
    "to try again."
)

FORBIDDEN = _error('Someone else\'s resource: `{"errors": {"<resource>": ["forbidden"]}}`.')
NOT_FOUND = _error('Unknown resource: `{"errors": {"<resource>": ["not found"]}}`.')
CONFLICT = _error('Already taken: `{"errors": {"<field>": ["has already been taken"]}}`.')
INVALID = _error('Invalid input: `{"errors": {"<field>": ["can\'t be blank"]}}`.')

SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The article's slug.")
USERNAME = OpenApiParameter("username", str, OpenApiParameter.PATH, description="A username.")
