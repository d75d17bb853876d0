"""Plays, listening history and listening statistics."""

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from setlist.core.pagination import CursorPagination
from setlist.core.throttling import RideAlongRateLimitsMixin, take_deferred

from .. import selectors, services
from ..serializers import (
    HistoryEntrySerializer,
    PlaySerializer,
    StatsQuerySerializer,
    StatsSerializer,
)
from ..stats import NEWEST_PLAY, listening_stats
from .cards import SongRowsListMixin

TAGS = ["library: listening"]


class PlayCreateView(APIView):
    """Record one play of a song, signed in or anonymous; counts one stream."""

    permission_classes = [AllowAny]
    throttle_scope = "plays"

    @extend_schema(
        tags=TAGS, summary="Record a play", request=None, responses={201: PlaySerializer}
    )
    def post(self, request: Request, song_id: int) -> Response:
        try:  # the service finds the song only if the caller may see it
            play = services.play_record(song_id=song_id, user=request.user)
        except services.SongGone as exc:
            raise Http404 from exc
        return Response(PlaySerializer(play).data, status=status.HTTP_201_CREATED)


class HistoryCursorPagination(CursorPagination):
    ordering = ("-played_at", "-id")


@extend_schema_view(get=extend_schema(tags=TAGS, summary="The caller's plays, newest first"))
class HistoryView(SongRowsListMixin, generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = HistoryEntrySerializer
    pagination_class = HistoryCursorPagination
    filter_backends = []

    def get_queryset(self) -> QuerySet:
        return selectors.play_history(user=self.request.user)


class StatsView(RideAlongRateLimitsMixin, APIView):
    """The caller's play count, listening time and top songs, artists and genres.

    `period` is a rolling window ending now: week (7 days), month (30), year (365) or all.
    """

    permission_classes = [IsAuthenticated]
    # RideAlongRateLimitsMixin: the rate limits are counted in the round trip that reads
    # the kept statistics (`take_deferred` below).

    def caller_question(self):
        """A signed-in caller's row also names their newest play (the statistics' key)."""
        return (NEWEST_PLAY, None) if self.request.method in ("GET", "HEAD") else None

    @extend_schema(
        tags=TAGS,
        summary="Listening statistics",
        parameters=[StatsQuerySerializer],
        responses={200: StatsSerializer},
    )
    def get(self, request: Request) -> Response:
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        stats = listening_stats(
            user=request.user,
            period=query.validated_data["period"],
            rate_limits=take_deferred(request),
        )
        return Response(StatsSerializer(stats).data)
