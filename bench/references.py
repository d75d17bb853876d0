"""Reference implementations the benchmark measures Setlist against.

1. `floor`: a bare WSGI callable returning prebuilt bytes (what granian itself costs).
2. `song_row`: one song fetched with `values_list(...).get()`, orjson bytes, no middleware.
3. `song_list`: the same SQL as Setlist's song list page (50 songs with album and artist),
   `.values()` + orjson, no DRF.
4. `tutorial_*`: the seed tutorial's way: generic views with nested ModelSerializers and no
   query tuning (so one query per related object), on the same data.
"""

import orjson
from django.http import HttpResponse
from rest_framework import generics, serializers

from setlist.catalog.models import Album, Artist, Song

FLOOR_BODY = orjson.dumps({"id": 1, "title": "floor", "duration_ms": 1})


def floor_app(environ, start_response):
    start_response(
        "200 OK",
        [("Content-Type", "application/json"), ("Content-Length", str(len(FLOOR_BODY)))],
    )
    return [FLOOR_BODY]


SONG_FIELDS = (
    "id",
    "title",
    "track_number",
    "duration_ms",
    "composer",
    "num_streams",
    "like_count",
    "created_at",
    "album_id",
    "album__title",
    "album__artist_id",
    "album__artist__name",
    "genre__slug",
    "genre__name",
)


def song_row(request, pk: int) -> HttpResponse:
    row = Song.objects.values_list(*SONG_FIELDS).get(pk=pk)
    return HttpResponse(orjson.dumps(dict(zip(SONG_FIELDS, row, strict=True))), "application/json")


def song_list(request) -> HttpResponse:
    rows = list(
        Song.objects.filter(album__is_published=True)
        .order_by("-created_at", "-id")
        .values(*SONG_FIELDS)[:50]
    )
    return HttpResponse(orjson.dumps({"results": rows}), "application/json")


class TutorialArtistSerializer(serializers.ModelSerializer):
    class Meta:
        model = Artist
        fields = ["id", "name"]


class TutorialAlbumSerializer(serializers.ModelSerializer):
    artist = TutorialArtistSerializer()

    class Meta:
        model = Album
        fields = ["id", "title", "year", "artist"]


class TutorialSongSerializer(serializers.ModelSerializer):
    album = TutorialAlbumSerializer()

    class Meta:
        model = Song
        fields = [
            "id",
            "title",
            "track_number",
            "duration_ms",
            "composer",
            "album",
            "genre",
            "num_streams",
            "like_count",
            "created_at",
        ]


class TutorialSongList(generics.ListAPIView):
    queryset = Song.objects.filter(album__is_published=True).order_by("-created_at", "-id")
    serializer_class = TutorialSongSerializer


class TutorialSongDetail(generics.RetrieveAPIView):
    queryset = Song.objects.all()
    serializer_class = TutorialSongSerializer
