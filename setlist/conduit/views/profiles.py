"""Profiles and follows."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response

from setlist.accounts.models import User
from setlist.journal import selectors, services

from ..errors import not_found
from ..serializers import ProfileEnvelopeSerializer, ProfileSerializer
from .base import INVALID, NOT_FOUND, UNAUTHORIZED, USERNAME, ConduitView


def _profile(username: str, viewer) -> dict:
    try:
        user = selectors.profile_detail(username=username, viewer=viewer)
    except User.DoesNotExist as exc:
        raise not_found("profile") from exc
    return {"profile": ProfileSerializer(user).data}


def _user_or_404(username: str) -> User:
    try:
        return User.objects.only("pk").get(username__iexact=username)
    except User.DoesNotExist as exc:
        raise not_found("profile") from exc


class ProfileView(ConduitView):
    resource = "profile"

    @extend_schema(
        operation_id="GetProfileByUsername",
        summary="Get a profile",
        parameters=[USERNAME],
        responses={200: ProfileEnvelopeSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND},
    )
    def get(self, request: Request, username: str) -> Response:
        """A member's profile. Auth optional."""
        return Response(_profile(username, request.user))


class FollowView(ConduitView):
    resource = "profile"
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="FollowUserByUsername",
        summary="Follow a user",
        parameters=[USERNAME],
        request=None,
        responses={
            200: ProfileEnvelopeSerializer,
            401: UNAUTHORIZED,
            404: NOT_FOUND,
            422: INVALID,
        },
    )
    def post(self, request: Request, username: str) -> Response:
        """Follow a member (idempotent)."""
        services.follow_add(follower=request.user, followee=_user_or_404(username))
        return Response(_profile(username, request.user))

    @extend_schema(
        operation_id="UnfollowUserByUsername",
        summary="Unfollow a user",
        parameters=[USERNAME],
        responses={200: ProfileEnvelopeSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND},
    )
    def delete(self, request: Request, username: str) -> Response:
        """Unfollow a member (idempotent)."""
        services.follow_remove(follower=request.user, followee=_user_or_404(username))
        return Response(_profile(username, request.user))
