"""Registration, login and the current user, over the accounts services.

The token handed out is a Setlist access JWT (the one `/api/v1/` accepts too) that lives
`CONDUIT_TOKEN_HOURS`, since RealWorld clients keep one token for a whole session and
have no refresh flow.
"""

from django.contrib.auth.password_validation import MinimumLengthValidator
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response

from setlist.accounts import services as accounts

from ..errors import invalid_credentials
from ..serializers import (
    LoginRequestSerializer,
    NewUserRequestSerializer,
    UpdateUserRequestSerializer,
    UserEnvelopeSerializer,
    UserSerializer,
)
from .base import CONFLICT, INVALID, UNAUTHORIZED, ConduitView, conduit_token_for

# The RealWorld specification's only password rule. Its clients and conformance suite use
# passwords such as "password123" that Django's full validators refuse; the native API
# (`/api/v1/auth/register/`) keeps all of them.
REALWORLD_PASSWORD_RULES = [MinimumLengthValidator(min_length=8)]


def _user_body(user, token: str) -> dict:
    return {"user": UserSerializer(user, context={"token": token}).data}


def _presented_token(request: Request) -> str:
    """The credential this request was authenticated with (`Token <credential>`)."""
    return request.headers.get("Authorization", "").split(" ", 1)[-1].strip()


class RegisterView(ConduitView):
    # Credentials are not needed here: a stale token in the client must not block sign-up.
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "conduit_register"

    @extend_schema(
        operation_id="CreateUser",
        summary="Register a new user",
        request=NewUserRequestSerializer,
        responses={201: UserEnvelopeSerializer, 409: CONFLICT, 422: INVALID},
    )
    def post(self, request: Request) -> Response:
        """Register a new user."""
        body = NewUserRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = body.validated_data["user"]
        user = accounts.user_create(
            username=fields["username"],
            email=fields["email"],
            password=fields["password"],
            bio=fields.get("bio"),
            image=fields.get("image"),
            password_validators=REALWORLD_PASSWORD_RULES,
        )
        return Response(_user_body(user, conduit_token_for(user)), status=status.HTTP_201_CREATED)


class LoginView(ConduitView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "login"

    @extend_schema(
        operation_id="Login",
        summary="Existing user login",
        request=LoginRequestSerializer,
        responses={200: UserEnvelopeSerializer, 401: UNAUTHORIZED, 422: INVALID},
    )
    def post(self, request: Request) -> Response:
        """Log in with email and password."""
        body = LoginRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        credentials = body.validated_data["user"]
        user = accounts.user_authenticate(
            email=credentials["email"], password=credentials["password"], request=request
        )
        if user is None:
            raise invalid_credentials()
        return Response(_user_body(user, conduit_token_for(user)))


class CurrentUserView(ConduitView):
    resource = "user"
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="GetCurrentUser",
        summary="Get current user",
        responses={200: UserEnvelopeSerializer, 401: UNAUTHORIZED},
    )
    def get(self, request: Request) -> Response:
        """The logged-in user."""
        return Response(_user_body(request.user, _presented_token(request)))

    @extend_schema(
        operation_id="UpdateCurrentUser",
        summary="Update current user",
        request=UpdateUserRequestSerializer,
        responses={200: UserEnvelopeSerializer, 401: UNAUTHORIZED, 409: CONFLICT, 422: INVALID},
    )
    def put(self, request: Request) -> Response:
        """Update the logged-in user. `""` for `bio` or `image` clears it."""
        body = UpdateUserRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = accounts.user_update(
            user=request.user,
            data=body.validated_data["user"],
            password_validators=REALWORLD_PASSWORD_RULES,
        )
        # A new token: a changed password revokes the one this request came with.
        return Response(_user_body(user, conduit_token_for(user)))
