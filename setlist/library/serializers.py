"""Library serializers: translation only. Nested songs are always the catalog's `SongSerializer`."""

import functools

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from setlist.catalog.models import Album, Artist
from setlist.catalog.serializers import ArtistRefSerializer, GenreRefSerializer, SongSerializer
from setlist.core.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    StrictModelSerializer,
    UTCDateTimeField,
)

from .models import AlbumLike, ArtistLike, Play, Playlist, PlaylistEntry, SongLike
from .stats import PERIODS

MAX_CONTAINS_IDS = 50
MAX_ID = 2**63 - 1  # the largest id a 64-bit column holds; larger ones are 400, not 500


class ShapedField(serializers.Field):
    """A value its selector already shaped as the API shows it: passed on as it is.

    Subclasses name the serializer that describes it in the schema. Nesting that
    serializer instead would copy every value again (a ModelSerializer also rebuilds
    its fields from the model on every use: most of a small response's time).
    """

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value


@extend_schema_field(SongSerializer)
class SongCardField(ShapedField):
    """A song already read as its card (`catalog.cards`)."""


@extend_schema_field(ArtistRefSerializer)
class ArtistRefField(ShapedField):
    """An artist read as `{id, name}`."""


@extend_schema_field(GenreRefSerializer)
class GenreRefField(ShapedField):
    """A genre read as `{slug, name}`."""


class RowSongField(SongCardField):
    """A row's song (by its `song_id`), shown as its card from the serializer context's
    `song_cards`: the view reads the cards of a whole page at once (`views.cards`)."""

    def __init__(self, **kwargs):
        super().__init__(source="song_id", **kwargs)

    def to_representation(self, song_id: int) -> dict:
        return self.context["song_cards"][song_id]


class SongRowMixin:
    """For serializers of rows that show a song and when, whose fields each read one
    column of the row (a dict or a model): every field writes its column directly.

    DRF's generic loop over the fields (attribute lookups, ordered dicts, skip checks)
    took a tenth of a page of 50 likes. The output is the same (`test_serializers` pins
    it to DRF's).
    """

    def to_representation(self, row) -> dict:
        read = row.get if isinstance(row, dict) else functools.partial(getattr, row)
        shown = {}
        for field in self.fields.values():
            value = read(field.source)
            shown[field.field_name] = None if value is None else field.to_representation(value)
        return shown


# --- Likes ---------------------------------------------------------------------------------


class SongLikeSerializer(SongRowMixin, serializers.ModelSerializer):
    song = RowSongField()
    liked_at = UTCDateTimeField(source="created_at", read_only=True)

    class Meta:
        model = SongLike
        fields = ["song", "liked_at"]


class LikedAlbumSerializer(serializers.ModelSerializer):
    artist = ArtistRefSerializer(read_only=True)

    class Meta:
        model = Album
        fields = ["id", "title", "year", "release_date", "artist", "like_count"]
        read_only_fields = fields


class AlbumLikeSerializer(serializers.ModelSerializer):
    album = LikedAlbumSerializer(read_only=True)
    liked_at = UTCDateTimeField(source="created_at", read_only=True)

    class Meta:
        model = AlbumLike
        fields = ["album", "liked_at"]


class LikedArtistSerializer(serializers.ModelSerializer):
    class Meta:
        model = Artist
        fields = ["id", "name", "like_count"]
        read_only_fields = fields


class ArtistLikeSerializer(serializers.ModelSerializer):
    artist = LikedArtistSerializer(read_only=True)
    liked_at = UTCDateTimeField(source="created_at", read_only=True)

    class Meta:
        model = ArtistLike
        fields = ["artist", "liked_at"]


def _is_id(text: str) -> bool:
    # The length check first: int() of thousands of digits is slow, and refused past 4300.
    return text.isascii() and text.isdigit() and len(text) <= 19 and int(text) <= MAX_ID


