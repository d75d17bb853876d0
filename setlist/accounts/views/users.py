"""The caller's own account: profile, password, deletion, and the password reset flow."""

from django.contrib.auth import update_session_auth_hash
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .. import selectors, services
from ..serializers import (
    CurrentPasswordSerializer,
    DetailSerializer,
    MeSerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSerializer,
)
from .base import (
    NO_CONTENT,
    PASSWORD_ERROR_CODES,
    TOO_LARGE,
    AccountAPIView,
    PublicAuthView,
)

RESET_MAIL_ANSWER = (
    "If an active account uses that email address, a link to reset its password is on its way."
)


@extend_schema(tags=["users"])
@extend_validation_errors(["unique"], field_name="email", methods=["patch"])
# DELETE reads a body too (the current password): its 400s are validation errors as well
# as parse errors.
@extend_validation_errors(
    ["required", "null", "blank", "invalid", "max_length", "null_characters_not_allowed"],
    field_name="current_password",
    methods=["delete"],
)
@extend_validation_errors(["invalid", "null"], field_name="non_field_errors", methods=["delete"])
class MeView(AccountAPIView):
    """The caller's account. `username`, `is_staff`, `groups` and `date_joined` are
    read-only: values sent for them are ignored.

    DELETE removes the account for good, after the current password is confirmed. The
    member's likes, plays and playlists are deleted with it, and so are their journal
    posts (and the comments and favourites on them): nothing stays attributed to a
    member who asked to leave. Apps correct their counters through `user_deleting`.
    """

    permission_classes = (IsAuthenticated,)
    http_method_names = ("get", "patch", "delete", "head", "options")

    @property
    def throttle_scope(self) -> str:
        # DELETE checks the password: limited like any other password guess.
        return "login" if self.request.method == "DELETE" else ""

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(selectors.user_me(user=request.user)).data)

    @extend_schema(request=MeSerializer, responses={200: MeSerializer, **TOO_LARGE})
    def patch(self, request):
        serializer = MeSerializer(instance=request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, data=serializer.validated_data)
        return Response(MeSerializer(selectors.user_me(user=user)).data)

    @extend_schema(request=CurrentPasswordSerializer, responses={**NO_CONTENT, **TOO_LARGE})
    def delete(self, request):
        serializer = CurrentPasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_delete(
            user=request.user, current_password=serializer.validated_data["current_password"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["users"])
@extend_validation_errors(["invalid"], field_name="current_password")
@extend_validation_errors(PASSWORD_ERROR_CODES, field_name="new_password")
class PasswordChangeView(AccountAPIView):
    """Change the password. Every refresh token, API token, access token issued before
    and other session stops working; a session that made the change stays signed in."""

    permission_classes = (IsAuthenticated,)
    throttle_scope = "login"  # it checks the current password: no guessing at leisure

    @extend_schema(request=PasswordChangeSerializer, responses={**NO_CONTENT, **TOO_LARGE})
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_password_change(user=request.user, **serializer.validated_data)
        if isinstance(request.successful_authenticator, SessionAuthentication):
            update_session_auth_hash(request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"])
class PasswordResetView(PublicAuthView):
    """Ask for a reset link by mail. The answer never says whether the address is known."""

    throttle_scope = "password_reset"

    @extend_schema(request=PasswordResetSerializer, responses={202: DetailSerializer, **TOO_LARGE})
    def post(self, request):
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(email=serializer.validated_data["email"])
        return Response({"detail": RESET_MAIL_ANSWER}, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["auth"])
@extend_validation_errors(["invalid"], field_name="token")
@extend_validation_errors(PASSWORD_ERROR_CODES, field_name="new_password")
class PasswordResetConfirmView(PublicAuthView):
    """Set a new password with the `uid` and `token` from the mailed link (usable once)."""

    # Guessing tokens is hopeless, but each attempt still costs a password validation.
    throttle_scope = "login"

    @extend_schema(request=PasswordResetConfirmSerializer, responses={**NO_CONTENT, **TOO_LARGE})
    def post(self, request):
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_confirm(**serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)
