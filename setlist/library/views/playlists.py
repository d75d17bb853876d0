"""Playlists: CRUD with privacy, ordered entries, optimistic concurrency, M3U export.

Privacy: someone else's private playlist is 404 for every route and method (its existence
is not revealed); someone else's public playlist can be read, and writing to it is 403.
Anonymous writes are 401 before anything is looked up.

Every write honours `If-Match: "<version>"` (412 when stale), and every answer that shows
a playlist state carries `ETag: "<version>"` for the next `If-Match`.
"""

from django.utils.http import content_disposition_header, parse_etags, quote_etag
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from setlist.core.exceptions import PreconditionFailed
from setlist.core.renderers import ORJSONRenderer

from .. import selectors, services
from ..m3u import M3URenderer, playlist_m3u
from ..models import Playlist, PlaylistEntry
from ..serializers import (
    PlaylistEntrySerializer,
    PlaylistSerializer,
    PlaylistSongAddSerializer,
    PlaylistSongMoveSerializer,
    PlaylistWriteSerializer,
)
from .cards import SongCardsMixin

TAGS = ["library: playlists"]
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description='The playlist version the edit is based on, e.g. `"3"`; stale gets 412.',
)


def if_match_versions(request: Request) -> frozenset[int] | None:
    """Versions named by `If-Match`, or None when there is no precondition (absent or `*`).

    Only strong tags holding a version match (RFC 9110 compares strongly); anything else
    yields an empty set, which no version matches.
    """
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = parse_etags(header)
    if tags == ["*"]:
        return None
    inner = (tag[1:-1] for tag in tags if not tag.startswith("W/"))
    return frozenset(int(value) for value in inner if value.isascii() and value.isdigit())


def with_etag(response: Response, playlist: Playlist) -> Response:
    response["ETag"] = quote_etag(str(playlist.version))
    return response


class PlaylistAccessMixin(SongCardsMixin):
    """Finds the playlist in the URL as the caller may see it, and guards writes."""

    def get_playlist(self, *, write: bool = False) -> Playlist:
        user = self.request.user
        try:
            playlist = selectors.playlist_get(viewer=user, playlist_id=self.kwargs["playlist_id"])
        except Playlist.DoesNotExist as exc:
            raise NotFound("No such playlist.") from exc
        if write and playlist.owner_id != user.pk:
            raise PermissionDenied("Only the owner can change this playlist.")
        return playlist

    def get_object(self) -> Playlist:
        """The playlist as a write sees it. DRF's OPTIONS metadata asks for it to decide
        whether to describe PUT; without it, GenericAPIView's default (no queryset) is a 500."""
        return self.get_playlist(write=True)

    def edit(self, service, **kwargs):
        """Run a playlist service with the request's `If-Match`, mapping a stale version
        to 412 and a playlist deleted since it was looked up to 404."""
        try:
            return service(expected_versions=if_match_versions(self.request), **kwargs)
        except Playlist.DoesNotExist as exc:
            raise NotFound("No such playlist.") from exc
        except services.PlaylistChanged as exc:
            raise PreconditionFailed(
                f"The playlist has changed (now version {exc.current_version})."
            ) from exc

    def entry_response(self, entry: PlaylistEntry, status_code: int) -> Response:
        response = Response(self.row_with_song(PlaylistEntrySerializer, entry), status=status_code)
        return with_etag(response, entry.playlist)

    def detail_response(self, playlist_id: int, status_code: int = status.HTTP_200_OK):
        playlist = selectors.playlist_get(viewer=self.request.user, playlist_id=playlist_id)
        return with_etag(Response(PlaylistSerializer(playlist).data, status=status_code), playlist)


class PlaylistListView(PlaylistAccessMixin, generics.GenericAPIView):
    serializer_class = PlaylistSerializer
    filter_backends = []

    @extend_schema(
        tags=TAGS,
        summary="The caller's playlists and public ones",
        operation_id="playlists_list",
        responses={200: PlaylistSerializer(many=True)},
        parameters=[
            OpenApiParameter(
                "owner", str, description='Only this member\'s playlists; "me" for your own.'
            )
        ],
    )
    def get(self, request: Request) -> Response:
        owner = request.query_params.get("owner") or None
        if owner == "me" and not request.user.is_authenticated:
            raise NotAuthenticated()
        page = self.paginate_queryset(selectors.playlist_list(viewer=request.user, owner=owner))
        return self.get_paginated_response(PlaylistSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Create a playlist",
        request=PlaylistWriteSerializer,
        responses={201: PlaylistSerializer},
    )
    def post(self, request: Request) -> Response:
        data = PlaylistWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        playlist = services.playlist_create(owner=request.user, **data.validated_data)
        return self.detail_response(playlist.pk, status.HTTP_201_CREATED)


