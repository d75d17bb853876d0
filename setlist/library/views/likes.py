"""The caller's likes of songs, albums and artists: idempotent PUT/DELETE, newest-first lists."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from setlist.catalog.models import Album, Artist, Song
from setlist.catalog.selectors import song_cards
from setlist.core.pagination import CursorPagination

from .. import selectors, services
from ..serializers import (
    AlbumLikeSerializer,
    ArtistLikeSerializer,
    LikesContainQuerySerializer,
    SongLikeSerializer,
)
from .cards import SongRowsListMixin

TAGS = ["library: likes"]


class LikeCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class LikeListView(generics.ListAPIView):
    """Base for the three lists: the caller's likes, newest first, cursor-paginated."""

    permission_classes = [IsAuthenticated]
    pagination_class = LikeCursorPagination
    filter_backends = []  # the cursor's fixed ordering is the only ordering
    like_list = None  # selector: (user) -> the rows to page (a QuerySet or KeysetRows)

    def get_queryset(self):
        return self.like_list(user=self.request.user)


class LikeItemView(APIView):
    """Base for PUT (like) and DELETE (unlike) of one item, both idempotent.

    PUT answers 201 with the like when it is new and 200 when it already existed; an
    unknown item, or one the caller cannot see, is 404. DELETE is 204 either way.
    """

    permission_classes = [IsAuthenticated]
    serializer_class = None
    item_field = ""  # "song", "album", "artist"
    like_add = None  # service: (user, <item_field>=item) -> (like, created)
    like_remove = None  # service: (user, <item_field>_id=id) -> bool

    def visible_items(self, user) -> QuerySet:
        """The items the user may like, shaped for the serializer."""
        raise NotImplementedError

    def put(self, request: Request, **kwargs) -> Response:
        item = get_object_or_404(
            self.visible_items(request.user), pk=kwargs[f"{self.item_field}_id"]
        )
        like, created = self.add(item)
        return self.answer(self.serializer_class(like).data, created)

    def add(self, item) -> tuple:
        """The like of `item` by the caller, and whether it is new. The service sets the
        item's `like_count` as it is just after, so the answer needs no second read."""
        try:
            return self.like_add(user=self.request.user, **{self.item_field: item})
        except services.ItemGone as exc:  # deleted since it was found: as if it never was
            raise Http404 from exc

    def answer(self, data: dict, created: bool) -> Response:
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def delete(self, request: Request, **kwargs) -> Response:
        item_id = kwargs[f"{self.item_field}_id"]
        self.like_remove(user=request.user, **{f"{self.item_field}_id": item_id})
        return Response(status=status.HTTP_204_NO_CONTENT)


def _item_schema(serializer, noun: str):
    return extend_schema_view(
        put=extend_schema(
            tags=TAGS,
            summary=f"Like a {noun}",
            request=None,
            responses={200: serializer, 201: serializer},
        ),
        delete=extend_schema(tags=TAGS, summary=f"Unlike a {noun}", responses={204: None}),
    )


@extend_schema_view(get=extend_schema(tags=TAGS, summary="Liked songs, newest first"))
class SongLikeListView(SongRowsListMixin, LikeListView):
    serializer_class = SongLikeSerializer
    like_list = staticmethod(selectors.song_like_list)


@_item_schema(SongLikeSerializer, "song")
class SongLikeView(LikeItemView):
    serializer_class = SongLikeSerializer
    item_field = "song"
    like_add = staticmethod(services.song_like_add)
    like_remove = staticmethod(services.song_like_remove)

    def put(self, request: Request, song_id: int) -> Response:
        # The song's card (`catalog.cards`) is both the visibility check and the song
        # the answer shows, with the count as the like left it.
        cards = song_cards(user=request.user, ids={song_id}, all_liked=True)
        if song_id not in cards:
            raise Http404
        song = Song(pk=song_id)
        like, created = self.add(song)
        cards[song_id]["like_count"] = song.like_count
        context = {"request": request, "song_cards": cards}
        return self.answer(self.serializer_class(like, context=context).data, created)


@extend_schema_view(get=extend_schema(tags=TAGS, summary="Liked albums, newest first"))
class AlbumLikeListView(LikeListView):
    serializer_class = AlbumLikeSerializer
    like_list = staticmethod(selectors.album_like_list)


@_item_schema(AlbumLikeSerializer, "album")
class AlbumLikeView(LikeItemView):
    serializer_class = AlbumLikeSerializer
    item_field = "album"
    like_add = staticmethod(services.album_like_add)
    like_remove = staticmethod(services.album_like_remove)

    def visible_items(self, user) -> QuerySet:
        return Album.objects.visible_to(user).select_related("artist")


@extend_schema_view(get=extend_schema(tags=TAGS, summary="Liked artists, newest first"))
class ArtistLikeListView(LikeListView):
    serializer_class = ArtistLikeSerializer
    like_list = staticmethod(selectors.artist_like_list)


@_item_schema(ArtistLikeSerializer, "artist")
class ArtistLikeView(LikeItemView):
    serializer_class = ArtistLikeSerializer
    item_field = "artist"
    like_add = staticmethod(services.artist_like_add)
    like_remove = staticmethod(services.artist_like_remove)

    def visible_items(self, user) -> QuerySet:
        return Artist.objects.all()


class SongLikesContainView(APIView):
    """Whether the caller likes each of the given songs, in the order asked."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary="Check liked songs",
        parameters=[LikesContainQuerySerializer],
        responses={200: {"type": "array", "items": {"type": "boolean"}}},
    )
    def get(self, request: Request) -> Response:
        query = LikesContainQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(
            selectors.song_likes_contain(user=request.user, song_ids=query.validated_data["ids"])
        )