class LikesContainQuerySerializer(serializers.Serializer):
    """`?ids=1,2,3`: 1 to 50 song ids, in the order the answer should follow."""

    ids = serializers.CharField(
        help_text=f"Comma-separated song ids, at most {MAX_CONTAINS_IDS}.", trim_whitespace=True
    )

    def validate_ids(self, value: str) -> list[int]:
        parts = [part.strip() for part in value.split(",")]
        if not all(_is_id(part) for part in parts):
            raise serializers.ValidationError(
                "Give song ids as comma-separated integers.", code="invalid"
            )
        if len(parts) > MAX_CONTAINS_IDS:
            raise serializers.ValidationError(
                f"Ask about at most {MAX_CONTAINS_IDS} ids.", code="invalid"
            )
        return [int(part) for part in parts]


# --- Plays and stats -----------------------------------------------------------------------


# Declared, not a ModelSerializer: that would rebuild these fields from the model for every
# answer of the busiest write.
class PlaySerializer(serializers.Serializer):
    """The answer to recording a play."""

    id = serializers.IntegerField(read_only=True)
    song_id = serializers.IntegerField(read_only=True)
    played_at = UTCDateTimeField(read_only=True)


class HistoryEntrySerializer(SongRowMixin, StrictModelSerializer):
    song = RowSongField()

    class Meta:
        model = Play
        fields = ["song", "played_at"]


class StatsQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=list(PERIODS), default="all")


class TopSongSerializer(serializers.Serializer):
    song = SongCardField()
    play_count = serializers.IntegerField()


class TopArtistSerializer(serializers.Serializer):
    artist = ArtistRefField()
    play_count = serializers.IntegerField()


class TopGenreSerializer(serializers.Serializer):
    genre = GenreRefField()
    play_count = serializers.IntegerField()


@extend_schema_field(TopSongSerializer(many=True))
class TopSongsField(ShapedField):
    """The top songs as `listening_stats` shapes them."""


@extend_schema_field(TopArtistSerializer(many=True))
class TopArtistsField(ShapedField):
    """The top artists as `listening_stats` shapes them."""


@extend_schema_field(TopGenreSerializer(many=True))
class TopGenresField(ShapedField):
    """The top genres as `listening_stats` shapes them."""


class StatsSerializer(serializers.Serializer):
    period = serializers.CharField()
    since = UTCDateTimeField(allow_null=True)
    play_count = serializers.IntegerField()
    listening_ms = serializers.IntegerField()
    # Shaped by `listening_stats` already: nesting the serializers above copied every
    # value again, a fifth of a reused request's time.
    top_songs = TopSongsField()
    top_artists = TopArtistsField()
    top_genres = TopGenresField()


# --- Playlists -----------------------------------------------------------------------------


class OwnerSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)


class PlaylistSerializer(serializers.ModelSerializer):
    """Playlist detail (and list item). Counts cover the songs the caller can see."""

    owner = OwnerSerializer(read_only=True)
    song_count = serializers.IntegerField(read_only=True)
    duration_ms = serializers.IntegerField(read_only=True)

    class Meta:
        model = Playlist
        fields = [
            "id",
            "name",
            "description",
            "is_public",
            "owner",
            "song_count",
            "duration_ms",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class PlaylistWriteSerializer(serializers.Serializer):
    """Create (POST) and replace (PUT) take every field, missing ones at their defaults;
    PATCH (partial) changes only what it names."""

    name = StrictCharField(max_length=200)
    description = StrictCharField(max_length=2000, allow_blank=True, required=False, default="")
    is_public = StrictBooleanField(required=False, default=False)


class PlaylistEntrySerializer(StrictModelSerializer):
    position = serializers.IntegerField(source="visible_position", read_only=True)
    song = RowSongField()

    class Meta:
        model = PlaylistEntry
        fields = ["position", "song", "added_at"]
        read_only_fields = fields


class PlaylistSongAddSerializer(serializers.Serializer):
    song_id = StrictIntegerField(min_value=1, max_value=MAX_ID)
    position = StrictIntegerField(
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Where to insert (0 = first); omitted or null appends. Past the end: 400.",
    )


class PlaylistSongMoveSerializer(serializers.Serializer):
    from_position = StrictIntegerField(min_value=0)
    to_position = StrictIntegerField(min_value=0)


# --- Public profiles -----------------------------------------------------------------------


class PublicProfileSerializer(serializers.ModelSerializer):
    like_count = serializers.IntegerField(read_only=True)
    public_playlist_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["username", "bio", "date_joined", "like_count", "public_playlist_count"]
        read_only_fields = fields
