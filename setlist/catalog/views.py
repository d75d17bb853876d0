"""Catalog HTTP API: genres, artists, albums, songs and search (API.md, "Catalog").

Thin views: the permission class says who may call, a serializer validates the input, a
service writes and a selector reads. Reads go through `ConditionalReadMixin` (ETag, 304,
shared cache; listeners' own `liked` flags on top).
"""

import abc

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from setlist.core.exceptions import Conflict

from . import personal, selectors, serializers, services
from .caching import CONTENT, LIKES, PLAYS, SONGS, song_scope
from .conditional import ConditionalListRetrieveMixin, ConditionalReadMixin
from .filters import AlbumFilter, ArtistFilter, SongFilter
from .models import Album, Song
from .pagination import KeysetCursorPagination
from .permissions import CanPublishAlbums, CatalogModelPermission

TAGS = ["catalog"]
ID_PATTERN = r"[0-9]{1,18}"  # anything longer cannot be an id (and would overflow drivers)


def _write_schema(write, read, *, cascade: bool = False) -> dict:
    """Schema of create/update/partial_update/destroy for a catalog viewset."""
    destroy = {"parameters": [serializers.CascadeQuerySerializer]} if cascade else {}
    conflict = OpenApiResponse(
        description="Still has songs; repeat with ?cascade=true."
        if cascade
        else "Still in use; nothing was deleted."
    )
    return {
        "create": extend_schema(tags=TAGS, request=write, responses={201: read}),
        "update": extend_schema(tags=TAGS, request=write, responses=read),
        "partial_update": extend_schema(tags=TAGS, request=write, responses=read),
        "destroy": extend_schema(tags=TAGS, responses={204: None, 409: conflict}, **destroy),
    }


class CatalogViewSet(ConditionalListRetrieveMixin, viewsets.ModelViewSet, abc.ABC):
    """CRUD through services; reads shaped by selectors; ETags and anonymous caching."""

    permission_classes = [CatalogModelPermission]
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    lookup_value_regex = ID_PATTERN
    detail_serializer_class = None
    write_serializer_class = None

    def filter_queryset(self, queryset):
        # Filters narrow lists. A detail is found by its id alone (who may see it is
        # get_queryset's business), and building the filter set cost 2 ms a request.
        if self.detail:
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        if self.action == "retrieve":
            return self.detail_serializer_class
        return self.serializer_class

    # Hooks for subclasses: the services and the queryset a written row is shown from.
    @abc.abstractmethod
    def create_row(self, data: dict):
        """Create the row through its service; returns it."""

    @abc.abstractmethod
    def update_row(self, instance, data: dict):
        """Update the row through its service; returns it."""

    @abc.abstractmethod
    def delete_row(self, instance) -> None:
        """Delete the row through its service (honouring `?cascade=`)."""

    @abc.abstractmethod
    def written_queryset(self):
        """The queryset a written row is read back from for the response."""

    def written(self, instance) -> dict:
        shown = self.written_queryset().get(pk=instance.pk)
        return self.detail_serializer_class(shown, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.create_row(serializer.validated_data)
        return Response(self.written(instance), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        instance = self.update_row(instance, serializer.validated_data)
        return Response(self.written(instance))

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        try:
            self.delete_row(instance)
        except services.DeletionRefused as exc:
            raise Conflict(str(exc)) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)

    def cascade_requested(self) -> bool:
        query = serializers.CascadeQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data["cascade"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List genres with their song counts"),
    retrieve=extend_schema(tags=TAGS, summary="A genre, by slug"),
    **_write_schema(serializers.GenreWriteSerializer, serializers.GenreSerializer),
)
class GenreViewSet(CatalogViewSet):
    serializer_class = serializers.GenreSerializer
    detail_serializer_class = serializers.GenreSerializer
    write_serializer_class = serializers.GenreWriteSerializer
    filter_backends = []
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,140}"

    def get_queryset(self):
        return selectors.genre_list(user=self.catalog_reader())

    def create_row(self, data):
        return services.genre_create(**data)

    def update_row(self, instance, data):
        return services.genre_update(genre=instance, data=data)

    def delete_row(self, instance):
        services.genre_delete(genre=instance)

    def written_queryset(self):
        return self.get_queryset()


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List artists"),
    retrieve=extend_schema(tags=TAGS, summary="An artist with the albums you can see"),
    **_write_schema(
        serializers.ArtistWriteSerializer, serializers.ArtistDetailSerializer, cascade=True
    ),
)
class ArtistViewSet(CatalogViewSet):
    serializer_class = serializers.ArtistSerializer
    detail_serializer_class = serializers.ArtistDetailSerializer
    write_serializer_class = serializers.ArtistWriteSerializer
    filterset_class = ArtistFilter

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.artist_detail(user=self.catalog_reader())
        return selectors.artist_list(user=self.catalog_reader())

    def create_row(self, data):
        return services.artist_create(**data)

    def update_row(self, instance, data):
        return services.artist_update(artist=instance, data=data)

    def delete_row(self, instance):
        services.artist_delete(artist=instance, cascade=self.cascade_requested())

    def written_queryset(self):
        return selectors.artist_detail(user=self.request.user)


