"""Public member profiles."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..serializers import PublicProfileSerializer


class PublicProfileView(APIView):
    """Anyone may read a member's public profile."""

    permission_classes = [AllowAny]

    @extend_schema(
        tags=["users"], summary="Public profile", responses={200: PublicProfileSerializer}
    )
    def get(self, request: Request, username: str) -> Response:
        try:
            profile = selectors.user_profile_get(viewer=request.user, username=username)
        except get_user_model().DoesNotExist as exc:
            raise NotFound("No member with that username.") from exc
        return Response(PublicProfileSerializer(profile).data)