class PlaylistDetailView(PlaylistAccessMixin, generics.GenericAPIView):
    serializer_class = PlaylistSerializer

    @extend_schema(tags=TAGS, summary="A playlist")
    def get(self, request: Request, playlist_id: int) -> Response:
        playlist = self.get_playlist()
        return with_etag(Response(PlaylistSerializer(playlist).data), playlist)

    @extend_schema(
        tags=TAGS,
        summary="Replace a playlist's details",
        parameters=[IF_MATCH],
        request=PlaylistWriteSerializer,
        responses={200: PlaylistSerializer},
    )
    def put(self, request: Request, playlist_id: int) -> Response:
        return self._update(partial=False)

    @extend_schema(
        tags=TAGS,
        summary="Change a playlist's details",
        parameters=[IF_MATCH],
        request=PlaylistWriteSerializer,
        responses={200: PlaylistSerializer},
    )
    def patch(self, request: Request, playlist_id: int) -> Response:
        return self._update(partial=True)

    @extend_schema(
        tags=TAGS, summary="Delete a playlist", parameters=[IF_MATCH], responses={204: None}
    )
    def delete(self, request: Request, playlist_id: int) -> Response:
        self.edit(services.playlist_delete, playlist=self.get_playlist(write=True))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, *, partial: bool) -> Response:
        playlist = self.get_playlist(write=True)
        data = PlaylistWriteSerializer(data=self.request.data, partial=partial)
        data.is_valid(raise_exception=True)
        self.edit(services.playlist_update, playlist=playlist, **data.validated_data)
        return self.detail_response(playlist.pk)


class PlaylistSongsView(PlaylistAccessMixin, generics.GenericAPIView):
    serializer_class = PlaylistEntrySerializer
    filter_backends = []

    @extend_schema(
        tags=TAGS,
        summary="A playlist's songs, in order",
        responses={200: PlaylistEntrySerializer(many=True)},
    )
    def get(self, request: Request, playlist_id: int) -> Response:
        playlist = self.get_playlist()
        entries = selectors.playlist_entry_list(viewer=request.user, playlist=playlist)
        page = self.paginate_queryset(entries)
        response = self.get_paginated_response(self.rows_with_songs(PlaylistEntrySerializer, page))
        return with_etag(response, playlist)

    @extend_schema(
        tags=TAGS,
        summary="Add a song (append, or insert at `position`)",
        parameters=[IF_MATCH],
        request=PlaylistSongAddSerializer,
        responses={201: PlaylistEntrySerializer},
    )
    def post(self, request: Request, playlist_id: int) -> Response:
        playlist = self.get_playlist(write=True)
        data = PlaylistSongAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = self.edit(
            services.playlist_song_add, playlist=playlist, user=request.user, **data.validated_data
        )
        return self.entry_response(entry, status.HTTP_201_CREATED)


class PlaylistSongRemoveView(PlaylistAccessMixin, generics.GenericAPIView):
    serializer_class = PlaylistEntrySerializer

    @extend_schema(
        tags=TAGS,
        summary="Remove the song at a position",
        parameters=[IF_MATCH],
        responses={204: None},
    )
    def delete(self, request: Request, playlist_id: int, position: int) -> Response:
        playlist = self.get_playlist(write=True)
        try:
            self.edit(
                services.playlist_song_remove,
                playlist=playlist,
                user=request.user,
                position=position,
            )
        except PlaylistEntry.DoesNotExist as exc:
            raise NotFound(f"No song at position {position}.") from exc
        playlist.refresh_from_db(fields=["version"])
        return with_etag(Response(status=status.HTTP_204_NO_CONTENT), playlist)


class PlaylistSongMoveView(PlaylistAccessMixin, generics.GenericAPIView):
    serializer_class = PlaylistEntrySerializer

    @extend_schema(
        tags=TAGS,
        summary="Move a song to another position",
        parameters=[IF_MATCH],
        request=PlaylistSongMoveSerializer,
        responses={200: PlaylistEntrySerializer},
    )
    def post(self, request: Request, playlist_id: int) -> Response:
        playlist = self.get_playlist(write=True)
        data = PlaylistSongMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = self.edit(
            services.playlist_song_move, playlist=playlist, user=request.user, **data.validated_data
        )
        return self.entry_response(entry, status.HTTP_200_OK)


class PlaylistExportView(PlaylistAccessMixin, generics.GenericAPIView):
    """The playlist as extended M3U; each track's location is its API URL."""

    renderer_classes = [M3URenderer, ORJSONRenderer]

    @extend_schema(
        tags=TAGS,
        summary="Export as M3U",
        operation_id="playlists_export_m3u",
        responses={200: OpenApiTypes.STR},
    )
    def get(self, request: Request, playlist_id: int) -> Response:
        playlist = self.get_playlist()
        text = playlist_m3u(
            name=playlist.name,
            entries=selectors.playlist_export_entries(viewer=request.user, playlist=playlist),
            location=lambda song_id: request.build_absolute_uri(f"/api/v1/songs/{song_id}/"),
        )
        headers = {
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=f"playlist-{playlist.pk}.m3u"
            )
        }
        return Response(text, headers=headers)

    def handle_exception(self, exc: Exception) -> Response:
        # Errors keep the API's JSON error shape and content type, whatever was negotiated.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = ORJSONRenderer()
        self.request.accepted_media_type = ORJSONRenderer.media_type
        return response