_album_detail = serializers.AlbumDetailSerializer


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List albums"),
    retrieve=extend_schema(tags=TAGS, summary="An album with its songs in track order"),
    **_write_schema(serializers.AlbumWriteSerializer, _album_detail, cascade=True),
    publish=extend_schema(tags=TAGS, request=None, responses=_album_detail),
    unpublish=extend_schema(tags=TAGS, request=None, responses=_album_detail),
)
class AlbumViewSet(CatalogViewSet):
    serializer_class = serializers.AlbumSerializer
    detail_serializer_class = _album_detail
    write_serializer_class = serializers.AlbumWriteSerializer
    filterset_class = AlbumFilter
    cache_scopes = {
        "album-list": (CONTENT, LIKES),
        "album-detail": (CONTENT, LIKES, PLAYS),  # its songs show num_streams
    }

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.album_detail(user=self.catalog_reader())
        return selectors.album_list(user=self.catalog_reader())

    def songs_shown(self, name, data):
        return data["songs"] if name == "album-detail" else []

    def create_row(self, data):
        return services.album_create(**data)

    def update_row(self, instance, data):
        return services.album_update(album=instance, data=data)

    def delete_row(self, instance):
        services.album_delete(album=instance, cascade=self.cascade_requested())

    def written_queryset(self):
        return selectors.album_detail(user=self.request.user, include_unpublished=True)

    def _set_published(self, request, pk: str, published: bool) -> Response:
        album = get_object_or_404(Album.objects.all(), pk=pk)
        album = services.album_set_published(album=album, published=published)
        return Response(self.written(album))

    @action(detail=True, methods=["post"], permission_classes=[CanPublishAlbums])
    def publish(self, request, pk=None):
        """Publishes the album: it and its songs become visible to everyone."""
        return self._set_published(request, pk, True)

    @action(detail=True, methods=["post"], permission_classes=[CanPublishAlbums])
    def unpublish(self, request, pk=None):
        """Hides the album and its songs again (nothing is deleted)."""
        return self._set_published(request, pk, False)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List songs (cursor pagination)"),
    retrieve=extend_schema(tags=TAGS, summary="A song"),
    **_write_schema(serializers.SongWriteSerializer, serializers.SongSerializer),
)
class SongViewSet(CatalogViewSet):
    serializer_class = serializers.SongSerializer
    detail_serializer_class = serializers.SongSerializer
    write_serializer_class = serializers.SongWriteSerializer
    filterset_class = SongFilter
    pagination_class = KeysetCursorPagination
    default_cache_scopes = (CONTENT, LIKES, PLAYS)

    def get_queryset(self):
        if self.action in ("update", "partial_update", "destroy"):
            return Song.objects.visible_to(self.request.user)  # whole rows, for the services
        return selectors.song_list(user=self.catalog_reader())

    def retrieve(self, request, *args, **kwargs):
        song_id = int(kwargs[self.lookup_field])

        def build() -> Response:
            card = selectors.song_cards(user=self.catalog_reader(), ids=[song_id]).get(song_id)
            if card is None:
                raise Http404
            return Response(card)

        return self.conditional_read(request, "song-detail", build)

    def caller_question(self):
        """A signed-in caller's row also says whether they like the song shown."""
        if self.action == "retrieve":
            return personal.LIKES_THE_SONG, int(self.kwargs[self.lookup_field])
        return None

    def read_scopes(self, name):
        if name == "song-detail":  # not likes/plays: a play drops only its own song
            return (CONTENT, SONGS, song_scope(self.kwargs[self.lookup_field]))
        return super().read_scopes(name)

    def songs_shown(self, name, data):
        return [data] if name == "song-detail" else data["results"]

    def create_row(self, data):
        return services.song_create(**data)

    def update_row(self, instance, data):
        return services.song_update(song=instance, data=data)

    def delete_row(self, instance):
        services.song_delete(song=instance)

    def written_queryset(self):
        return selectors.song_list(user=self.request.user, include_unpublished=True)


class SearchView(ConditionalReadMixin, APIView):
    """Best matches among artists, albums and songs; case- and accent-insensitive."""

    throttle_scope = "search"
    default_cache_scopes = (CONTENT, LIKES, PLAYS)

    @extend_schema(
        tags=TAGS,
        parameters=[serializers.SearchQuerySerializer],
        responses=serializers.SearchResultSerializer,
    )
    def get(self, request):
        def build() -> Response:
            # Validated only when built: a stored response is keyed by the same query
            # string, which validated then (only 200s are stored).
            query = serializers.SearchQuerySerializer(data=request.query_params)
            query.is_valid(raise_exception=True)
            results = selectors.catalog_search(
                user=self.catalog_reader(),
                query=query.validated_data["q"],
                limit=query.validated_data["limit"],
            )
            return Response(
                serializers.SearchResultSerializer(results, context={"request": request}).data
            )

        return self.conditional_read(request, "search", build)

    def songs_shown(self, name, data):
        return data["songs"]
