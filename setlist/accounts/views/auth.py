"""Sign-up, JWT pairs (obtain, rotate, verify, logout), sessions and API tokens."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from .. import selectors, services, tokens
from ..serializers import (
    ApiTokenSerializer,
    CredentialsSerializer,
    EmptySerializer,
    RefreshInputSerializer,
    RegisterSerializer,
    SessionSerializer,
    TokenPairSerializer,
    VerifyInputSerializer,
)
from .base import (
    NO_CONTENT,
    PASSWORD_ERROR_CODES,
    TOO_LARGE,
    UNAUTHORIZED,
    AccountAPIView,
    PublicAuthView,
    user_agent_of,
)


def credentials_check(request, serializer: CredentialsSerializer):
    """The user for valid credentials, or 401 with one answer for every kind of failure."""
    serializer.is_valid(raise_exception=True)
    user = services.user_authenticate(
        username=serializer.validated_data["username"],
        password=serializer.validated_data["password"],
        request=request,
    )
    if user is None:
        # The same answer whether the account exists or not.
        raise AuthenticationFailed("No active account found with the given credentials.")
    return user


@extend_schema(tags=["auth"])
@extend_validation_errors(["unique", "invalid"], field_name="username")
@extend_validation_errors(["unique"], field_name="email")
@extend_validation_errors(PASSWORD_ERROR_CODES, field_name="password")
class RegisterView(PublicAuthView):
    """Create an account. The password goes through Django's password validators."""

    throttle_scope = "register"

    @extend_schema(request=RegisterSerializer, responses={201: RegisterSerializer, **TOO_LARGE})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(**serializer.validated_data)
        return Response(RegisterSerializer(user).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["auth"])
class TokenObtainView(PublicAuthView):
    """Trade a username and password for an access and a refresh JWT."""

    throttle_scope = "login"

    @extend_schema(
        request=CredentialsSerializer,
        responses={200: TokenPairSerializer, **UNAUTHORIZED, **TOO_LARGE},
    )
    def post(self, request):
        user = credentials_check(request, CredentialsSerializer(data=request.data))
        pair = tokens.token_pair_issue(user=user, user_agent=user_agent_of(request))
        return Response(pair)


@extend_schema(tags=["auth"])
class TokenRefreshView(PublicAuthView):
    """Spend a refresh token for a new pair. The old refresh token is blacklisted."""

    @extend_schema(
        request=RefreshInputSerializer,
        responses={200: TokenPairSerializer, **UNAUTHORIZED, **TOO_LARGE},
    )
    def post(self, request):
        serializer = RefreshInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pair = tokens.token_pair_rotate(
            refresh=serializer.validated_data["refresh"], user_agent=user_agent_of(request)
        )
        return Response(pair)


@extend_schema(tags=["auth"])
class TokenVerifyView(PublicAuthView):
    """200 `{}` for a live token of either kind, 401 otherwise."""

    @extend_schema(
        request=VerifyInputSerializer, responses={200: EmptySerializer, **UNAUTHORIZED, **TOO_LARGE}
    )
    def post(self, request):
        serializer = VerifyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tokens.token_verify(token=serializer.validated_data["token"])
        return Response({})


@extend_schema(tags=["auth"])
class LogoutView(PublicAuthView):
    """Blacklist one refresh token. Access tokens already issued live out their minutes."""

    @extend_schema(
        request=RefreshInputSerializer, responses={**NO_CONTENT, **UNAUTHORIZED, **TOO_LARGE}
    )
    def post(self, request):
        serializer = RefreshInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tokens.refresh_token_revoke(refresh=serializer.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"])
class LogoutAllView(AccountAPIView):
    """Log out everywhere: blacklist every refresh token of the caller."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(request=None, responses={**NO_CONTENT, **TOO_LARGE})
    def post(self, request):
        services.tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"])
class SessionListView(generics.ListAPIView):
    """The caller's signed-in devices: live refresh tokens, newest first."""

    permission_classes = (IsAuthenticated,)
    serializer_class = SessionSerializer
    filter_backends = ()

    def get_queryset(self):
        return selectors.session_list(user=self.request.user)


@extend_schema(tags=["auth"])
class SessionDetailView(AccountAPIView):
    """Sign one device out. Another user's session, or a dead one, is 404."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={**NO_CONTENT, **TOO_LARGE})
    def delete(self, request, pk: int):
        session = get_object_or_404(selectors.session_list(user=request.user), pk=pk)
        services.session_revoke(session=session)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"])
class ApiTokenView(AccountAPIView):
    """A long-lived API key for scripts (`Authorization: Token <key>`).

    POST with a username and password returns the user's key (created on first use, the
    same key `manage.py drf_create_token` prints). DELETE, signed in, revokes it.
    """

    @property
    def throttle_scope(self) -> str:
        # Only the credential check is worth a login attempt.
        return "login" if self.request.method == "POST" else ""

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        request=CredentialsSerializer,
        responses={200: ApiTokenSerializer, **UNAUTHORIZED, **TOO_LARGE},
    )
    def post(self, request):
        user = credentials_check(request, CredentialsSerializer(data=request.data))
        return Response(ApiTokenSerializer(services.api_token_issue(user=user)).data)

    @extend_schema(request=None, responses={**NO_CONTENT, **TOO_LARGE})
    def delete(self, request):
        services.api_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
